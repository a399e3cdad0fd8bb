namespace IolaEdge.Daemon.Hosting;

/// <summary>Process exit codes (documented in docs/daemon.md; systemd's unit relies on them).</summary>
internal static class ExitCodes
{
    /// <summary>The run ended normally: source finished, duration reached, or SIGINT/SIGTERM after a clean drain.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure (a bug, or the pipeline thread faulted).</summary>
    public const int Failure = 1;

    /// <summary>The command line could not be parsed (unknown verb or option, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>A configuration value is invalid; the message names the key, the value and what is allowed.</summary>
    public const int Configuration = 3;

    /// <summary>The input could not be opened or read (file missing, source not available in this build).</summary>
    public const int Input = 4;

    /// <summary>The MIDI output could not be opened (file not writable, device missing, backend unavailable).</summary>
    public const int Output = 5;

    /// <summary><c>soak</c> only: the run ended normally but at least one soak check failed (the verdict names it).</summary>
    public const int SoakCheckFailed = 6;
}
