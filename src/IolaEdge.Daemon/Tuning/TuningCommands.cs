using System.Globalization;
using System.Text;

namespace IolaEdge.Daemon.Tuning;

/// <summary>
/// The control socket's tuning commands, the same changes the page makes: <c>set KEY=VALUE</c>,
/// <c>get KEY</c>, <c>keys</c>, <c>preset NAME</c>, <c>preset list</c>, <c>preset save NAME</c>, <c>preset delete NAME</c> and <c>save</c>. Replies are one line: <c>ok …</c> or <c>error …</c>
/// (the error names the key, as configuration errors do).
/// </summary>
internal sealed class TuningCommands
{
    private readonly Func<LiveTuning?> _tuning;

    /// <summary>Creates the handler over the current run's tuning (null before the run started).</summary>
    public TuningCommands(Func<LiveTuning?> tuning) => _tuning = tuning;

    /// <summary>The commands, for the socket's help line.</summary>
    public const string Help = "set KEY=VALUE, get KEY, keys, preset NAME, preset list, preset save NAME, preset delete NAME, save, learn SENSOR [SECONDS], learn cancel";

    private const string PresetUsage = "error usage: preset NAME, preset list, preset save NAME, preset delete NAME";

    /// <summary>
    /// Starts <c>learn SENSOR [SECONDS]</c> (SENSOR: <c>default</c>, a sensor id with a mapping entry, or <c>Sensors:N</c>) or
    /// <c>learn cancel</c>. The reply completes when a note was learned, the wait timed out, or it was cancelled.
    /// </summary>
    /// <returns>False when the line is not a learn command.</returns>
    public bool TryStartLearn(string line, CancellationToken cancellationToken, out Task<string> reply)
    {
        ArgumentNullException.ThrowIfNull(line);
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0 || words[0] != "learn")
        {
            reply = Task.FromResult("");
            return false;
        }

        reply = Task.FromResult(LearnProblem(words, out MidiLearn? learn) ?? "");
        if (learn is null)
        {
            return true;
        }

        if (words[1] == "cancel")
        {
            reply = Task.FromResult(Line(learn.Cancel()));
            return true;
        }

        TimeSpan? timeout = words.Length == 3 ? TimeSpan.FromSeconds(int.Parse(words[2], NumberStyles.None, CultureInfo.InvariantCulture)) : null;
        reply = LearnAsync(learn, words[1], timeout, cancellationToken);
        return true;
    }

    private string? LearnProblem(string[] words, out MidiLearn? learn)
    {
        learn = null;
        if (words.Length is < 2 or > 3)
        {
            return "error usage: learn SENSOR [SECONDS] (SENSOR: default, a sensor id or Sensors:N), or learn cancel";
        }

        if (words.Length == 3 && !(int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds is >= 1 and <= 600))
        {
            return $"error learn: SECONDS '{(words[2].Length > 10 ? words[2][..10] + "…" : words[2])}' is not a whole number from 1 to 600";
        }

        LiveTuning? tuning = _tuning();
        if (tuning is null)
        {
            return "error the session has not started yet";
        }

        if (tuning.Learn is null)
        {
            return "error MIDI learn is off: it needs a MIDI input (Midi:Backend jack or alsa, or Midi:Learn:Backend)";
        }

        learn = tuning.Learn;
        return null;
    }

    private static async Task<string> LearnAsync(MidiLearn learn, string sensor, TimeSpan? timeout, CancellationToken cancellationToken) =>
        Line(await learn.LearnAsync(sensor, timeout, cancellationToken).ConfigureAwait(false));

    /// <summary>Runs <paramref name="line"/> when it is a tuning command.</summary>
    /// <returns>False when the line is not a tuning command (the caller answers it).</returns>
    public bool TryExecute(string line, out string reply)
    {
        ArgumentNullException.ThrowIfNull(line);
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        string verb = space < 0 ? line : line[..space];
        string rest = space < 0 ? "" : line[(space + 1)..].Trim();
        if (verb is not ("set" or "get" or "keys" or "preset" or "save"))
        {
            reply = "";
            return false;
        }

        LiveTuning? tuning = _tuning();
        if (tuning is null)
        {
            reply = "error the run has not started yet";
            return true;
        }

        reply = verb switch
        {
            "set" => Set(tuning, rest),
            "get" => rest.Length == 0 ? "error usage: get KEY" : Line(tuning.Get(rest)),
            "keys" => Keys(tuning),
            "preset" => Preset(tuning, rest),
            _ => Line(tuning.Save()),
        };
        return true;
    }

    private static string Preset(LiveTuning tuning, string rest)
    {
        int space = rest.IndexOf(' ', StringComparison.Ordinal);
        string word = space < 0 ? rest : rest[..space];
        string name = space < 0 ? "" : rest[(space + 1)..].Trim();
        return word switch
        {
            "" => PresetUsage + " (presets: " + string.Join(", ", tuning.PresetNames()) + ")",
            "list" when name.Length == 0 => List(tuning),
            "save" or "delete" when name.Length == 0 => $"error usage: preset {word} NAME",
            "save" => Line(tuning.SavePreset(name)),
            "delete" => Line(tuning.DeletePreset(name)),
            _ => Line(tuning.ApplyPreset(rest)),
        };
    }

    private static string List(LiveTuning tuning)
    {
        StringBuilder line = new("ok built-in: ");
        line.Append(string.Join(", ", TuningPresets.Names));
        if (tuning.Presets is not { } presets)
        {
            return line.Append("; user presets off").ToString();
        }

        IReadOnlyList<string> saved = presets.Names;
        line.Append("; saved: ").Append(saved.Count == 0 ? "none" : string.Join(", ", saved)).Append(" (").Append(presets.FilePath).Append(')');
        if (presets.Problem is { } problem)
        {
            line.Append("; ").Append(problem);
        }

        return line.ToString();
    }

    private static string Set(LiveTuning tuning, string assignment)
    {
        int eq = assignment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            return "error usage: set KEY=VALUE";
        }

        return Line(tuning.Set(assignment[..eq].Trim(), assignment[(eq + 1)..].Trim()));
    }

    private static string Keys(LiveTuning tuning)
    {
        StringBuilder line = new("ok");
        foreach (SettingValue setting in tuning.Settings())
        {
            line.Append(' ').Append(setting.Setting.Key).Append('=').Append(setting.Value);
        }

        return line.ToString();
    }

    private static string Line(TuningResult result) => (result.Ok ? "ok " : "error ") + result.Message.ReplaceLineEndings(" ");
}
