using System.Globalization;

namespace IolaEdge.Daemon.Realtime;

/// <summary>The real-time threads the daemon owns.</summary>
internal enum RealtimeRole
{
    /// <summary>The pipeline thread: ring → detector → gate → MIDI queue.</summary>
    Pipeline,

    /// <summary>The MIDI engine's thread: queue → output, note-offs, clock.</summary>
    Midi,
}

/// <summary>What one real-time thread got, read back from the kernel after <see cref="RealtimeThreads"/> applied the policy.</summary>
/// <param name="Name">Thread name (<c>iolaedge-pipeline</c>, <c>iolaedge-midi</c>).</param>
/// <param name="Role">Which thread.</param>
/// <param name="Tid">Kernel thread id (/proc/PID/task/TID).</param>
/// <param name="Asked">The policy configured.</param>
/// <param name="AskedPriority">The priority configured (0 for SCHED_OTHER).</param>
/// <param name="Policy">The policy the kernel reports.</param>
/// <param name="Priority">The real-time priority the kernel reports (0 under SCHED_OTHER).</param>
/// <param name="Cpus">The CPUs the kernel lets it run on.</param>
/// <param name="PolicyFailure">Why the policy was refused, or null.</param>
/// <param name="AffinityFailure">Why the CPU affinity was refused, or null.</param>
internal sealed record RealtimeThreadState(string Name, RealtimeRole Role, int Tid, SchedulingPolicy Asked, int AskedPriority,
    SchedulingPolicy Policy, int Priority, CpuSet Cpus, SchedulingFailure? PolicyFailure, SchedulingFailure? AffinityFailure)
{
    /// <summary>E.g. <c>iolaedge-midi (tid 4242): SCHED_FIFO priority 30, CPUs 1</c>, with what was asked when it differs.</summary>
    public string Describe()
    {
        string applied = Policy.IsRealtime()
            ? string.Create(CultureInfo.InvariantCulture, $"{Policy.KernelName()} priority {Priority}")
            : Policy.KernelName();
        string refused = PolicyFailure is null ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $" (asked {Asked.KernelName()} priority {AskedPriority}: refused)");
        string cpusRefused = AffinityFailure is null ? string.Empty : " (asked CPUs: refused)";
        return string.Create(CultureInfo.InvariantCulture, $"{Name} (tid {Tid}): {applied}{refused}, CPUs {Cpus}{cpusRefused}");
    }
}
