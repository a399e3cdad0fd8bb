using System.Globalization;
using System.Runtime.InteropServices;
using IolaEdge.Daemon.Realtime.Interop;

namespace IolaEdge.Daemon.Realtime;

/// <summary>A refused scheduling call: the call as written, errno and the kernel's text.</summary>
/// <param name="Call">E.g. <c>sched_setscheduler(SCHED_FIFO, 20)</c>.</param>
/// <param name="Errno">errno after the call.</param>
/// <param name="Message">strerror text.</param>
internal sealed record SchedulingFailure(string Call, int Errno, string Message)
{
    /// <summary>EPERM: the caller lacks the capability or rlimit.</summary>
    public const int EPERM = 1;

    /// <summary>EAGAIN: mlockall over RLIMIT_MEMLOCK.</summary>
    public const int EAGAIN = 11;

    /// <summary>ENOMEM: mlockall over RLIMIT_MEMLOCK (older kernels), or out of memory.</summary>
    public const int ENOMEM = 12;

    /// <summary>EINVAL: e.g. a CPU that is not online or not in the cpuset.</summary>
    public const int EINVAL = 22;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Call} failed: {Message} (errno {Errno})");
}

/// <summary>
/// The one place that calls sched_setscheduler, sched_setaffinity and mlockall (see <see cref="RealtimeThreads"/>, their only
/// user). Each method returns null or the refusal; nothing throws, because a daemon without privileges must still run.
/// </summary>
internal static class ThreadScheduling
{
    // 1024 CPUs, glibc's CPU_SETSIZE: sched_getaffinity refuses a buffer smaller than the kernel's CPU count.
    private const int AffinityWords = 16;

    /// <summary>The kernel thread id of the calling thread (what /proc/self/task and <c>ps -L</c> show).</summary>
    public static int CurrentThreadId() => Libc.gettid();

    /// <summary>Puts thread <paramref name="tid"/> under <paramref name="policy"/>. Real-time policies carry SCHED_RESET_ON_FORK,
    /// so a thread that a real-time thread creates starts under SCHED_OTHER instead of inheriting the priority.</summary>
    public static unsafe SchedulingFailure? TrySet(int tid, SchedulingPolicy policy, int priority)
    {
        int native = policy switch
        {
            SchedulingPolicy.Fifo => Libc.SCHED_FIFO | Libc.SCHED_RESET_ON_FORK,
            SchedulingPolicy.RoundRobin => Libc.SCHED_RR | Libc.SCHED_RESET_ON_FORK,
            _ => Libc.SCHED_OTHER,
        };
        int effective = policy.IsRealtime() ? priority : 0;
        Libc.sched_param param = new() { sched_priority = effective };
        return Libc.sched_setscheduler(tid, native, &param) == 0
            ? null
            : Failure(string.Create(CultureInfo.InvariantCulture, $"sched_setscheduler({policy.KernelName()}, {effective})"));
    }

    /// <summary>The policy and real-time priority of thread <paramref name="tid"/> as the kernel has them, or null when it has ended.</summary>
    public static unsafe (SchedulingPolicy Policy, int Priority)? Read(int tid)
    {
        int policy = Libc.sched_getscheduler(tid);
        Libc.sched_param param = default;
        if (policy < 0 || Libc.sched_getparam(tid, &param) != 0)
        {
            return null;
        }

        SchedulingPolicy managed = (policy & ~Libc.SCHED_RESET_ON_FORK) switch
        {
            Libc.SCHED_FIFO => SchedulingPolicy.Fifo,
            Libc.SCHED_RR => SchedulingPolicy.RoundRobin,
            _ => SchedulingPolicy.Other, // SCHED_BATCH and SCHED_IDLE count as not real-time
        };
        return (managed, param.sched_priority);
    }

    /// <summary>Restricts thread <paramref name="tid"/> to <paramref name="cpus"/> (not empty).</summary>
    public static unsafe SchedulingFailure? TrySetAffinity(int tid, CpuSet cpus)
    {
        ulong* mask = stackalloc ulong[AffinityWords];
        new Span<ulong>(mask, AffinityWords).Clear();
        mask[0] = cpus.Mask;
        return Libc.sched_setaffinity(tid, (nuint)(AffinityWords * sizeof(ulong)), mask) == 0
            ? null
            : Failure($"sched_setaffinity(CPUs {cpus})");
    }

    /// <summary>The CPUs thread <paramref name="tid"/> may run on (0..63), empty when the call fails.</summary>
    public static unsafe CpuSet ReadAffinity(int tid)
    {
        ulong* mask = stackalloc ulong[AffinityWords];
        return Libc.sched_getaffinity(tid, (nuint)(AffinityWords * sizeof(ulong)), mask) < 0 ? default : new CpuSet(mask[0]);
    }

    /// <summary>mlockall(MCL_CURRENT | MCL_FUTURE): no page of the process is paged out, or faulted in late, from now on.</summary>
    public static SchedulingFailure? TryLockMemory() =>
        Libc.mlockall(Libc.MCL_CURRENT | Libc.MCL_FUTURE) == 0 ? null : Failure("mlockall(MCL_CURRENT|MCL_FUTURE)");

    /// <summary>The soft RLIMIT_RTPRIO (highest real-time priority allowed without CAP_SYS_NICE).</summary>
    public static ulong RealtimePriorityLimit() => SoftLimit(Libc.RLIMIT_RTPRIO);

    /// <summary>The soft RLIMIT_MEMLOCK in bytes (ulong.MaxValue: unlimited).</summary>
    public static ulong MemoryLockLimit() => SoftLimit(Libc.RLIMIT_MEMLOCK);

    private static unsafe ulong SoftLimit(int resource)
    {
        Libc.rlimit limit = default;
        if (Libc.getrlimit(resource, &limit) != 0)
        {
            return 0;
        }

        // RLIM_INFINITY is all ones in an unsigned long of either width.
        return limit.rlim_cur == nuint.MaxValue ? ulong.MaxValue : limit.rlim_cur;
    }

    private static SchedulingFailure Failure(string call)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new SchedulingFailure(call, errno, Marshal.GetPInvokeErrorMessage(errno));
    }
}
