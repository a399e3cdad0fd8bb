using System.Runtime.InteropServices;

namespace IolaEdge.Daemon.Realtime.Interop;

/// <summary>The libc scheduling and memory-locking calls of the real-time owner, names verbatim. Each returns -1 with errno
/// (SetLastError) on failure; <see cref="ThreadScheduling"/> is the only caller and turns failures into text.</summary>
internal static partial class Libc
{
    /// <summary>SCHED_OTHER: the default time-sharing policy.</summary>
    internal const int SCHED_OTHER = 0;

    /// <summary>SCHED_FIFO: real-time, runs until it blocks or a higher priority wakes.</summary>
    internal const int SCHED_FIFO = 1;

    /// <summary>SCHED_RR: real-time with a time slice among equal priorities.</summary>
    internal const int SCHED_RR = 2;

    /// <summary>Or'ed into a policy: threads the thread creates start under SCHED_OTHER (kernel sched_fork), not under its RT policy.</summary>
    internal const int SCHED_RESET_ON_FORK = 0x40000000;

    /// <summary><c>mlockall</c> flag: lock every page mapped now.</summary>
    internal const int MCL_CURRENT = 1;

    /// <summary><c>mlockall</c> flag: lock every page mapped from now on.</summary>
    internal const int MCL_FUTURE = 2;

    /// <summary>RLIMIT_MEMLOCK (Linux, every architecture we build for).</summary>
    internal const int RLIMIT_MEMLOCK = 8;

    /// <summary>RLIMIT_RTPRIO (Linux).</summary>
    internal const int RLIMIT_RTPRIO = 14;

    /// <summary><c>pid_t gettid(void)</c> (glibc 2.30+): cannot fail.</summary>
    [LibraryImport("libc.so.6")]
    internal static partial int gettid();

    /// <summary><c>int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param)</c>; pid is a thread id on Linux.</summary>
    [LibraryImport("libc.so.6", SetLastError = true)]
    internal static unsafe partial int sched_setscheduler(int pid, int policy, sched_param* param);

    /// <summary><c>int sched_getscheduler(pid_t pid)</c>: the policy (possibly with SCHED_RESET_ON_FORK), or -1.</summary>
    [LibraryImport("libc.so.6", SetLastError = true)]
    internal static partial int sched_getscheduler(int pid);

    /// <summary><c>int sched_getparam(pid_t pid, struct sched_param *param)</c>.</summary>
    [LibraryImport("libc.so.6", SetLastError = true)]
    internal static unsafe partial int sched_getparam(int pid, sched_param* param);

    /// <summary><c>int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask)</c>.</summary>
    [LibraryImport("libc.so.6", SetLastError = true)]
    internal static unsafe partial int sched_setaffinity(int pid, nuint cpusetsize, ulong* mask);

    /// <summary><c>int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask)</c>.</summary>
    [LibraryImport("libc.so.6", SetLastError = true)]
    internal static unsafe partial int sched_getaffinity(int pid, nuint cpusetsize, ulong* mask);

    /// <summary><c>int mlockall(int flags)</c>.</summary>
    [LibraryImport("libc.so.6", SetLastError = true)]
    internal static partial int mlockall(int flags);

    /// <summary><c>int getrlimit(int resource, struct rlimit *rlim)</c>.</summary>
    [LibraryImport("libc.so.6", SetLastError = true)]
    internal static unsafe partial int getrlimit(int resource, rlimit* rlim);

    /// <summary><c>struct sched_param { int sched_priority; }</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct sched_param
    {
        public int sched_priority;
    }

    /// <summary><c>struct rlimit { rlim_t rlim_cur, rlim_max; }</c>; rlim_t is unsigned long.</summary>
#pragma warning disable CS8981 // the native name, verbatim
    [StructLayout(LayoutKind.Sequential)]
    internal struct rlimit
    {
        public nuint rlim_cur;
        public nuint rlim_max;
    }
#pragma warning restore CS8981
}
