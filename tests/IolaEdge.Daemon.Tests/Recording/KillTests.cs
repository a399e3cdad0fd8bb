using System.Diagnostics;
using IolaEdge.Daemon.Tests.Recording.Support;
using IolaEdge.Recording;

namespace IolaEdge.Daemon.Tests.Recording;

public sealed class KillTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-kill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [Trait("Category", "Slow")]
    public void A_recorder_killed_with_SIGKILL_loses_at_most_about_a_second()
    {
        // A child iolaedge records a 200 Hz walk replayed as live; it is killed mid-walk.
        string walk = RecordCommandTests.WriteWalk(_dir, 2_000); // 10 s
        string outDir = Path.Combine(_dir, "out");
        string bin = AppContext.BaseDirectory;
        ProcessStartInfo psi = new(Path.Combine(bin, "iolaedge"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["DOTNET_STARTUP_HOOKS"] = typeof(KillTests).Assembly.Location;
        psi.Environment[StartupHook.ArgsVariable] = string.Join('\n', "--out", outDir, "--source", "file:" + walk, "--no-button");
        using Process child = Process.Start(psi)!;
        try
        {
            // Wait until the child has written its first flush, then let it run 3 s more.
            Assert.True(SpinWait.SpinUntil(() => Directory.Exists(outDir) && Directory.GetFiles(outDir).Length == 1 &&
                new FileInfo(Directory.GetFiles(outDir)[0]).Length > 1000, TimeSpan.FromSeconds(30)), "child never started recording");
            Thread.Sleep(3_000);
            long killedAtEpochNs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
            child.Kill(); // SIGKILL: no drain, no fsync, no managed code runs
            Assert.True(child.WaitForExit(10_000));
            Assert.Equal(137, child.ExitCode);
            string file = Assert.Single(Directory.GetFiles(outDir));
            List<RecordedRow> rows = RecordedFiles.Read(file, out long malformed);
            Assert.True(malformed <= 1, $"{malformed} malformed (at most the torn last line)");
            long lastNs = rows[^1].TimeNs;
            double lostSeconds = (killedAtEpochNs - lastNs) / 1e9;
            output.WriteLine($"kill -9: last row {lostSeconds:0.000} s before the kill, {rows.Count} rows kept");
            Assert.True(lostSeconds < 2.0, // flush every 1 s + writer poll; slack for a loaded CI machine
                $"last row {lostSeconds:0.000} s before the kill; {rows.Count} rows kept");
            Assert.True(rows.Count > 400, $"{rows.Count} rows kept");
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }
}
