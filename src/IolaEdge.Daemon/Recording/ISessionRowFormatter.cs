namespace IolaEdge.Daemon.Recording;

/// <summary>Turns session rows into the text of a session file (the CSV format lives behind this).</summary>
/// <remarks>Called only on the recorder's writer thread.</remarks>
internal interface ISessionRowFormatter
{
    /// <summary>The file's first line, without the line break.</summary>
    string Header { get; }

    /// <summary>
    /// Formats <paramref name="row"/> as one line (with its line break) into <paramref name="destination"/>.
    /// </summary>
    /// <param name="row">The row; its times are session-clock ns.</param>
    /// <param name="epochOffsetNs">Add to a session-clock time to get epoch ns (0 when the session clock is already epoch).</param>
    /// <param name="destination">Where to write; at least 256 characters.</param>
    /// <returns>Characters written.</returns>
    int Format(in SessionRow row, long epochOffsetNs, Span<char> destination);
}
