namespace IolaEdge.Inference;

/// <summary>
/// A model or its metadata cannot be used: missing file, unreadable JSON, a missing or invalid key,
/// or a graph that does not match what the metadata promises. The message names the file and the key.
/// </summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelLoadException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
