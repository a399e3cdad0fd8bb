using System.Globalization;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Midi.Inputs;
using IolaEdge.Midi.Rtmidi;
using Serilog;

namespace IolaEdge.Daemon.Tuning;

/// <summary>
/// MIDI learn: "press a pad or key on the synth" sets the note (and channel) of a mapping entry. A
/// <see cref="MidiNoteListener"/> reads the learn input on its own low-priority thread for the whole run; while a
/// learn is armed, the first Note On it reads is applied through <see cref="LiveTuning.SetMany"/> — validated exactly
/// like a slider or the control socket's <c>set</c> — and the learn disarms. A timeout disarms it with a message.
/// </summary>
/// <remarks>
/// One learn at a time: arming again replaces (and answers) the previous one. Nothing here runs on the MIDI or the
/// pipeline thread; the mapping reaches the MIDI thread as every live change does (<c>MidiEngine.UpdateMapping</c>).
/// </remarks>
internal sealed class MidiLearn : IDisposable
{
    private readonly Lock _lock = new();
    private readonly LiveTuning _tuning;
    private readonly MidiLearnOptions _options;
    private readonly ILogger _log;
    private readonly RtMidiInputOpener _opener;
    private readonly MidiNoteListener _listener;
    private Pending? _pending; // guarded by _lock
    private long _learned;
    private long _timedOut;

    /// <summary>Starts listening on the configured learn input.</summary>
    /// <param name="tuning">The run's live settings; learned notes are set through them.</param>
    /// <param name="options"><c>Midi:Learn</c>.</param>
    /// <param name="api">ALSA or JACK.</param>
    /// <param name="log">Learned notes and timeouts are logged (the port's state changes by the run's health monitor, <c>MidiLearnProbe</c>).</param>
    /// <param name="listenerOptions">Poll and rescan intervals; null for defaults.</param>
    public MidiLearn(LiveTuning tuning, MidiLearnOptions options, RtMidiApi api, ILogger log, MidiNoteListenerOptions? listenerOptions = null)
    {
        _tuning = tuning;
        _options = options;
        _log = log.ForContext("SourceContext", "MidiLearn");
        RtMidiPortSelector selector = options.Selector();
        Port = selector.Kind == RtMidiPortSelectorKind.Virtual
            ? $"{api.ToName()} virtual input {MidiLearnOptions.ClientName}:{selector.Text}"
            : $"{api.ToName()} port {selector}";
        _opener = new RtMidiInputOpener(api, selector, MidiLearnOptions.ClientName);
        _listener = new MidiNoteListener($"learn {Port}", _opener.Open, OnNoteOn, listenerOptions);
    }

    /// <summary>Where learning listens, e.g. "jack virtual input iolaedge-learn:in" or "alsa port auto".</summary>
    public string Port { get; }

    /// <summary>The listener (state and counters).</summary>
    public MidiNoteListener Listener => _listener;

    /// <summary>Learns applied.</summary>
    public long Learned => Interlocked.Read(ref _learned);

    /// <summary>Learns that timed out.</summary>
    public long TimedOut => Interlocked.Read(ref _timedOut);

    /// <summary>The entry being learned now, or null.</summary>
    public string? Armed
    {
        get
        {
            lock (_lock)
            {
                return _pending?.Entry;
            }
        }
    }

    /// <summary>Default wait when a request names none (<c>Midi:Learn:TimeoutSeconds</c>).</summary>
    public TimeSpan DefaultTimeout => TimeSpan.FromSeconds(_options.TimeoutSeconds);

