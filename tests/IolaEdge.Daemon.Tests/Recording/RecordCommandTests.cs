using System.CommandLine;
using IolaEdge.Daemon.Commands;
using IolaEdge.Daemon.Tests.Recording.Support;
using IolaEdge.Dsp.Samples;
using IolaEdge.Recording;

namespace IolaEdge.Daemon.Tests.Recording;

// These tests redirect the process-wide Console.Error: they run alone, or another class's in-process command (eval's
// "all files failed") writing to stderr meanwhile lands in their capture.
[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleGroup;

[Collection("Console")]
public sealed class RecordCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-recverb-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<int> Record(params string[] args) =>
        new RootCommand { new RecordCommand() }.Parse(["record", .. args]).InvokeAsync();

    internal static string WriteWalk(string dir, int samples, int everyMs = 5)
    {
        string path = Path.Combine(dir, "walk.csv");
        using RecordingCsvWriter w = RecordingCsvWriter.Create(path);
        long t0 = 1_747_236_808_595L * 1_000_000;
        for (int i = 0; i < samples; i++)
        {
            long t = t0 + (i * everyMs * 1_000_000L);
            w.WriteSample(new ImuSample(0, i, 0, t, 0.1f, 0.2f, 1f));
            if (i % 100 == 50)
            {
                w.WriteFootfall(0, t);
            }
        }

        return path;
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Recording_a_replayed_walk_writes_every_sample_stamped_as_live()
    {
        string walk = WriteWalk(_dir, 100); // 0.5 s at 200 Hz
        string outDir = Path.Combine(_dir, "out");
        Assert.Equal(0, await Record("--out", outDir, "--source", "file:" + walk, "--no-button"));
        string file = Assert.Single(Directory.GetFiles(outDir, "session-*.csv"));
        List<RecordedRow> rows = RecordedFiles.Read(file);
        Assert.Equal(100, rows.Count(r => r.Kind == RecordedRowKind.Sample)); // the file's own marks are not this session's truth
        Assert.All(rows, r => Assert.NotEqual(0, r.Sample.SensorTimeNs));
        long nowNs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        Assert.InRange(rows[^1].TimeNs, nowNs - 60_000_000_000, nowNs + 1_000_000_000); // re-stamped on today's clock
    }

    [Fact]
    public async Task An_unwritable_output_directory_exits_1()
    {
        string file = Path.Combine(_dir, "f");
        File.WriteAllText(file, "");
        Assert.Equal(1, await Record("--out", Path.Combine(file, "sub"), "--no-button", "--duration", "0.1"));
    }

    [Theory]
    [InlineData("--source", "ble:foo")]
    [InlineData("--rotate-mb", "0")]
    [InlineData("--button-pin", "5000")]
    [InlineData("--duration", "-1")]
    public async Task A_bad_option_exits_2(string option, string value)
    {
        Assert.Equal(2, await Record("--out", _dir, "--no-button", option, value));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData("--rotate-mb", "0", "--rotate-mb = '0' is invalid; allowed: [0.004, 1048576] MiB.")]
    [InlineData("--rotate-minutes", "-1", "--rotate-minutes = '-1' is invalid; allowed: [0.02, 10080] minutes.")]
    [InlineData("--button-pin", "5000", "--button-pin = '5000' is invalid; allowed: [0, 1023].")]
    public async Task A_bad_option_is_one_line_naming_it_in_its_own_units(string option, string value, string message)
    {
        (int code, string error) = await RecordCapturingErrors("--out", _dir, "--no-button", option, value);

        Assert.Equal(2, code);
        Assert.Equal("iolaedge record: " + message, error.Trim());
    }

    [Fact]
    public async Task An_output_path_that_is_a_file_exits_2_with_one_line_naming_it()
    {
        string file = Path.Combine(_dir, "walks");
        File.WriteAllText(file, "");

        (int code, string error) = await RecordCapturingErrors("--out", file, "--no-button", "--duration", "0.1");

        Assert.Equal(2, code);
        Assert.Equal($"iolaedge record: --out = '{file}' is a file; give a directory (created if missing).", error.Trim());
        Assert.Equal(0, new FileInfo(file).Length);
    }

    [Fact]
    public async Task A_missing_source_file_exits_2_with_one_line_naming_it()
    {
        (int code, string error) = await RecordCapturingErrors("--out", _dir, "--no-button", "--source", "file:" + Path.Combine(_dir, "absent.csv"), "--duration", "0.2");
        Assert.Equal(2, code);
        Assert.Equal($"iolaedge record: --source = 'file:{Path.Combine(_dir, "absent.csv")}': no such file", error.Trim());
    }

    [Fact]
    public async Task A_garbage_source_file_exits_2_with_one_line_naming_it_and_no_stack_trace()
    {
        string garbage = Path.Combine(_dir, "garbage.csv");
        File.WriteAllText(garbage, "garbage\n1,2\n");
        (int code, string error) = await RecordCapturingErrors("--out", Path.Combine(_dir, "out"), "--no-button", "--source", "file:" + garbage, "--duration", "0.2");
        Assert.Equal(2, code);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"iolaedge record: --source = 'file:{garbage}': recording CSV: header must name", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_control_socket_in_a_missing_directory_exits_2_with_one_line_naming_it()
    {
        string socket = Path.Combine(_dir, "no-such-dir", "ctl.sock");
        (int code, string error) = await RecordCapturingErrors("--out", Path.Combine(_dir, "out"), "--no-button", "--control-socket", socket, "--duration", "0.2");
        Assert.Equal(2, code);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"iolaedge record: --control-socket = '{socket}': no such directory '{Path.Combine(_dir, "no-such-dir")}'", line);
    }

    private static async Task<(int Code, string Error)> RecordCapturingErrors(params string[] args)
    {
        TextWriter before = Console.Error;
        StringWriter captured = new();
        Console.SetError(captured);
        try
        {
            return (await Record(args), captured.ToString());
        }
        finally
        {
            Console.SetError(before);
        }
    }
}
