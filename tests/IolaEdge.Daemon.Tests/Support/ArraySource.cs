using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Daemon.Tests.Support;

/// <summary>A source that delivers <c>count</c> synthetic 200 Hz samples, optionally paced, optionally forever.</summary>
internal sealed class ArraySource(int count, TimeSpan pause = default, bool forever = false) : IImuSource
{
    public string Description => $"test:{count}";

    public async Task RunAsync(IImuSampleSink sink, CancellationToken cancellationToken)
    {
        long start = MonotonicClock.NowNs();
        for (long i = 0; forever || i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sink.OnSample(new ImuSample(0, i, start + (i * 5_000_000), MonotonicClock.NowNs(), 0, 0, 1));
            if (pause > TimeSpan.Zero && i % 10 == 9)
            {
                await Task.Delay(pause, cancellationToken);
            }
        }
    }
}
