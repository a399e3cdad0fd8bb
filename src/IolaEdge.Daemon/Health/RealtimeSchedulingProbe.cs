using IolaEdge.Daemon.Realtime;

namespace IolaEdge.Daemon.Health;

/// <summary>Whether the pipeline and MIDI threads got the policy, priorities and CPUs of the <c>Realtime</c> section, and
/// memory its lock.</summary>
/// <remarks>Each thread applies its policy once when it starts; a refusal (an unprivileged user) is logged once by the
/// monitor, naming the missing capability or limit, and shown in STATUS= and the summary. The run goes on with normal
/// scheduling.</remarks>
internal sealed class RealtimeSchedulingProbe(RealtimeThreads threads) : IHealthProbe
{
    /// <inheritdoc/>
    public string Component => "real-time scheduling";

    /// <inheritdoc/>
    public HealthState Read()
    {
        threads.DemoteStrays(); // threads born since the last poll under a launcher's real-time policy
        if (!threads.AllApplied || threads.Threads.Count == 0)
        {
            return new(HealthLevel.Ok, "starting", Transient: true);
        }

        if (threads.Problem is { } problem)
        {
            return new(HealthLevel.Degraded, "not applied: " + problem);
        }

        string applied = string.Join(", ", threads.Threads.Select(t => $"{t.Name} {t.Policy.KernelName()}{(t.Policy.IsRealtime() ? " " + t.Priority : string.Empty)}"));
        return new(HealthLevel.Ok, applied + (RealtimeThreads.MemoryLocked ? "; memory locked" : string.Empty));
    }

    /// <inheritdoc/>
    public IEnumerable<string> SummaryLines()
    {
        if (threads.Inherited is { } inherited)
        {
            yield return "Real-time scheduling: " + inherited;
        }

        foreach (RealtimeThreadState thread in threads.Threads)
        {
            yield return "Real-time thread " + thread.Describe();
        }

        if (threads.Problem is { } problem)
        {
            yield return "Real-time scheduling not applied: " + problem;
        }
    }

    /// <inheritdoc/>
    public HealthFailure? EndOfRunFailure() => null;
}
