namespace IolaEdge.Daemon.Health;

/// <summary>How a live component is doing.</summary>
internal enum HealthLevel
{
    /// <summary>Working as configured.</summary>
    Ok,

    /// <summary>Not yet working, or working with less than asked (e.g. no real-time scheduling); the run goes on.</summary>
    Degraded,

    /// <summary>Not delivering: a port that does not open, a bus that is missing, a link that is lost.</summary>
    Failing,
}

/// <summary>A component's state as a sentence. Two reads with equal states are the same state: the monitor logs only changes,
/// so the text carries no counters that move while nothing changes.</summary>
/// <param name="Level">How it is doing.</param>
/// <param name="Text">What it is doing, e.g. "open" or "not open: open failed: No such file or directory; retrying every 1 s".</param>
/// <param name="Transient">A passing state not worth a log line of its own (e.g. "opening"), shown only in STATUS=.</param>
internal readonly record struct HealthState(HealthLevel Level, string Text, bool Transient = false);

/// <summary>A component and its state, as the health monitor last read it.</summary>
/// <param name="Component">Its name, e.g. "MIDI jack:IolaEdge" or "BLE ble:C4:…".</param>
/// <param name="Level">How it is doing.</param>
/// <param name="Text">What it is doing.</param>
internal sealed record ComponentHealth(string Component, HealthLevel Level, string Text);

/// <summary>Why a component makes the run end with a non-zero exit code (see docs/daemon.md, exit codes).</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Reason">One line naming the component, device or source.</param>
internal readonly record struct HealthFailure(int ExitCode, string Reason);
