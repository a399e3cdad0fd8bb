namespace IolaEdge.Midi;

/// <summary>Asks whether a port's peer is still there, for the input and output supervisors alike.</summary>
internal static class PortPresence
{
    /// <summary>The probe's answer; a probe that fails means the port is gone (the supervisor then reopens it).</summary>
    public static bool Check(Func<bool> probe)
    {
        try
        {
            return probe();
        }
#pragma warning disable CA1031 // a failing probe means the port is gone
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
