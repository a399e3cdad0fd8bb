using System.Text;
using IolaEdge.Recording;

namespace IolaEdge.Recording.Tests.Support;

/// <summary>Recording CSV text in memory, for the reader's tests.</summary>
internal static class RecordingCsvText
{
    /// <summary>The seed study's six columns.</summary>
    public const string SeedHeader = "timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType";

    /// <summary>A reader over <paramref name="text"/>.</summary>
    public static RecordingCsvReader Reader(string text) => new(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    /// <summary>Every well-formed record the reader gives.</summary>
    public static List<RecordedRow> ReadAll(RecordingCsvReader reader)
    {
        List<RecordedRow> all = [];
        while (reader.TryRead(out RecordedRow r))
        {
            all.Add(r);
        }

        return all;
    }
}
