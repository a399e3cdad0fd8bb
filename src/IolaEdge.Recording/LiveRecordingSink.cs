using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Recording;

/// <summary>
/// Feeds a source into the recorder as a live source would: each sample is stamped with the
/// monotonic arrival time and its sensor time is reconstructed by the sensor's <see cref="SampleClock"/>.
/// </summary>
/// <remarks>
/// Used by <c>iolaedge record</c> when no pipeline runs. Called on the source's thread only (the
/// recorder's single sample producer). Annotations in the source itself (footfall rows of a replayed
/// file) are on another clock and are not ground truth of this session: they are counted, not recorded.
/// </remarks>
internal sealed class LiveRecordingSink : IImuSampleSink
{
    private readonly Recorder _recorder;
    private readonly SampleClock[] _clocks;
    private readonly Func<long> _clock;

    /// <summary>Creates the adapter for up to <paramref name="sensorCount"/> sensors.</summary>
    public LiveRecordingSink(Recorder recorder, int sensorCount, SampleClockOptions? clockOptions = null, Func<long>? clock = null)
    {
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        _clocks = new SampleClock[sensorCount];
        for (int i = 0; i < sensorCount; i++)
        {
            _clocks[i] = new SampleClock(clockOptions);
        }

        _clock = clock ?? MonotonicClock.NowNs;
    }

    /// <summary>Samples from a sensor id beyond the configured count (not recorded).</summary>
    public long UnknownSensor { get; private set; }

    /// <summary>Annotations carried by the source itself (not recorded).</summary>
    public long SourceAnnotationsIgnored { get; private set; }

    /// <inheritdoc />
    public bool OnSample(in ImuSample sample)
    {
        if ((uint)sample.SensorId >= (uint)_clocks.Length)
        {
            UnknownSensor++;
            return false;
        }

        ImuSample live = sample.WithTimes(0, _clock());
        return _recorder.OnSample(_clocks[sample.SensorId].Stamp(live));
    }

    /// <inheritdoc />
    public void OnFootfallAnnotation(int sensorId, long timeNs) => SourceAnnotationsIgnored++;
}
