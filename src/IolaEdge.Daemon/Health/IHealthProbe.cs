namespace IolaEdge.Daemon.Health;

/// <summary>Reads one live component's state and counters for the <see cref="HealthMonitor"/> (never on the pipeline thread).</summary>
internal interface IHealthProbe : IDisposable
{
    /// <summary>The component, as logs name it: <c>MIDI raw:/dev/snd/midiC1D0</c>, <c>BLE</c>, <c>real-time scheduling</c>.</summary>
    string Component { get; }

    /// <summary>The state now; the monitor logs it when it differs from the previous read.</summary>
    HealthState Read();

    /// <summary>Live figures for systemd's STATUS= and the progress line (e.g. "streaming at 199 Hz"), or null for <see cref="HealthState.Text"/>.</summary>
    string? Figures() => null;

    /// <summary>Lines for the end-of-run summary (state and counters), empty for none.</summary>
    IEnumerable<string> SummaryLines();

    /// <summary>Why the run must end with a non-zero exit code because of this component, or null.</summary>
    HealthFailure? EndOfRunFailure();

    /// <summary>Lets go of what the probe watches (event subscriptions) at the end of the run; most probes hold nothing.</summary>
    void IDisposable.Dispose()
    {
    }
}
