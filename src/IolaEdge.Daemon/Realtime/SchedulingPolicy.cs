namespace IolaEdge.Daemon.Realtime;

/// <summary>The Linux scheduling policy of the daemon's real-time threads (<c>Realtime:Policy</c>).</summary>
internal enum SchedulingPolicy
{
    /// <summary>SCHED_OTHER: ordinary time sharing; the real-time threads compete with everything else.</summary>
    Other,

    /// <summary>SCHED_FIFO: runs as soon as it wakes, until it blocks or a higher priority wakes (the default in the shipped configuration).</summary>
    Fifo,

    /// <summary>SCHED_RR: as FIFO, with a time slice shared among threads of equal priority.</summary>
    RoundRobin,
}

/// <summary>Names as the kernel and <c>chrt</c> print them.</summary>
internal static class SchedulingPolicyNames
{
    /// <summary>SCHED_OTHER, SCHED_FIFO or SCHED_RR.</summary>
    public static string KernelName(this SchedulingPolicy policy) => policy switch
    {
        SchedulingPolicy.Fifo => "SCHED_FIFO",
        SchedulingPolicy.RoundRobin => "SCHED_RR",
        _ => "SCHED_OTHER",
    };

    /// <summary>True for the policies that take a priority (FIFO, RR).</summary>
    public static bool IsRealtime(this SchedulingPolicy policy) => policy is SchedulingPolicy.Fifo or SchedulingPolicy.RoundRobin;
}
