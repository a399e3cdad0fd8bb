namespace IolaEdge.Daemon.Hosting;

/// <summary>The exit code a run ended with, set by the session service and read by the verb.</summary>
internal sealed class RunOutcome
{
    /// <summary>Exit code; <see cref="ExitCodes.Failure"/> until the session sets it.</summary>
    public int ExitCode { get; set; } = ExitCodes.Failure;
}
