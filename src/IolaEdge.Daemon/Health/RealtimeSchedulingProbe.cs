using IolaEdge.Midi.Engine;

namespace IolaEdge.Daemon.Health;

/// <summary>Whether the MIDI thread got the SCHED_FIFO priority <c>Midi:Engine:RealtimePriority</c> asks for.</summary>
/// <remarks>The thread tries once when it starts; a failure (an unprivileged user) is logged once, naming the
/// capability that is missing, and shown in STATUS= and the summary. The run goes on with normal scheduling.</remarks>
internal sealed class RealtimeSchedulingProbe(MidiEngine engine, int priority) : IHealthProbe
{
    /// <inheritdoc/>
    public string Component => "real-time scheduling";

    /// <inheritdoc/>
    public HealthState Read() => engine.RealtimeApplied switch
    {
        true => new(HealthLevel.Ok, $"MIDI thread under SCHED_FIFO priority {priority}"),
        false => new(HealthLevel.Degraded, "not applied: " + engine.RealtimeError),
        null => new(HealthLevel.Ok, "starting", Transient: true),
    };

    /// <inheritdoc/>
    public IEnumerable<string> SummaryLines()
    {
        if (engine.RealtimeError is { } error)
        {
            yield return "Real-time scheduling not applied: " + error;
        }
    }

    /// <inheritdoc/>
    public HealthFailure? EndOfRunFailure() => null;
}