    /// <summary>
    /// Arms a learn for <paramref name="sensor"/> (<c>default</c>, a configured sensor id, or <c>Sensors:N</c>) and waits for
    /// the first Note On, <paramref name="timeout"/> (null: the configured one) or <paramref name="cancellationToken"/>.
    /// </summary>
    /// <returns>The change applied (<c>Key</c> = the note's key, <c>Value</c> = the note), or why nothing was learned.</returns>
    public async Task<TuningResult> LearnAsync(string sensor, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        TimeSpan wait = timeout ?? DefaultTimeout;
        if (wait <= TimeSpan.Zero || wait > TimeSpan.FromSeconds(600))
        {
            return new TuningResult(false, $"learn: {wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s is outside 1..600 s");
        }

        if (ResolveEntry(sensor) is not { } entry)
        {
            return new TuningResult(false, UnknownSensor(sensor));
        }

        Pending mine = new(entry);
        lock (_lock)
        {
            _pending?.Completion.TrySetResult(new TuningResult(false, $"learn for {_pending.Entry} replaced by a learn for {entry}"));
            _pending = mine;
        }

        _log.Information("MIDI learn armed for {Entry} ({Seconds} s): press a pad or key on the synth; listening on {Port} ({State})",
            entry, wait.TotalSeconds, Port, PortState());
        using (CancellationTokenSource timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timer.CancelAfter(wait);
            Task done = await Task.WhenAny(mine.Completion.Task, Task.Delay(Timeout.Infinite, timer.Token)).ConfigureAwait(false);
            if (done != mine.Completion.Task)
            {
                bool timedOut = !cancellationToken.IsCancellationRequested;
                string why = timedOut
                    ? $"learn for {entry} timed out after {wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: no Note On arrived on {Port} ({PortState()}); nothing changed"
                    : $"learn for {entry} cancelled; nothing changed";
                if (Disarm(mine, new TuningResult(false, why)) && timedOut)
                {
                    Interlocked.Increment(ref _timedOut);
                    _log.Warning("MIDI {Message}", why);
                }
            }
        }

        return await mine.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Disarms the learn in progress, if any.</summary>
    public TuningResult Cancel()
    {
        Pending? pending;
        lock (_lock)
        {
            pending = _pending;
        }

        return pending is not null && Disarm(pending, new TuningResult(false, $"learn for {pending.Entry} cancelled; nothing changed"))
            ? new TuningResult(true, $"learn for {pending.Entry} cancelled")
            : new TuningResult(true, "no learn in progress");
    }

    /// <summary>Stops listening; a learn in progress is answered as cancelled.</summary>
    public void Dispose()
    {
        Cancel();
        _listener.Dispose();
        _opener.Dispose(); // after the listener's thread, its only caller, has ended
    }

    /// <summary>The port's state for messages: "open", "connected to X", or "not open: error".</summary>
    public string PortState() => _listener.State switch
    {
        MidiInputState.Ready => _listener.ConnectedTo is { } source ? $"connected to {source}" : "open",
        MidiInputState.Absent when _listener.Opens == 0 && _listener.OpenFailures == 0 => "opening",
        MidiInputState.Absent => $"not open: {LastErrorText()}; retrying every 1 s",
        _ => "closed",
    };

    // The listener's thread: a control-plane thread of its own, never JACK's or the MIDI thread.
    private void OnNoteOn(MidiNoteOn note)
    {
        Pending? pending;
        lock (_lock)
        {
            pending = _pending;
        }

        if (pending is null)
        {
            return; // not armed: notes are read and dropped
        }

        List<(string Key, string Value)> changes = [(pending.Entry + ":Note", note.Note.ToString(CultureInfo.InvariantCulture))];
        if (_options.LearnChannel)
        {
            changes.Add((pending.Entry + ":Channel", note.Channel.ToString(CultureInfo.InvariantCulture)));
        }

        TuningResult applied = _tuning.SetMany(changes);
        string learned = string.Join(", ", changes.Select(c => $"{c.Key} = {c.Value}"));
        TuningResult result = applied.Ok
            ? new TuningResult(true, $"learned {learned} (Note On {note.Note} velocity {note.Velocity} on channel {note.Channel})", changes[0].Key, changes[0].Value)
            : new TuningResult(false, $"learn for {pending.Entry}: Note On {note.Note} on channel {note.Channel} refused: {applied.Message}", applied.Key);
        if (Disarm(pending, result))
        {
            if (applied.Ok)
            {
                Interlocked.Increment(ref _learned);
                _log.Information("MIDI learn: {Learned} (from {Port})", learned, Port);
            }
            else
            {
                _log.Warning("MIDI {Message}", result.Message);
            }
        }
    }

    // True when this call ended the learn (exactly one of note, timeout, cancel or replacement does).
    private bool Disarm(Pending pending, TuningResult result)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_pending, pending))
            {
                return false;
            }

            _pending = null;
        }

        return pending.Completion.TrySetResult(result);
    }

    private string? ResolveEntry(string sensor)
    {
        string text = sensor.Trim();
        const string Prefix = "Midi:Mapping:";
        if (text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            text = text[Prefix.Length..];
        }

        if (text.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            return Prefix + "Default";
        }

        if (text.StartsWith("Sensors:", StringComparison.OrdinalIgnoreCase))
        {
            string entry = Prefix + "Sensors:" + text["Sensors:".Length..];
            return _tuning.Get(entry + ":Note").Ok ? entry : null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
        {
            return null;
        }

        IReadOnlyList<int> ids = _tuning.MappedSensorIds();
        for (int i = 0; i < ids.Count; i++)
        {
            if (ids[i] == id)
            {
                return $"{Prefix}Sensors:{i}";
            }
        }

        return null;
    }

    private string UnknownSensor(string sensor)
    {
        List<string> ids = [.. _tuning.MappedSensorIds().Select(id => id.ToString(CultureInfo.InvariantCulture))];

        string shown = sensor.Length > 40 ? sensor[..40] + "…" : sensor;
        string known = ids.Count == 0 ? "no Midi:Mapping:Sensors entry is configured" : "configured sensor ids: " + string.Join(", ", ids);
        return $"learn: '{shown}' is not a mapping entry; use 'default' (the note of every sensor without an entry) or a sensor id with a Midi:Mapping:Sensors entry ({known})";
    }

    /// <summary>The listener's latest open or read failure, without its name prefix.</summary>
    public string LastErrorText()
    {
        string error = _listener.LastError ?? "no error reported";
        string prefix = _listener.Name + ": ";
        return error.StartsWith(prefix, StringComparison.Ordinal) ? error[prefix.Length..] : error;
    }

    private sealed class Pending(string entry)
    {
        public string Entry { get; } = entry;

        public TaskCompletionSource<TuningResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
