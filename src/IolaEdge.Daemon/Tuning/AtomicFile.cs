namespace IolaEdge.Daemon.Tuning;

/// <summary>
/// Replaces a file so that a crash or a full disk never leaves half of it: the new content goes to a temporary file in
/// the same directory, is fsynced, and is renamed over the file, the previous file kept as <c>FILE.bak</c>; the file's
/// permissions are kept. The configuration <c>save</c> and the user presets both write this way.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> (a full path) with what <paramref name="write"/> puts in the stream.</summary>
    /// <returns>The backup of the previous file, or null when there was none.</returns>
    public static string? Replace(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string directory = Path.GetDirectoryName(path) ?? ".";
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (FileStream stream = new(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                if (!OperatingSystem.IsWindows() && File.Exists(path))
                {
                    File.SetUnixFileMode(stream.SafeFileHandle, File.GetUnixFileMode(path)); // keep the file's permissions
                }

                write(stream);
                stream.Flush(flushToDisk: true);
            }

            if (File.Exists(path))
            {
                string backup = path + ".bak";
                File.Replace(temporary, path, backup);
                return backup;
            }

            File.Move(temporary, path);
            return null;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
