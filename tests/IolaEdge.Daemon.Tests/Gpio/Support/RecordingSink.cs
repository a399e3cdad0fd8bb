using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Daemon.Tests.Gpio.Support;

/// <summary>Keeps every annotation delivered to it (thread-safe).</summary>
internal sealed class RecordingSink : IImuSampleSink
{
    private readonly List<(int SensorId, long TimeNs)> _marks = [];

    public IReadOnlyList<(int SensorId, long TimeNs)> Marks
    {
        get
        {
            lock (_marks)
            {
                return _marks.ToList();
            }
        }
    }

    public bool OnSample(in ImuSample sample) => true;

    public void OnFootfallAnnotation(int sensorId, long timeNs)
    {
        lock (_marks)
        {
            _marks.Add((sensorId, timeNs));
        }
    }
}
