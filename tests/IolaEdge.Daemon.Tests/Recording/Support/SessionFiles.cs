using IolaEdge.Dsp.Sessions;

namespace IolaEdge.Daemon.Tests.Recording.Support;

/// <summary>Reads a recorded file back with the product reader (what eval, replay and training use).</summary>
internal static class SessionFiles
{
    public static List<SessionRecord> Read(string path, out long malformed)
    {
        using SessionCsvReader reader = SessionCsvReader.Open(path);
        List<SessionRecord> rows = [];
        while (reader.TryRead(out SessionRecord r))
        {
            rows.Add(r);
        }

        malformed = reader.MalformedCount;
        return rows;
    }

    public static List<SessionRecord> Read(string path)
    {
        List<SessionRecord> rows = Read(path, out long malformed);
        Assert.Equal(0, malformed);
        return rows;
    }
}
