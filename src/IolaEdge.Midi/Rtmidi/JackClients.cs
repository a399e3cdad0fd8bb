using System.Diagnostics;

namespace IolaEdge.Midi.Rtmidi;

/// <summary>
/// This process's rtmidi JACK clients, each with the run of the server it joined. No client is opened, nor tried, while a
/// client of an earlier run (or of a server that is not running now) is still open: the open fails, naming them, and its
/// owner retries at its next rescan.
/// </summary>
/// <remarks>
/// libjack (jackd2 1.9.21), asked for a client after its server died, first frees every client the process still has,
/// whether or not a server then answers. An owner that then lists ports on its client, closes it or frees it uses freed
/// memory: a test host crashed so, on the finalizer thread, and the daemon while jackd was being restarted. Each owner's probe sees its server gone or changed within one rescan and closes its client, so
/// the wait lasts about a rescan. A client still open after <see cref="StaleGrace"/> (its owner stuck in a send, whose
/// ring never drains with the server gone, or a leak) ends the wait: it is left to libjack, and closing it later frees
/// nothing of it (the rtmidi object leaks, a few hundred bytes).
/// </remarks>
internal static class JackClients
{
    /// <summary>How long an open waits for the clients of an earlier run to be closed by their owners.</summary>
    public static readonly TimeSpan StaleGrace = TimeSpan.FromSeconds(5);

    private static readonly Lock s_lock = new();
    private static readonly List<RtMidiDevice> s_open = [];
    private static long s_leftToLibjack;

    /// <summary>Clients left to libjack since the process started (<see cref="StaleGrace"/>).</summary>
    public static long LeftToLibjack => Interlocked.Read(ref s_leftToLibjack);

    /// <summary>
    /// Before a create, which tries to open a client: the run of the server the client will join, null when no server runs
    /// (rtmidi then makes an object without a client, which tries again on a later call: <see cref="Join"/>).
    /// </summary>
    /// <exception cref="RtMidiException">Clients of an earlier run of the server are still open.</exception>
    public static JackServerRun? BeforeOpen(string call)
    {
        lock (s_lock)
        {
            return CheckEarlierRunsClosed(call);
        }
    }

    /// <summary>Records a created device and the run it joined (null: none yet).</summary>
    public static void Created(RtMidiDevice device, JackServerRun? run)
    {
        lock (s_lock)
        {
            device.JoinedRun = run;
            s_open.Add(device);
        }
    }

    /// <summary>Before a call that may join a server (rtmidi connects lazily), for a device that has not joined one yet.</summary>
    /// <exception cref="RtMidiException">Clients of an earlier run of the server are still open.</exception>
    public static void Join(RtMidiDevice device, string call)
    {
        if (device.JoinedRun is not null)
        {
            return; // written only by the thread that holds the device (at create and here): the caller
        }

        lock (s_lock)
        {
            if (device.JoinedRun is null)
            {
                device.JoinedRun = CheckEarlierRunsClosed(call);
            }
        }
    }

    /// <summary>Forgets a device once its native object is freed (or left to libjack).</summary>
    public static void Closed(RtMidiDevice device)
    {
        lock (s_lock)
        {
            s_open.Remove(device);
        }
    }

    /// <summary>The run a device joined, read under the table's lock (it is written under it).</summary>
    public static JackServerRun? RunOf(RtMidiDevice device)
    {
        lock (s_lock)
        {
            return device.JoinedRun;
        }
    }

    private static JackServerRun? CheckEarlierRunsClosed(string call)
    {
        // Checked with no server running too: libjack frees the clients of a dead server on every attempt to open one, also
        // on one that then fails for want of a server.
        JackServerRun? current = JackServerProbe.Current();
        long now = Stopwatch.GetTimestamp();
        List<string>? waitingFor = null;
        foreach (RtMidiDevice device in s_open)
        {
            if (device.JoinedRun is not { } run || run == current || device.IsLeftToLibjack)
            {
                continue;
            }

            if (device.StaleSince == 0)
            {
                device.StaleSince = now;
            }

            if (Stopwatch.GetElapsedTime(device.StaleSince, now) < StaleGrace)
            {
                (waitingFor ??= []).Add(device.ClientName);
            }
        }

        if (waitingFor is not null)
        {
            string server = current is null ? "the JACK server is not running" : "the JACK server restarted";
            throw new RtMidiException(call, $"{server}; waiting for this process's client(s) of its earlier run ({string.Join(", ", waitingFor)}) " +
                "to close: a new client now would make libjack free them under their owners (retried at the next rescan)");
        }

        foreach (RtMidiDevice device in s_open)
        {
            if (device.JoinedRun is { } run && run != current && !device.IsLeftToLibjack)
            {
                device.IsLeftToLibjack = true;
                Interlocked.Increment(ref s_leftToLibjack);
            }
        }

        return current;
    }
}
