using System.Globalization;
using IolaEdge.Daemon.Tuning;
using IolaEdge.Midi.Inputs;

namespace IolaEdge.Daemon.Health;

/// <summary>
/// The MIDI learn input (<c>Midi:Learn</c>) of a run: a port that never opens or disappears is logged once, shown in
/// systemd's STATUS= and the progress line while it lasts, and summed up at the end, like a MIDI output port.
/// </summary>
/// <remarks>
/// Degraded, not failing: the run still turns footfalls into MIDI, only learning waits for the port; nor does it change
/// the exit code. The learn input exists only once the run published its live view, so the probe asks for it at each read
/// and keeps it (its counters stay readable after the run ended and disposed it).
/// </remarks>
internal sealed class MidiLearnProbe(Func<MidiLearn?> findLearn, TimeSpan rescanInterval) : IHealthProbe
{
    private MidiLearn? _learn;
    private HealthState _last = new(HealthLevel.Ok, "opening", Transient: true);

    /// <inheritdoc/>
    public string Component => "MIDI learn " + (_learn?.Port ?? "input");

    /// <inheritdoc/>
    public HealthState Read()
    {
        MidiLearn? learn = _learn ??= findLearn();
        if (learn is null)
        {
            return new HealthState(HealthLevel.Ok, "off", Transient: true); // this run listens on no learn input
        }

        MidiNoteListener listener = learn.Listener;
        string retry = string.Create(CultureInfo.InvariantCulture, $"retrying every {rescanInterval.TotalSeconds:0.###} s");
        HealthState state = listener.State switch
        {
            MidiInputState.Ready => new(HealthLevel.Ok, $"{(listener.Opens > 1 ? "listening again" : "listening")} ({learn.PortState()})"),
            MidiInputState.Absent when listener.Opens == 0 && listener.OpenFailures == 0 => new(HealthLevel.Ok, "opening", Transient: true),
            MidiInputState.Absent when listener.Opens == 0 => new(HealthLevel.Degraded, $"not open: {learn.LastErrorText()}; {retry}; MIDI learn waits for it"),
            MidiInputState.Absent => new(HealthLevel.Degraded, $"lost: {learn.LastErrorText()}; {retry}; MIDI learn waits for it"),
            _ => _last, // disposed at the end of the run: the last state stands
        };
        _last = OutageText.KeepFirst(_last, state);
        return _last;
    }

    /// <inheritdoc/>
    public IEnumerable<string> SummaryLines()
    {
        if (_learn is not { } learn)
        {
            yield break;
        }

        MidiNoteListener listener = learn.Listener;
        string state = listener.Opens == 0 ? $"never opened ({learn.LastErrorText()})"
            : _last.Level == HealthLevel.Ok ? $"open ({listener.Opens} opens)"
            : $"{_last.Text} ({listener.Opens} opens)";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"MIDI learn {learn.Port}: {state}; {listener.Messages} messages read, {listener.NotesOn} note ons, {learn.Learned} learned, {learn.TimedOut} timed out; open failures {listener.OpenFailures}, lost {listener.Disappearances}");
    }

    /// <inheritdoc/>
    public HealthFailure? EndOfRunFailure() => null;
}
