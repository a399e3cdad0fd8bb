using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Simulation.Tests.Support;

/// <summary>A sink that keeps samples and annotations in delivery order, optionally rejecting every n-th offer to exercise back-pressure.</summary>
internal sealed class OrderRecordingSink : IImuSampleSink
{
    private readonly int _rejectEvery;
    private long _offers;

    public OrderRecordingSink(int rejectEvery = 0) => _rejectEvery = rejectEvery;

    public List<ImuSample> Samples { get; } = [];

    public List<(int SensorId, long TimeNs)> Footfalls { get; } = [];

    /// <summary>Everything in delivery order: samples as ("s", arrival), annotations as ("f", time).</summary>
    public List<(char Kind, long TimeNs)> Order { get; } = [];

    public bool OnSample(in ImuSample sample)
    {
        _offers++;
        if (_rejectEvery > 0 && _offers % _rejectEvery == 0)
        {
            return false;
        }

        Samples.Add(sample);
        Order.Add(('s', sample.ArrivalTimeNs));
        return true;
    }

    public void OnFootfallAnnotation(int sensorId, long timeNs)
    {
        Footfalls.Add((sensorId, timeNs));
        Order.Add(('f', timeNs));
    }
}
