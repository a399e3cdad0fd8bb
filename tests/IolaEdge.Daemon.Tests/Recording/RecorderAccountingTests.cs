using System.Diagnostics;
using IolaEdge.Recording;
using IolaEdge.Daemon.Tests.Recording.Support;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Tests.Recording;

/// <summary>The recorder's books: offered = written + dropped + not recorded + lost on the I/O error, and "written" is on disk.</summary>
public sealed class RecorderAccountingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-books-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [Trait("Category", "Peer")]
    public void On_a_full_disk_rows_counted_as_written_are_complete_in_the_file_and_the_books_balance()
    {
        // A real ENOSPC from the kernel: a 64 KiB tmpfs (needs root, as CI runs).
        string mount = Path.Combine(_dir, "tiny");
        Directory.CreateDirectory(mount);
        Assert.True(Mount("mount", $"-t tmpfs -o size=64k tmpfs {mount}"), "mounting a tmpfs needs root");
        try
        {
            CapturingLogger log = new();
            using Recorder rec = new(new RecorderOptions { Directory = mount, FlushEveryRows = 300 }, log, epochOffsetNs: 0);
            Assert.True(rec.Start());
            for (int i = 0; i < 6000; i++)
            {
                rec.OnSample(new ImuSample(0, i, 0, 1_000_000_000 + (i * 5_000_000L), 0.123456f * i, -1f, 0.5f));
                if (i % 200 == 0)
                {
                    Thread.Sleep(5); // rows are lost to the disk, not to the queue
                }
            }

            rec.Stop();

            Assert.Equal(RecorderState.Failed, rec.State);
            Assert.Equal(6000, rec.Offered);
            Assert.Equal(rec.Offered, rec.RowsWritten + rec.Dropped + rec.NotRecorded + rec.LostOnFailure);
            Assert.True(rec.LostOnFailure + rec.NotRecorded > 0);
            string[] lines = File.ReadAllLines(rec.Files[0]);
            int fields = lines[0].Split(',').Length;
            int complete = lines.Skip(1).Count(l => l.Split(',').Length == fields && l.Contains(",sample,", StringComparison.Ordinal));
            Assert.True(complete >= rec.RowsWritten, $"{rec.RowsWritten} rows counted as written, {complete} complete rows in the file");
            Assert.True(rec.RowsWritten > 300, $"{rec.RowsWritten} rows written");
        }
        finally
        {
            Mount("umount", mount);
        }
    }

    private static bool Mount(string tool, string args)
    {
        using Process p = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardError = true })!;
        p.WaitForExit(10_000);
        return p.ExitCode == 0;
    }
}
