using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Benchmarks.Bluetooth;

/// <summary>
/// Cost of one MetaWear notification payload from the notification handler to the SPSC ring (routing →
/// decode → ring). The D-Bus part before it (Tmds.DBus.Protocol's receive loop and the in-place parse)
/// is measured end to end against the dbusmock rig by the <c>ble-latency</c> command.
/// Each operation also drains the ring (the consumer's share), so it does not fill up.
/// </summary>
[MemoryDiagnoser]
public class NotificationPathBenchmarks
{
    private RingSink _sink = null!;
    private AccelerationDecoder _decoder = null!;
    private AccelerationDecoder _plainDecoder = null!;
    private AccelerationDecoder _chainDecoder = null!;
    private byte[] _chainBytes = null!;
    private uint _chainCount;
    private long _chainT;
    private NotificationHandler _handler = null!;
    private NotificationHandler _plainHandler = null!;
    private byte[] _plainBytes = null!;
    private byte[] _truncatedBytes = null!;
    private byte[] _packedBytes = null!;
    private long _t;

    [GlobalSetup]
    public void Setup()
    {
        _packedBytes = Convert.FromHexString("031c62b7530de9fd16d04d0e57028affa1050a01");
        _plainBytes = Convert.FromHexString("030416c494a22ad0");
        _truncatedBytes = Convert.FromHexString("031c62b7530de9fd16");
        _sink = new RingSink();
        _decoder = new AccelerationDecoder(0);
        _decoder.Configure(_sink, 0x1c, 16, TimeSpan.FromMilliseconds(60));
        _plainDecoder = new AccelerationDecoder(0);
        _plainDecoder.Configure(_sink, 0x04, 16, TimeSpan.FromMilliseconds(60));
        _chainBytes = Convert.FromHexString("0903018D0000004EFF35FD79074DFF35FD7D07"); // TestAccounter.test_count_and_time, id 1
        _chainDecoder = new AccelerationDecoder(0);
        _chainDecoder.Configure(_sink, MetaWearCommands.PlainDataRegister, 16, TimeSpan.FromMilliseconds(60), 1, MetaWearCommands.PackedPerCount);
        _handler = new NotificationHandler(_decoder);
        _plainHandler = new NotificationHandler(_plainDecoder);
    }

    [Benchmark(Baseline = true, Description = "packed notification (3 samples): handler → ring")]
    public int PackedHandlerToRing() => Deliver(_packedBytes, _handler);

    [Benchmark(Description = "plain notification (1 sample): handler → ring")]
    public int PlainHandlerToRing() => Deliver(_plainBytes, _plainHandler);

    [Benchmark(Description = "truncated notification: handler → counted reject")]
    public int TruncatedHandlerRejected() => Deliver(_truncatedBytes, _handler);

    [Benchmark(Description = "packed payload decode only (no D-Bus)")]
    public int PackedDecodeOnly()
    {
        _decoder.TryDecode(_packedBytes, ++_t, out _);
        return _sink.Drain();
    }

    [Benchmark(Description = "packed sample counter payload (2 samples) decode only (no D-Bus)")]
    public int ChainDecodeOnly()
    {
        // a new count and a 10 ms later arrival per call, as the board sends them at 200 Hz
        BinaryPrimitives.WriteUInt32LittleEndian(_chainBytes.AsSpan(3), ++_chainCount);
        _chainT += 10_000_000;
        _chainDecoder.TryDecode(_chainBytes, _chainT, out _);
        return _sink.Drain();
    }

    private int Deliver(byte[] packet, NotificationHandler handler)
    {
        handler.Dispatch(packet, ++_t);
        return _sink.Drain();
    }

    private sealed class RingSink : IImuSampleSink
    {
        private readonly SpscRing<ImuSample> _ring = new(1024);

        public bool OnSample(in ImuSample sample) => _ring.TryWrite(sample);

        public void OnFootfallAnnotation(int sensorId, long timeNs)
        {
        }

        public int Drain()
        {
            int n = 0;
            while (_ring.TryRead(out _))
            {
                n++;
            }

            return n;
        }
    }
}
