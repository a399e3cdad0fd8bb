using System.Diagnostics;
using System.Text.Json;

namespace IolaEdge.Daemon.Tests.Support;

/// <summary>One channel message read back by python3-mido.</summary>
internal sealed record MidoNote(string Type, int Channel, int Note, int Velocity, double Seconds)
{
    /// <summary>A note on with velocity above 0 (velocity 0 means note off).</summary>
    public bool IsNoteOn => Type == "note_on" && Velocity > 0;
}

/// <summary>Reads a Standard MIDI File with Debian's python3-mido (an independent parser), via /usr/bin/python3.</summary>
internal static class Mido
{
    public static IReadOnlyList<MidoNote> ReadNotes(string path)
    {
        ProcessStartInfo info = new("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Support", "read_midi_notes.py"));
        info.ArgumentList.Add(path);
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new TimeoutException("mido did not finish");
        }

        Assert.True(process.ExitCode == 0, $"mido could not read {path}: {stderr.Result}");
        using JsonDocument json = JsonDocument.Parse(stdout.Result);
        List<MidoNote> notes = [];
        foreach (JsonElement n in json.RootElement.GetProperty("notes").EnumerateArray())
        {
            notes.Add(new MidoNote(n.GetProperty("type").GetString()!, n.GetProperty("channel").GetInt32(), n.GetProperty("note").GetInt32(),
                n.GetProperty("velocity").GetInt32(), n.GetProperty("seconds").GetDouble()));
        }

        return notes;
    }
}
