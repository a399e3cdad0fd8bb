using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Recording;

/// <summary>
/// Puts a recorder beside the pipeline (<c>run --record DIR</c>): wraps the sink a source delivers
/// into, passes everything on unchanged, and records a copy of each sample and annotation.
/// </summary>
/// <remarks>
/// Called on the source's thread for samples (the recorder's single sample producer) and on any
/// annotation thread (GPIO callback, terminal, control socket) for marks. Samples without a sensor
/// time (live sources) get one from a per-sensor <see cref="SampleClock"/> with the pipeline's
/// options, which reconstructs the same times as the pipeline's own clock (same inputs, same
/// deterministic model); samples that carry one keep it. Allocation-free per sample.
/// </remarks>
internal sealed class RecordingSampleTap : IImuSampleSink
{
    private readonly IImuSampleSink _inner;
    private readonly Recorder _recorder;
    private readonly SampleClock[] _clocks;
    private readonly bool _waitWhenFull;

    /// <summary>Creates the tap for sensors 0 … <paramref name="sensorCount"/> − 1.</summary>
    /// <param name="inner">The pipeline's sink.</param>
    /// <param name="recorder">Receives the copies.</param>
    /// <param name="sensorCount">Sensors recorded (ids 0 … n − 1).</param>
    /// <param name="clockOptions">Options of the per-sensor clocks (the pipeline's).</param>
    /// <param name="waitWhenFull">Replays only: wait for recorder queue room instead of dropping (as the ring sink does).</param>
    public RecordingSampleTap(IImuSampleSink inner, Recorder recorder, int sensorCount, SampleClockOptions? clockOptions = null, bool waitWhenFull = false)
    {
        _waitWhenFull = waitWhenFull;
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        ArgumentOutOfRangeException.ThrowIfLessThan(sensorCount, 1);
        _clocks = new SampleClock[sensorCount];
        for (int i = 0; i < sensorCount; i++)
        {
            _clocks[i] = new SampleClock(clockOptions);
        }
    }

    /// <inheritdoc />
    public bool OnSample(in ImuSample sample)
    {
        bool accepted = _inner.OnSample(sample);
        if ((uint)sample.SensorId < (uint)_clocks.Length)
        {
            if (_waitWhenFull)
            {
                _recorder.WaitForSampleRoom();
            }

            _recorder.OnSample(sample.SensorTimeNs != 0 ? sample : _clocks[sample.SensorId].Stamp(sample));
        }

        return accepted;
    }

    /// <inheritdoc />
    public void OnFootfallAnnotation(int sensorId, long timeNs)
    {
        _inner.OnFootfallAnnotation(sensorId, timeNs);
        _recorder.OnFootfallAnnotation(sensorId, timeNs);
    }
}
