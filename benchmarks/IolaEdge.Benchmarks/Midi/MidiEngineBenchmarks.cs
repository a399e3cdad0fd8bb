using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using HdrHistogram;
using IolaEdge.Daemon.Realtime;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Engine;
using IolaEdge.Midi.Mapping;
using IolaEdge.Midi.Outputs;

namespace IolaEdge.Benchmarks.Midi;

/// <summary>
/// Pipeline → MIDI processing latency: one footfall enqueued (arrival stamped now), the MIDI thread
/// wakes, maps it, writes the note on to a Standard MIDI File and a raw device (/dev/null: one
/// write(2) per message) and stamps it. One operation = one event, end to end, so Mean is the
/// enqueue→written time and Allocated is bytes per event (process-wide, MIDI thread included).
/// The stamped ProcessingLatencyNs (MIDI write − arrival) is collected in an HdrHistogram and its
/// p50/p99 printed at the end of each run. With <see cref="IdleBetweenEvents"/> the MIDI thread is
/// asleep when each footfall arrives (as in a walk: footfalls ~0.5 s apart), so the histogram shows the
/// wake-up path; Mean then includes the 5 ms idle pause and only the printed histogram is the latency.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class MidiEngineBenchmarks
{
    private readonly LongHistogram _latency = new(1, 10_000_000_000, 3);
    private string _dir = "";
    private MidiEngine _engine = null!;
    private RealtimeThreads _realtime = null!;
    private long _t;

    /// <summary>Pause 5 ms before each footfall so the MIDI thread is asleep when it arrives.</summary>
    [Params(false, true)]
    public bool IdleBetweenEvents { get; set; }

    /// <summary>SCHED_FIFO priority of the MIDI thread, applied by the daemon's real-time owner (0: SCHED_OTHER).</summary>
    [Params(0, 10)]
    public int RealtimePriority { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("iola-midi-bench-").FullName;
        var output = new FanOutMidiOutput([
            new StandardMidiFileWriter(Path.Combine(_dir, "bench.mid")),
            new RawMidiDeviceOutput("/dev/null"),
        ]);
        _realtime = new RealtimeThreads(new RealtimeOptions
        {
            Policy = RealtimePriority > 0 ? SchedulingPolicy.Fifo : SchedulingPolicy.Other,
            MidiPriority = Math.Max(1, RealtimePriority),
        }, Serilog.Core.Logger.None);
        _engine = new MidiEngine(output, new MidiMappingOptions
        {
            Default = new SensorMidiMapping { Velocity = VelocityCurve.Exponential, NoteLengthMs = 50 },
            CadenceControl = { Enabled = true },
            LatencyStamps = true,
        }, createThread: _realtime.For(RealtimeRole.Midi));
        _realtime.WaitUntilApplied(TimeSpan.FromSeconds(5));
    }

    [Benchmark(Description = "footfall enqueue -> MIDI written (SMF + raw device)")]
    public long EnqueueToWrite()
    {
        if (IdleBetweenEvents)
        {
            Thread.Sleep(5);
        }

        long processed = _engine.Processed;
        _t += 500_000_000;
        var footfall = new FootfallEvent(0, _t, _t, MonotonicClock.NowNs(), _t + 20_000_000, 0.9f, 1.2f);
        _engine.TryEnqueue(footfall);
        while (_engine.Processed == processed)
        {
            Thread.SpinWait(20);
        }

        FootfallEvent stamped;
        while (!_engine.Written.TryRead(out stamped))
        {
            Thread.SpinWait(20);
        }

        _latency.RecordValue(Math.Max(1, stamped.ProcessingLatencyNs));
        return stamped.MidiWriteTimeNs;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine(FormattableString.Invariant(
            $"// MIDI processing latency (write - arrival), idle between events: {IdleBetweenEvents}, SCHED_FIFO {RealtimePriority} ({_realtime.Problem ?? "ok"}), over {_latency.TotalCount} events: p50 {_latency.GetValueAtPercentile(50) / 1e3:F1} us, p99 {_latency.GetValueAtPercentile(99) / 1e3:F1} us, max {_latency.GetMaxValue() / 1e3:F1} us; enqueue drops {_engine.EnqueueDrops}"));
        _engine.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>Adds median and P95 columns to the default statistics.</summary>
public sealed class PercentileConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public PercentileConfig()
    {
        AddColumn(StatisticColumn.P50, StatisticColumn.P95);
    }
}
