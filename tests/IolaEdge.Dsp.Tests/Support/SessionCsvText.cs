using System.Text;
using IolaEdge.Dsp.Sessions;

namespace IolaEdge.Dsp.Tests.Support;

/// <summary>Session CSV text in memory, for the reader's tests.</summary>
internal static class SessionCsvText
{
    /// <summary>The seed study's six columns.</summary>
    public const string SeedHeader = "timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType";

    /// <summary>A reader over <paramref name="text"/>.</summary>
    public static SessionCsvReader Reader(string text) => new(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    /// <summary>Every well-formed record the reader gives.</summary>
    public static List<SessionRecord> ReadAll(SessionCsvReader reader)
    {
        List<SessionRecord> all = [];
        while (reader.TryRead(out SessionRecord r))
        {
            all.Add(r);
        }

        return all;
    }
}
