using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Bluetooth.Tests.Support;

/// <summary>Keeps the last sample and a count, without allocating (for parser and allocation tests).</summary>
public sealed class CountingSink : IImuSampleSink
{
    public long Count { get; private set; }

    public ImuSample Last { get; private set; }

    public List<ImuSample>? Kept { get; init; }

    public bool OnSample(in ImuSample sample)
    {
        Count++;
        Last = sample;
        Kept?.Add(sample);
        return true;
    }

    public void OnFootfallAnnotation(int sensorId, long timeNs)
    {
    }
}
