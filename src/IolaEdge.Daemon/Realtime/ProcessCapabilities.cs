using System.Globalization;

namespace IolaEdge.Daemon.Realtime;

/// <summary>The process's effective capabilities, read from /proc/self/status (CapEff), to name the one that is missing.</summary>
internal static class ProcessCapabilities
{
    /// <summary>CAP_IPC_LOCK: mlock beyond RLIMIT_MEMLOCK.</summary>
    public const int IpcLock = 14;

    /// <summary>CAP_SYS_NICE: real-time policies beyond RLIMIT_RTPRIO.</summary>
    public const int SysNice = 23;

    /// <summary>True when capability <paramref name="bit"/> is effective; false when it is not or cannot be read.</summary>
    public static bool HasEffective(int bit)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal)
                    && ulong.TryParse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong mask))
                {
                    return (mask & (1UL << bit)) != 0;
                }
            }
        }
        catch (IOException)
        {
            // No /proc: say the capability is missing; the failed call itself is the evidence.
        }

        return false;
    }
}
