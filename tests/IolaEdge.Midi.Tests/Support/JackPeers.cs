using System.Collections.Concurrent;
using System.Diagnostics;

namespace IolaEdge.Midi.Tests.Support;

/// <summary>
/// Independent JACK MIDI peers in Debian's python3-rtmidi (/usr/bin/python3: the pyenv python3 on PATH cannot see
/// Debian's packages): a note sender (a keyboard or a synth's pads) and a receiver (a synth).
/// </summary>
internal sealed class JackPeer : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];

    private JackPeer(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _lines.Add(e.Data);
                Lines.Enqueue(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Errors.Enqueue(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Every line the peer printed.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>Its stderr.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>A virtual output <c>CLIENT:out</c> that sends each message it is told to (<see cref="SendNoteOn"/> and the like).</summary>
    public static JackPeer Sender(string jackServer, string client) =>
        Start(jackServer, "jack_note_peer.py", client);

    /// <summary>A virtual input <c>CLIENT:in</c> printing each message as hex (rtmidi_receiver.py of the MIDI tests).</summary>
    public static JackPeer Receiver(string jackServer, string client, int count = 100_000, double timeoutSeconds = 120) =>
        Start(jackServer, "rtmidi_receiver.py", client, count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Sends a Note On (channel 1..16) and waits for the peer to say it went out.</summary>
    public void SendNoteOn(int channel, int note, int velocity)
    {
        _process.StandardInput.WriteLine($"note {channel} {note} {velocity}");
        _process.StandardInput.Flush();
        Expect("SENT", TimeSpan.FromSeconds(10));
    }

    /// <summary>Sends a Note Off (channel 1..16) and waits for the peer to say it went out.</summary>
    public void SendNoteOff(int channel, int note)
    {
        _process.StandardInput.WriteLine($"off {channel} {note}");
        _process.StandardInput.Flush();
        Expect("SENT", TimeSpan.FromSeconds(10));
    }

    /// <summary>Sends a control change (channel 1..16) and waits for the peer to say it went out.</summary>
    public void SendControlChange(int channel, int control, int value)
    {
        _process.StandardInput.WriteLine($"cc {channel} {control} {value}");
        _process.StandardInput.Flush();
        Expect("SENT", TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Sends control changes (counted by a learn input, never learned) until <paramref name="messagesRead"/> is above zero;
    /// false if it is not within <paramref name="timeout"/>. A connection JACK has just made carries data only once the
    /// server's cycle runs the new graph: under load a note sent at once reaches nobody.
    /// </summary>
    public async Task<bool> SendUntilReadAsync(Func<Task<long>> messagesRead, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            SendControlChange(channel: 1, control: 7, value: 100);
            for (int poll = 0; poll < 5; poll++)
            {
                if (await messagesRead() > 0)
                {
                    return true;
                }

                await Task.Delay(20);
            }
        }

        return false;
    }

    /// <summary>Messages received so far (receiver), as hex without the time stamp.</summary>
    public IReadOnlyList<string> Messages() =>
        [.. Lines.Where(l => l != "READY").Select(l => l.Split(' ')[0])];

    /// <summary>Waits until a received message satisfies <paramref name="match"/>.</summary>
    public bool WaitForMessage(Func<string, bool> match, TimeSpan timeout) =>
        SpinWait.SpinUntil(() => Messages().Any(match), timeout);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(3000))
                {
                    _process.Kill();
                    _process.WaitForExit(5000);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
        _lines.Dispose();
    }

    private static JackPeer Start(string jackServer, string script, params string[] args)
    {
        ProcessStartInfo info = new("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Support", script));
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["JACK_DEFAULT_SERVER"] = jackServer;
        info.Environment["JACK_NO_START_SERVER"] = "1";
        JackPeer peer = new(Process.Start(info) ?? throw new InvalidOperationException("python3 did not start"));
        peer.Expect("READY", TimeSpan.FromSeconds(20));
        return peer;
    }

    private void Expect(string line, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (_lines.TryTake(out string? got, TimeSpan.FromMilliseconds(100)) && got == line)
            {
                return;
            }

            if (_process.HasExited && _lines.Count == 0)
            {
                break;
            }
        }

        throw new InvalidOperationException($"the peer did not print {line}; stderr: {string.Join("\n", Errors)}");
    }
}
