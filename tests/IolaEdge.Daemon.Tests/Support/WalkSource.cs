using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;
using IolaEdge.Simulation;

namespace IolaEdge.Daemon.Tests.Support;

/// <summary>
/// A simulated walk (seeded, ideal link) as a live-like source: the first <c>count</c> samples, or an endless walk,
/// each with its true sensor time (moved to the monotonic clock) and a monotonic arrival stamp taken as it is delivered; paced in bursts of ten
/// when <c>pause</c> is set.
/// </summary>
internal sealed class WalkSource(int count, TimeSpan pause = default, bool forever = false, long seed = 7) : IImuSource
{
    private long _trueFootfalls;

    public string Description => forever ? "walk:endless" : $"walk:{count}";

    /// <summary>Heel strikes of the simulated foot up to the last delivered sample (the truth a detector is held to).</summary>
    public long TrueFootfalls => Interlocked.Read(ref _trueFootfalls);

    public async Task RunAsync(IImuSampleSink sink, CancellationToken cancellationToken)
    {
        TimeSpan duration = forever ? TimeSpan.FromDays(1) : TimeSpan.FromSeconds((count / 200.0) + 10);
        WalkSimulator simulator = new(new WalkOptions { Seed = seed, Duration = duration, Pauses = false }, DeliveryOptions.Ideal) { SetSensorTimes = true };
        long startNs = MonotonicClock.NowNs(); // sensor times on the monotonic clock, as a live source's are
        for (long i = 0; (forever || i < count) && simulator.TryNext(out SimulatedSample s); i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sink.OnSample(s.Sample.WithTimes(startNs + (s.Sample.SensorTimeNs - simulator.StartNs), MonotonicClock.NowNs()));
            while (simulator.TryTakeFootfall(s.Sample.SensorTimeNs, out _))
            {
                Interlocked.Increment(ref _trueFootfalls);
            }

            if (pause > TimeSpan.Zero && i % 10 == 9)
            {
                await Task.Delay(pause, cancellationToken);
            }
        }
    }
}
