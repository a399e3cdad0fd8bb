using System.Globalization;

namespace IolaEdge.Daemon.Tests.Realtime;

/// <summary>What the kernel says about a thread, read from /proc (not through the daemon's own sched_getscheduler calls), and
/// whether this test process may use real-time policies at all.</summary>
internal static class KernelThreadView
{
    /// <summary>Policy (0 SCHED_OTHER, 1 SCHED_FIFO, 2 SCHED_RR) and rt_priority of a thread of process <paramref name="pid"/>
    /// (/proc/PID/task/TID/stat fields 41 and 40), or null once it has ended.</summary>
    public static (int Policy, int Priority, string Name)? Read(int tid, string pid = "self")
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/task/{tid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // "tid (comm) state ...": comm may hold spaces and parentheses, so split after the last ')'.
        int close = stat.LastIndexOf(')');
        string name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close];
        string[] fields = stat[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state): field N is fields[N - 3].
        return (int.Parse(fields[41 - 3], CultureInfo.InvariantCulture), int.Parse(fields[40 - 3], CultureInfo.InvariantCulture), name);
    }

    /// <summary>The thread ids of process <paramref name="pid"/>.</summary>
    public static IEnumerable<int> Tasks(string pid = "self") =>
        Directory.EnumerateDirectories($"/proc/{pid}/task").Select(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture));

    /// <summary>The CPUs a thread may run on, as the kernel lists them (Cpus_allowed_list).</summary>
    public static string CpusAllowed(int tid) =>
        File.ReadLines($"/proc/self/task/{tid}/status").First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)).Split(':')[1].Trim();

    /// <summary>True when capability <paramref name="bit"/> is effective in this process (CapEff in /proc/self/status).</summary>
    public static bool HasCapability(int bit) =>
        (ulong.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapEff:", StringComparison.Ordinal))[7..].Trim(),
            NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << bit)) != 0;

    /// <summary>True when this process may put a thread under a real-time policy at <paramref name="priority"/>: CAP_SYS_NICE is
    /// effective, or RLIMIT_RTPRIO allows it (root in CI; an unprivileged developer usually not).</summary>
    public static bool MayUseRealtime(int priority)
    {
        if (HasCapability(23)) // CAP_SYS_NICE
        {
            return true;
        }

        string limit = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max realtime priority", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        return limit == "unlimited" || int.Parse(limit, CultureInfo.InvariantCulture) >= priority;
    }
}
