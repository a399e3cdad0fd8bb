namespace IolaEdge.Daemon.Configuration;

/// <summary>Where the daemon keeps state of its own (the page's token, user presets) when the configuration names no file.</summary>
internal static class StatePaths
{
    /// <summary>
    /// <c>$STATE_DIRECTORY/NAME</c> under systemd (its <c>StateDirectory=</c>, <c>/var/lib/iolaedge</c>: writable under
    /// <c>ProtectSystem=strict</c>), else <c>~/.local/state/iolaedge/NAME</c>.
    /// </summary>
    public static string Default(string fileName)
    {
        string? state = Environment.GetEnvironmentVariable("STATE_DIRECTORY"); // set by systemd's StateDirectory=
        if (!string.IsNullOrEmpty(state))
        {
            return Path.Combine(state.Split(':')[0], fileName);
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "state", "iolaedge", fileName);
    }
}
