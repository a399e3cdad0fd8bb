namespace IolaEdge.Daemon.Hosting;

/// <summary>The exit code a run ended with, set by the run service and read by the verb.</summary>
internal sealed class RunOutcome
{
    /// <summary>Exit code; <see cref="ExitCodes.Failure"/> until the run sets it.</summary>
    public int ExitCode { get; set; } = ExitCodes.Failure;
}
