using System.Diagnostics;
using System.Text.Json;

namespace IolaEdge.Midi.Tests.Support;

/// <summary>Reads a MIDI file with Debian's python3-mido (an independent parser), via /usr/bin/python3.</summary>
internal static class Mido
{
    public sealed record SmfEvent(long Tick, string? Meta, string? Bytes, int? Tempo);

    public sealed record SmfFile(int Type, int TicksPerBeat, IReadOnlyList<IReadOnlyList<SmfEvent>> Tracks);

    public static SmfFile Read(string path)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Support", "read_smf.py"));
        psi.ArgumentList.Add(path);
        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(30_000), "python3 mido timed out");
        Assert.True(p.ExitCode == 0, $"mido could not read {path}: {err.Result}");
        using JsonDocument doc = JsonDocument.Parse(output);
        var tracks = new List<IReadOnlyList<SmfEvent>>();
        foreach (JsonElement track in doc.RootElement.GetProperty("tracks").EnumerateArray())
        {
            var events = new List<SmfEvent>();
            foreach (JsonElement e in track.EnumerateArray())
            {
                events.Add(new SmfEvent(
                    e.GetProperty("tick").GetInt64(),
                    e.TryGetProperty("meta", out JsonElement m) ? m.GetString() : null,
                    e.TryGetProperty("bytes", out JsonElement b) ? b.GetString() : null,
                    e.TryGetProperty("tempo", out JsonElement t) ? t.GetInt32() : null));
            }

            tracks.Add(events);
        }

        return new SmfFile(doc.RootElement.GetProperty("type").GetInt32(), doc.RootElement.GetProperty("ticks_per_beat").GetInt32(), tracks);
    }
}
