using BenchmarkDotNet.Attributes;
using IolaEdge.Recording;
using IolaEdge.Dsp.Samples;
using Microsoft.Extensions.Logging.Abstractions;

namespace IolaEdge.Benchmarks.Recording;

/// <summary>
/// The session recorder: what the pipeline thread pays per sample (<see cref="Enqueue"/>), and the
/// writer thread's cost per row from queue to file, fsync at stop included (<see cref="WriteToFile"/>).
/// </summary>
[MemoryDiagnoser]
public class RecorderBenchmarks
{
    private const int Rows = 10_000;
    private string _dir = "";
    private Recorder? _recorder;

    [GlobalSetup]
    public void Setup() => _dir = Directory.CreateTempSubdirectory("iolaedge-bench-").FullName;

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [IterationSetup]
    public void StartRecorder()
    {
        // 60 s of queue: every row of an invocation fits, so the writer's full cost is measured.
        _recorder = new Recorder(new RecorderOptions { Directory = _dir, QueueSeconds = 60 }, NullLogger.Instance, epochOffsetNs: 0);
        _recorder.Start();
    }

    [IterationCleanup]
    public void StopRecorder()
    {
        _recorder!.Dispose();
        foreach (string f in Directory.GetFiles(_dir))
        {
            File.Delete(f);
        }
    }

    /// <summary>Producer side only: one sample into the ring (the writer drains concurrently).</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public int Enqueue()
    {
        int accepted = 0;
        for (int i = 0; i < Rows; i++)
        {
            accepted += _recorder!.OnSample(new ImuSample(0, i, 1_000_000_000 + (i * 5_000_000L), 1_000_000_000 + (i * 5_000_000L), 0.1f, -0.98f, 0.05f)) ? 1 : 0;
        }

        return accepted;
    }

    /// <summary>Queue to file: enqueue, then stop (drain, format, write, fsync); per row.</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public long WriteToFile()
    {
        for (int i = 0; i < Rows; i++)
        {
            _recorder!.OnSample(new ImuSample(0, i, 1_000_000_000 + (i * 5_000_000L), 1_000_000_000 + (i * 5_000_000L), 0.1f, -0.98f, 0.05f));
        }

        _recorder!.Stop();
        return _recorder.RowsWritten;
    }
}
