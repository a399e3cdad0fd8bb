using System.Runtime.InteropServices;

namespace IolaEdge.Midi.Interop;

/// <summary>libc calls of the MIDI layer, names verbatim.</summary>
internal static partial class Libc
{
    /// <summary>Linux SCHED_FIFO policy.</summary>
    internal const int SCHED_FIFO = 1;

    /// <summary><c>uid_t getuid(void)</c>: cannot fail.</summary>
    [LibraryImport("libc.so.6")]
    internal static partial uint getuid();

    /// <summary><c>int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param)</c>; pid 0 is the calling thread on Linux. Returns -1 with errno.</summary>
    [LibraryImport("libc.so.6", SetLastError = true)]
    internal static unsafe partial int sched_setscheduler(int pid, int policy, sched_param* param);

    /// <summary><c>struct sched_param { int sched_priority; }</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct sched_param
    {
        public int sched_priority;
    }
}
