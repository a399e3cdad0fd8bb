namespace IolaEdge.Daemon.Hosting;

/// <summary>A failure at start that maps to a documented exit code (bad input, unavailable output).</summary>
internal sealed class StartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StartupException(int exitCode, string message, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;

    /// <summary>Creates an exception for a generic failure.</summary>
    public StartupException()
        : this(ExitCodes.Failure, "start-up failed")
    {
    }

    /// <summary>Creates an exception for a generic failure with a message.</summary>
    public StartupException(string message)
        : this(ExitCodes.Failure, message)
    {
    }

    /// <summary>Creates an exception for a generic failure with a message and cause.</summary>
    public StartupException(string message, Exception inner)
        : this(ExitCodes.Failure, message, inner)
    {
    }

    /// <summary>The exit code to leave with.</summary>
    public int ExitCode { get; }
}
