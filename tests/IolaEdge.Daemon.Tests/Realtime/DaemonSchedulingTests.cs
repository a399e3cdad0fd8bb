using System.Globalization;
using System.Text.RegularExpressions;
using IolaEdge.Daemon.Tests.Support;

namespace IolaEdge.Daemon.Tests.Realtime;

/// <summary>The real daemon, its threads read from /proc while it runs: only the pipeline and MIDI threads are real-time.</summary>
[Trait("Category", "Peer")]
public sealed class DaemonSchedulingTests
{
    [Fact]
    public void Only_the_pipeline_and_midi_threads_run_real_time_even_when_the_launcher_made_the_whole_process_real_time()
    {
        using TempDirectory temp = new();
        bool privileged = KernelThreadView.MayUseRealtime(30);

        // Privileged (root in CI): start the process under SCHED_RR 10, as the old unit's CPUSchedulingPolicy=rr did. Unprivileged:
        // a plain start, and the owner's refusal is what must show.
        string[] launcher = privileged ? ["chrt", "--rr", "10"] : [];
        using IolaEdgeProcess daemon = IolaEdgeProcess.Start(temp.Path, null, launcher,
            "run", "--source", "sim:seed=2,minutes=0.5", "--speed", "1", "--duration", "8", "--midi-file", temp.File("walk.mid"), "--progress", "0",
            "--set", "Realtime:Policy=Fifo", "--set", "Realtime:PipelinePriority=20", "--set", "Realtime:MidiPriority=30");
        Assert.True(daemon.WaitForOutput("Real-time thread iolaedge-midi", TimeSpan.FromSeconds(60)), daemon.Stdout + daemon.Stderr);

        // Threads born after start are set back within one health poll (250 ms); allow a few.
        string pid = daemon.Id.ToString(CultureInfo.InvariantCulture);
        List<(int Tid, int Policy, int Priority, string Name)> threads = [];
        for (int attempt = 0; attempt < 20; attempt++)
        {
            threads = Snapshot(pid);
            if (threads.Where(t => !IsOwned(t.Name)).All(t => t.Policy == 0))
            {
                break;
            }

            Thread.Sleep(250);
        }

        (int Tid, int Policy, int Priority, string Name) pipeline = Assert.Single(threads, t => t.Name == "iolaedge-pipeli"); // comm: 15 characters
        (int Tid, int Policy, int Priority, string Name) midi = Assert.Single(threads, t => t.Name == "iolaedge-midi");
        Assert.All(threads.Where(t => !IsOwned(t.Name)), t => Assert.True(t.Policy == 0, $"thread {t.Name} (tid {t.Tid}) runs under policy {t.Policy} priority {t.Priority}"));
        Assert.Contains(threads, t => t.Name == "iolaedge-log"); // a slow consumer was among them
        if (privileged)
        {
            Assert.Equal((1, 20), (pipeline.Policy, pipeline.Priority));
            Assert.Equal((1, 30), (midi.Policy, midi.Priority));
            Assert.Contains($"Real-time thread iolaedge-pipeline (tid {pipeline.Tid}): SCHED_FIFO priority 20, CPUs ", daemon.Stdout, StringComparison.Ordinal);
            Assert.Contains($"Real-time thread iolaedge-midi (tid {midi.Tid}): SCHED_FIFO priority 30, CPUs ", daemon.Stdout, StringComparison.Ordinal);
            Assert.Matches(@"\[INF\] Real-time scheduling: the process started under SCHED_RR \(inherited from its launcher.*\); \d+ threads set back to SCHED_OTHER", daemon.Stdout);
        }
        else
        {
            Assert.Equal((0, 0), (pipeline.Policy, pipeline.Priority));
            Assert.Equal((0, 0), (midi.Policy, midi.Priority));
            Assert.Single(Regex.Matches(daemon.Stdout, @"\[WRN\] real-time scheduling: not applied: .*CAP_SYS_NICE"));
        }

        Assert.Equal(0, daemon.WaitForExit(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void Memory_is_locked_when_asked_or_the_refusal_names_CAP_IPC_LOCK_and_LimitMEMLOCK()
    {
        using TempDirectory temp = new();
        string[] args = ["run", "--source", "sim:seed=3,minutes=0.5", "--speed", "1", "--duration", "4", "--midi", "none", "--progress", "0",
            "--set", "Realtime:LockMemory=true"];

        // Refused: an 8 MiB RLIMIT_MEMLOCK is far below the runtime's mapped size, and without CAP_IPC_LOCK (root: dropped
        // from the bounding set) nothing else grants it.
        bool root = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[2] == "0"; // effective uid
        string[] refuse = root
            ? ["prlimit", "--memlock=8388608", "setpriv", "--bounding-set", "-ipc_lock", "--inh-caps", "-ipc_lock"]
            : ["prlimit", "--memlock=8388608"];
        (int code, string stdout, string stderr) = IolaEdgeProcess.RunWrapped(temp.Path, TimeSpan.FromSeconds(90), refuse, args);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Match warning = Assert.Single(Regex.Matches(stdout, @"\[WRN\] real-time scheduling: not applied: .*mlockall.*"));
        Assert.Contains("no CAP_IPC_LOCK, RLIMIT_MEMLOCK 8 MiB", warning.Value, StringComparison.Ordinal);
        Assert.Contains("LimitMEMLOCK=infinity", warning.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("Memory locked", stdout, StringComparison.Ordinal);

        if (!KernelThreadView.HasCapability(14)) // CAP_IPC_LOCK
        {
            return; // nothing here can grant it: the refusal above is what this run can prove
        }

        using IolaEdgeProcess daemon = IolaEdgeProcess.Start(temp.Path, null, args);
        Assert.True(daemon.WaitForOutput("Memory locked: mlockall(MCL_CURRENT|MCL_FUTURE)", TimeSpan.FromSeconds(60)), daemon.Stdout + daemon.Stderr);
        string locked = File.ReadLines($"/proc/{daemon.Id}/status").First(l => l.StartsWith("VmLck:", StringComparison.Ordinal));
        Assert.True(long.Parse(locked.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) > 0, locked);
        Assert.Equal(0, daemon.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("; memory locked", daemon.Stdout, StringComparison.Ordinal); // the probe's state line
    }

    private static bool IsOwned(string name) => name is "iolaedge-pipeli" or "iolaedge-midi";

    private static List<(int Tid, int Policy, int Priority, string Name)> Snapshot(string pid)
    {
        List<(int, int, int, string)> threads = [];
        foreach (int tid in KernelThreadView.Tasks(pid))
        {
            if (KernelThreadView.Read(tid, pid) is { } t)
            {
                threads.Add((tid, t.Policy, t.Priority, t.Name));
            }
        }

        return threads;
    }
}
