using System.Runtime.InteropServices;
using IolaEdge.Midi.Interop;

namespace IolaEdge.Midi.Engine;

/// <summary>
/// Puts the calling thread under SCHED_FIFO so a footfall wakes the MIDI thread within microseconds
/// even when every core is busy (as Bela runs its audio and MIDI threads). Needs root or CAP_SYS_NICE;
/// the kernel's RT throttling (95 % by default) still bounds a runaway thread.
/// </summary>
internal static class RealtimeScheduling
{
    private const int EPERM = 1;

    /// <summary>Tries SCHED_FIFO at <paramref name="priority"/> (1..99) for the calling thread.</summary>
    /// <returns>Null on success, else the error text naming the call and errno.</returns>
    public static unsafe string? TryEnableForCurrentThread(int priority)
    {
        var param = new Libc.sched_param { sched_priority = priority };
        if (Libc.sched_setscheduler(0, Libc.SCHED_FIFO, &param) == 0)
        {
            return null;
        }

        int errno = Marshal.GetLastPInvokeError();
        // EPERM is the usual case: an unprivileged user whose RLIMIT_RTPRIO is 0. Say what grants it.
        string remedy = errno == EPERM
            ? $"; it needs CAP_SYS_NICE or an RLIMIT_RTPRIO of at least {priority} (systemd: LimitRTPRIO={priority}, or AmbientCapabilities=CAP_SYS_NICE; shell: ulimit -r {priority})"
            : string.Empty;
        return $"sched_setscheduler(SCHED_FIFO, {priority}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}){remedy}; the MIDI thread runs with normal scheduling";
    }
}
