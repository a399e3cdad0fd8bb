using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using IolaEdge.Bluetooth.DBus;
using IolaEdge.Bluetooth.Interop;
using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Benchmarks.Bluetooth;

/// <summary>
/// Cost of one MetaWear notification from sd-bus's callback entry to the SPSC ring: the same
/// [UnmanagedCallersOnly] entry point sd-bus calls, on a real sealed PropertiesChanged(Value: ay)
/// message (rewound per call), GCHandle → handler → in-place D-Bus parse → decode → ring.
/// Each operation also drains the ring (the consumer's share), so it does not fill up.
/// </summary>
[MemoryDiagnoser]
public unsafe class NotificationPathBenchmarks
{
    private const string NotifyPath = "/org/bluez/hci0/dev_F1_2B_3C_4D_5E_6F/service000a/char000d";
    private NotificationMessageFactory _factory = null!;
    private SdBusMessageHandle _packed = null!;
    private SdBusMessageHandle _plain = null!;
    private SdBusMessageHandle _truncated = null!;
    private RingSink _sink = null!;
    private AccelerationDecoder _decoder = null!;
    private AccelerationDecoder _plainDecoder = null!;
    private AccelerationDecoder _chainDecoder = null!;
    private byte[] _chainBytes = null!;
    private uint _chainCount;
    private long _chainT;
    private GCHandle _handler;
    private GCHandle _plainHandler;
    private byte[] _packedBytes = null!;
    private long _t;

    [GlobalSetup]
    public void Setup()
    {
        _packedBytes = Convert.FromHexString("031c62b7530de9fd16d04d0e57028affa1050a01");
        _factory = new NotificationMessageFactory();
        _packed = _factory.Create(NotifyPath, _packedBytes);
        _plain = _factory.Create(NotifyPath, Convert.FromHexString("030416c494a22ad0"));
        _truncated = _factory.Create(NotifyPath, Convert.FromHexString("031c62b7530de9fd16"));
        _sink = new RingSink();
        _decoder = new AccelerationDecoder(0);
        _decoder.Configure(_sink, 0x1c, 16, TimeSpan.FromMilliseconds(60));
        _plainDecoder = new AccelerationDecoder(0);
        _plainDecoder.Configure(_sink, 0x04, 16, TimeSpan.FromMilliseconds(60));
        _chainBytes = Convert.FromHexString("0903018D0000004EFF35FD79074DFF35FD7D07"); // TestAccounter.test_count_and_time, id 1
        _chainDecoder = new AccelerationDecoder(0);
        _chainDecoder.Configure(_sink, MetaWearCommands.PlainDataRegister, 16, TimeSpan.FromMilliseconds(60), 1, MetaWearCommands.PackedPerCount);
        _handler = GCHandle.Alloc(new NotificationHandler(_decoder));
        _plainHandler = GCHandle.Alloc(new NotificationHandler(_plainDecoder));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _handler.Free();
        _plainHandler.Free();
        _packed.Dispose();
        _plain.Dispose();
        _truncated.Dispose();
        _factory.Dispose();
    }

    [Benchmark(Baseline = true, Description = "packed notification (3 samples): callback → ring")]
    public int PackedCallbackToRing() => Deliver(_packed, _handler);

    [Benchmark(Description = "plain notification (1 sample): callback → ring")]
    public int PlainCallbackToRing() => Deliver(_plain, _plainHandler);

    [Benchmark(Description = "truncated notification: callback → counted reject")]
    public int TruncatedCallbackRejected() => Deliver(_truncated, _handler);

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

    private int Deliver(SdBusMessageHandle message, GCHandle handler)
    {
        NotificationMessageFactory.Rewind(message);
        BusCallbacks.Signal(message.DangerousGetHandle(), GCHandle.ToIntPtr(handler), null);
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
