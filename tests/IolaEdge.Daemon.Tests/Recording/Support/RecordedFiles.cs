using IolaEdge.Recording;

namespace IolaEdge.Daemon.Tests.Recording.Support;

/// <summary>Reads a recorded file back with the product reader (what eval, replay and training use).</summary>
internal static class RecordedFiles
{
    public static List<RecordedRow> Read(string path, out long malformed)
    {
        using RecordingCsvReader reader = RecordingCsvReader.Open(path);
        List<RecordedRow> rows = [];
        while (reader.TryRead(out RecordedRow r))
        {
            rows.Add(r);
        }

        malformed = reader.MalformedCount;
        return rows;
    }

    public static List<RecordedRow> Read(string path)
    {
        List<RecordedRow> rows = Read(path, out long malformed);
        Assert.Equal(0, malformed);
        return rows;
    }
}
