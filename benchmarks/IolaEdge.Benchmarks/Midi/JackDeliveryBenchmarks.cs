using System.Diagnostics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using HdrHistogram;
using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Rtmidi;

namespace IolaEdge.Benchmarks.Midi;

/// <summary>
/// JACK delivery latency: rtmidi send → a second rtmidi client's input receives it, through a
/// private <c>jackd -d dummy</c> (period 256 at 48 kHz = 5.33 ms, non-realtime). Delivery waits for the
/// next period boundary, so expect a median near 2.7 ms and p99 near one period. Needs jackd2 and
/// librtmidi6 (scripts/deps/midi.apt).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public partial class JackDeliveryBenchmarks
{
    private readonly LongHistogram _latency = new(1, 10_000_000_000, 3);
    private readonly byte[] _buffer = new byte[64];
    private Process? _jackd;
    private RtMidiOutputPort? _out;
    private RtMidiInputPort? _in;
    private int _note;
    private long _lost;

    [GlobalSetup]
    public void Setup()
    {
        string server = $"iola-bench-{Environment.ProcessId}";
        SetEnv("JACK_DEFAULT_SERVER", server);
        SetEnv("JACK_NO_START_SERVER", "1");
        var psi = new ProcessStartInfo("jackd", ["--no-realtime", "--port-max", "64", "-d", "dummy", "--rate", "48000", "--period", "256", "--capture", "0", "--playback", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _jackd = Process.Start(psi)!;
        _jackd.OutputDataReceived += (_, _) => { };
        _jackd.ErrorDataReceived += (_, _) => { };
        _jackd.BeginOutputReadLine();
        _jackd.BeginErrorReadLine();
        for (int i = 0; i < 200 && !TryOpen(); i++)
        {
            Thread.Sleep(50);
        }

        if (_out is null)
        {
            throw new InvalidOperationException("JACK dummy server did not come up");
        }
    }

    [Benchmark(Description = "JACK note on: rtmidi send -> rtmidi receive")]
    public int SendToReceive()
    {
        _note = (_note + 1) & 0x7F;
        long sent = MonotonicClock.NowNs();
        _out!.Send(MidiMessage.NoteOn(0, _note, 100), 0);
        int n;
        long deadline = sent + 1_000_000_000;
        while ((n = _in!.TryReceive(_buffer)) == 0)
        {
            if (MonotonicClock.NowNs() > deadline)
            {
                _lost++; // JACK drops messages on xruns when the CPU is saturated (midi-platform.md §1)
                return 0;
            }

            Thread.Yield(); // no sleep: a 1 ms sleep would dominate; yield keeps JACK's thread scheduled
        }

        _latency.RecordValue(Math.Max(1, MonotonicClock.NowNs() - sent));
        return n;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine(FormattableString.Invariant(
            $"// JACK delivery latency over {_latency.TotalCount} notes: p50 {_latency.GetValueAtPercentile(50) / 1e6:F2} ms, p99 {_latency.GetValueAtPercentile(99) / 1e6:F2} ms, max {_latency.GetMaxValue() / 1e6:F2} ms; lost {_lost}"));
        _out?.Dispose();
        _in?.Dispose();
        if (_jackd is { HasExited: false })
        {
            _jackd.Kill();
            _jackd.WaitForExit();
        }

        _jackd?.Dispose();
    }

    private bool TryOpen()
    {
        try
        {
            _in = RtMidiInputPort.OpenVirtual(RtMidiApi.Jack, "bench-rx", "in");
            _out = RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.ByName("bench-rx:in"), "bench-tx");
            return true;
        }
        catch (RtMidiException)
        {
            _in?.Dispose();
            _in = null;
            return false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvNative(string name, string value, int overwrite);

    private static void SetEnv(string name, string value)
    {
        // libjack reads the native environment; Environment.SetEnvironmentVariable does not reach it on Unix.
        SetEnvNative(name, value, 1);
        Environment.SetEnvironmentVariable(name, value);
    }
}
