using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Simulation;

/// <summary>
/// An <see cref="IImuSource"/> over a <see cref="WalkSimulator"/>: delivers the simulated walk's
/// samples and, as annotations, its truth heel strikes (each just before the first sample that
/// arrives at or after it).
/// </summary>
/// <remarks>
/// <see cref="SimulationPace.Fast"/> delivers as fast as the sink accepts: a rejected sample is
/// offered again after a yield (offline use must not lose samples), so a ring sink's drop counter
/// then counts those back-pressure retries, also reported in <see cref="BackpressureRetries"/>.
/// <see cref="SimulationPace.RealTime"/> waits for each burst's arrival time (scaled by the
/// speed) on <see cref="MonotonicClock"/> and, like a live sensor, does not retry: rejected samples
/// are lost and counted in <see cref="Rejected"/>. Runs on the calling task; not for the pipeline thread.
/// A source runs once.
/// </remarks>
public sealed class SimulatedImuSource : IImuSource
{
    private const int CancellationCheckSamples = 4096;

    private readonly SimulationSpec _spec;
    private int _started;

    /// <summary>Creates a source from a parsed spec.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    public SimulatedImuSource(SimulationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        Simulator = new WalkSimulator(spec.Walk, spec.Delivery, spec.StartNs, spec.SensorId)
        {
            SetSensorTimes = spec.TruthSensorTimes,
        };
    }

    /// <summary>Creates a source from spec text (<c>sim:seed=7,minutes=10,...</c>).</summary>
    /// <exception cref="FormatException">A bad key or value (named in the message).</exception>
    public SimulatedImuSource(string spec)
        : this(SimulationSpec.Parse(spec))
    {
    }

    /// <inheritdoc />
    public string Description => _spec.ToString();

    /// <summary>The simulator (read its counters after the run).</summary>
    public WalkSimulator Simulator { get; }

    /// <summary>Samples the sink rejected in real-time pace (lost, as with a live sensor).</summary>
    public long Rejected { get; private set; }

    /// <summary>Times a sample was offered again in fast pace because the sink was full.</summary>
    public long BackpressureRetries { get; private set; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The source already ran.</exception>
    public async Task RunAsync(IImuSampleSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A simulated source runs once; create another for a second run.");
        }

        await Task.Yield();
        bool realTime = _spec.Pace == SimulationPace.RealTime;
        long wallStartNs = MonotonicClock.NowNs();
        long firstArrivalNs = long.MinValue;
        long count = 0;
        WalkSimulator sim = Simulator;
        while (sim.TryNext(out SimulatedSample s))
        {
            long arrival = s.Sample.ArrivalTimeNs;
            if (realTime)
            {
                if (firstArrivalNs == long.MinValue)
                {
                    firstArrivalNs = arrival;
                }

                // The timer's whole milliseconds, rounded up: a burst comes up to a millisecond or two late, as over a radio
                // link, never early. No busy wait for the last millisecond: a soak's CPU figure would count it as the daemon's.
                long waitNs = wallStartNs + (long)((arrival - firstArrivalNs) / _spec.Speed) - MonotonicClock.NowNs();
                if (waitNs > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(waitNs / 1e6)), cancellationToken);
                }
            }
            else if (++count % CancellationCheckSamples == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            while (sim.TryTakeFootfall(arrival, out long footfallNs))
            {
                sink.OnFootfallAnnotation(_spec.SensorId, footfallNs);
            }

            if (sink.OnSample(s.Sample))
            {
                continue;
            }

            if (realTime)
            {
                Rejected++;
                continue;
            }

            do
            {
                BackpressureRetries++;
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
            }
            while (!sink.OnSample(s.Sample));
        }

        while (sim.TryTakeFootfall(out long footfallNs))
        {
            sink.OnFootfallAnnotation(_spec.SensorId, footfallNs);
        }
    }
}
