using System.Collections.Concurrent;
using System.Diagnostics;

namespace IolaEdge.Midi.Tests.Support;

/// <summary>
/// Client registrations as another process sees them: Debian's <c>jack_evmon</c> (jackd2) on the test server, its lines
/// ("Client NAME registered", "Client NAME unregistered") collected.
/// </summary>
internal sealed class JackClientEvents : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private JackClientEvents(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _lines.Enqueue(e.Data);
            }
        };
        _process.BeginOutputReadLine();
    }

    /// <summary>
    /// Starts the monitor and returns once it reports clients: a sentinel client is opened until its registration is
    /// seen, so no later registration can come before the monitor listens.
    /// </summary>
    public static JackClientEvents Start(string jackServer)
    {
        ProcessStartInfo info = new("stdbuf") { RedirectStandardOutput = true, UseShellExecute = false }; // line-buffered: it printfs
        foreach (string arg in new[] { "-oL", "jack_evmon" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["JACK_DEFAULT_SERVER"] = jackServer;
        info.Environment["JACK_NO_START_SERVER"] = "1";
        JackClientEvents events = new(Process.Start(info) ?? throw new InvalidOperationException("jack_evmon did not start"));
        for (int attempt = 0; attempt < 20; attempt++)
        {
            using (JackPeer.Sender(jackServer, "evmon-sentinel"))
            {
                if (SpinWait.SpinUntil(() => events._lines.Any(l => l.StartsWith("Client evmon-sentinel", StringComparison.Ordinal)), TimeSpan.FromSeconds(1)))
                {
                    return events;
                }
            }
        }

        events.Dispose();
        throw new InvalidOperationException("jack_evmon reported no client registration in 20 attempts");
    }

    /// <summary>Registrations of a client named exactly <paramref name="client"/>.</summary>
    public int Registered(string client) => _lines.Count(l => l == $"Client {client} registered");

    /// <summary>Unregistrations of a client named exactly <paramref name="client"/>.</summary>
    public int Unregistered(string client) => _lines.Count(l => l == $"Client {client} unregistered");

    /// <summary>Everything it printed, for failure messages.</summary>
    public string Text => string.Join(" | ", _lines);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }
}
