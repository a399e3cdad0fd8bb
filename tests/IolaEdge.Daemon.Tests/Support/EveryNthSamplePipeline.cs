using IolaEdge.Daemon.Pipeline;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Tests.Support;

/// <summary>A deterministic stand-in chain: a footfall every <c>n</c>-th sample, placed <c>lagSamples</c> back.</summary>
internal sealed class EveryNthSamplePipeline(int n, int lagSamples = 4, long samplePeriodNs = 5_000_000) : ISensorPipeline
{
    private long _seen;
    private long _footfalls;

    public int MaxEventsPerSample => 1;

    public int Process(in ImuSample sample, Span<FootfallEvent> events)
    {
        _seen++;
        if (_seen % n != 0)
        {
            return 0;
        }

        long decision = sample.SensorTimeNs != 0 ? sample.SensorTimeNs : sample.ArrivalTimeNs;
        events[0] = new FootfallEvent(sample.SensorId, _footfalls++, decision - (lagSamples * samplePeriodNs),
            sample.ArrivalTimeNs, decision, 0.9f, 1.5f);
        return 1;
    }

    public void Dispose()
    {
    }
}

/// <summary>Factory for <see cref="EveryNthSamplePipeline"/>.</summary>
internal sealed class EveryNthSampleFactory(int n) : ISensorPipelineFactory
{
    public string DetectorName => $"every-{n}th-sample";

    public ISensorPipeline Create(int sensorId) => new EveryNthSamplePipeline(n);
}
