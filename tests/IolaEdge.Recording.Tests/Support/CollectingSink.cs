using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Recording.Tests.Support;

/// <summary>A sink that keeps everything it is given (tests only).</summary>
internal sealed class CollectingSink : IImuSampleSink
{
    public List<ImuSample> Samples { get; } = [];

    public List<(int SensorId, long TimeNs)> Annotations { get; } = [];

    public bool OnSample(in ImuSample sample)
    {
        Samples.Add(sample);
        return true;
    }

    public void OnFootfallAnnotation(int sensorId, long timeNs) => Annotations.Add((sensorId, timeNs));
}
