using System.Globalization;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Midi.Outputs;

namespace IolaEdge.Daemon.Health;

/// <summary>The state and message counters of a live MIDI port (rtmidi ALSA/JACK, raw device) under its supervisor.</summary>
internal sealed class MidiPortProbe(SupervisedPortOutput port, TimeSpan rescanInterval) : IHealthProbe
{
    private HealthState _last = new(HealthLevel.Ok, "opening", Transient: true);

    /// <inheritdoc/>
    public string Component => "MIDI " + port.Name;

    /// <inheritdoc/>
    public HealthState Read()
    {
        string retry = string.Create(CultureInfo.InvariantCulture, $"retrying every {rescanInterval.TotalSeconds:0.###} s");
        HealthState state = port.State switch
        {
            SupervisedPortState.Ready => new(HealthLevel.Ok, port.Opens > 1 ? "open again" : "open"),
            SupervisedPortState.Dead => new(HealthLevel.Failing, $"{Error()}; {retry}"),
            SupervisedPortState.Absent when port.Opens == 0 && port.OpenFailures == 0 => new(HealthLevel.Ok, "opening", Transient: true),
            SupervisedPortState.Absent when port.Opens == 0 => new(HealthLevel.Failing, $"not open: {Error()}; {retry}"),
            SupervisedPortState.Absent => new(HealthLevel.Failing, $"lost: {Error()}; {retry}"),
            // Disposed at the end of the run: the last state stands, unless no poll came between the failed opens and the end
            // (a short run on a loaded machine) and the port would leave the run without ever saying it never opened.
            _ when _last.Transient && port.Opens == 0 && port.OpenFailures > 0 => new(HealthLevel.Failing, $"not open: {Error()}; {retry}"),
            _ => _last,
        };
        _last = OutageText.KeepFirst(_last, state);
        return _last;
    }

    /// <inheritdoc/>
    public IEnumerable<string> SummaryLines()
    {
        string state = port.Opens == 0 ? $"never opened ({Error()})"
            : _last.Level == HealthLevel.Ok ? $"open ({port.Opens} opens)"
            : $"{_last.Text} ({port.Opens} opens)";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"MIDI {port.Name}: {state}; messages: {port.Offered} offered, {port.MessagesSent} sent, {port.LostMessages} dropped (port not open {port.AbsentMessages}, queue full {port.QueueDrops}, send failed {port.FailedMessages}, stale {port.StaleMessages}, stuck send {port.AbandonedMessages}){Pending()}; open failures {port.OpenFailures}, stuck sends {port.StuckSends}");
    }

    /// <inheritdoc/>
    public HealthFailure? EndOfRunFailure() =>
        port.Opens == 0 ? new HealthFailure(ExitCodes.Output, $"MIDI port {port.Name} never opened during the run: {Error()}") : null;

    private string Pending() => port.PendingMessages > 0 ? $", {port.PendingMessages} still queued" : string.Empty;

    // The supervisor prefixes its errors with the port name, which the component already shows.
    private string Error()
    {
        string error = port.LastError ?? "no error reported";
        return error.StartsWith(port.Name + ": ", StringComparison.Ordinal) ? error[(port.Name.Length + 2)..] : error;
    }
}
