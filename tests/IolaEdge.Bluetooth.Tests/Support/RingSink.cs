using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Bluetooth.Tests.Support;

/// <summary>A sample with the monotonic time it reached the sink.</summary>
public readonly record struct Delivered(ImuSample Sample, long SinkNs);

/// <summary>
/// The production shape of a sink: the bus thread writes into a bounded SPSC ring (drops counted),
/// a consumer thread drains it into preallocated arrays the test inspects.
/// </summary>
public sealed class RingSink : IImuSampleSink, IDisposable
{
    private readonly SpscRing<Delivered> _ring;
    private readonly Delivered[] _received;
    private readonly Thread _consumer;
    private volatile bool _stop;
    private int _count;

    public RingSink(int capacity, int ringSize = 4096)
    {
        _ring = new SpscRing<Delivered>(ringSize);
        _received = new Delivered[capacity];
        _consumer = new Thread(Drain) { IsBackground = true, Name = "test-consumer" };
        _consumer.Start();
    }

    public long RingDrops => _ring.Dropped;

    public int Count => Volatile.Read(ref _count);

    public Delivered this[int i] => _received[i];

    public bool OnSample(in ImuSample sample) => _ring.TryWrite(new Delivered(sample, MonotonicClock.NowNs()));

    public void OnFootfallAnnotation(int sensorId, long timeNs)
    {
    }

    /// <summary>Waits until at least <paramref name="n"/> samples arrived (or the timeout).</summary>
    public bool WaitFor(int n, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Count < n)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }

    public void Dispose()
    {
        _stop = true;
        _consumer.Join();
    }

    private void Drain()
    {
        while (!_stop)
        {
            bool any = false;
            while (_ring.TryRead(out Delivered d))
            {
                int i = _count;
                if (i < _received.Length)
                {
                    _received[i] = d;
                    Volatile.Write(ref _count, i + 1);
                }

                any = true;
            }

            if (!any)
            {
                Thread.Sleep(1);
            }
        }
    }
}
