using System.Globalization;
using System.Text.RegularExpressions;

namespace IolaEdge.Midi.Rtmidi;

/// <summary>
/// Which port to use: connect to an existing one by index, name substring or regex, or create a
/// virtual port for others to connect to, or take the first port of any other client (<c>auto</c>). Text form
/// (configuration <c>Midi:Port</c>): <c>virtual:NAME</c>, <c>auto</c>, <c>index:N</c>, <c>regex:PATTERN</c>,
/// <c>name:TEXT</c> or plain TEXT (substring).
/// </summary>
public sealed class RtMidiPortSelector
{
    private RtMidiPortSelector(RtMidiPortSelectorKind kind, string text, uint index, Regex? pattern)
    {
        Kind = kind;
        Text = text;
        Index = index;
        Pattern = pattern;
    }

    /// <summary>How the port is chosen.</summary>
    public RtMidiPortSelectorKind Kind { get; }

    /// <summary>Virtual port name, name substring or regex source.</summary>
    public string Text { get; }

    /// <summary>Port index for <see cref="RtMidiPortSelectorKind.Index"/>.</summary>
    public uint Index { get; }

    /// <summary>Compiled pattern for <see cref="RtMidiPortSelectorKind.Regex"/>.</summary>
    public Regex? Pattern { get; }

    /// <summary>A virtual port named <paramref name="name"/>.</summary>
    public static RtMidiPortSelector Virtual(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(RtMidiPortSelectorKind.Virtual, name, 0, null);
    }

    /// <summary>
    /// The first port of another client: skips our own clients (names starting with <see cref="OwnClientPrefix"/>)
    /// and ALSA's "Midi Through" loopback (also as bridged into JACK by a2j), so a belt pack finds whatever synth is plugged in.
    /// </summary>
    public static RtMidiPortSelector Auto() => new(RtMidiPortSelectorKind.Auto, "", 0, null);

    /// <summary>Client names of this program (the output <c>iolaedge</c>, the learn input <c>iolaedge-learn</c>, JACK's renamed <c>iolaedge-01</c>), which <see cref="Auto"/> never picks.</summary>
    public const string OwnClientPrefix = "iolaedge";

    /// <summary>The port at <paramref name="index"/> (indexes are not stable across hot-plug; prefer names).</summary>
    public static RtMidiPortSelector ByIndex(uint index) => new(RtMidiPortSelectorKind.Index, index.ToString(CultureInfo.InvariantCulture), index, null);

    /// <summary>The first port whose full name contains <paramref name="substring"/> (ordinal, case-insensitive).</summary>
    public static RtMidiPortSelector ByName(string substring)
    {
        ArgumentException.ThrowIfNullOrEmpty(substring);
        return new(RtMidiPortSelectorKind.Name, substring, 0, null);
    }

    /// <summary>The first port whose full name matches <paramref name="pattern"/>.</summary>
    public static RtMidiPortSelector ByRegex(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return new(RtMidiPortSelectorKind.Regex, pattern, 0, new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)));
    }

    /// <summary>Parses the text form; throws <see cref="ArgumentException"/> naming the key and the forms allowed.</summary>
    public static RtMidiPortSelector Parse(string value, string key = "Midi:Rtmidi:Port")
    {
        const string Forms = "virtual:NAME, auto, index:N, regex:PATTERN, name:TEXT or TEXT";
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{key} is empty; allowed forms: {Forms}.", nameof(value));
        }

        if (value.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return Auto();
        }

        int colon = value.IndexOf(':', StringComparison.Ordinal);
        string prefix = colon > 0 ? value[..colon] : "";
        string rest = colon > 0 ? value[(colon + 1)..] : value;
        try
        {
            return prefix switch
            {
                "virtual" => Virtual(rest),
                "index" => uint.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out uint i) ? ByIndex(i)
                    : throw new ArgumentException($"{key} = '{value}': index must be 0 or a positive integer.", nameof(value)),
                "regex" => ByRegex(rest),
                "name" => ByName(rest),
                _ => ByName(value),
            };
        }
        catch (ArgumentException ex) when (ex.ParamName != nameof(value))
        {
            throw new ArgumentException($"{key} = '{value}' is invalid ({ex.Message}); allowed forms: {Forms}.", nameof(value), ex);
        }
    }

    /// <summary>Index of the chosen port in <paramref name="names"/>, or -1.</summary>
    public int FindIn(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        for (int i = 0; i < names.Count; i++)
        {
            bool match = Kind switch
            {
                RtMidiPortSelectorKind.Index => i == Index,
                RtMidiPortSelectorKind.Name => names[i].Contains(Text, StringComparison.OrdinalIgnoreCase),
                RtMidiPortSelectorKind.Regex => Pattern!.IsMatch(names[i]),
                RtMidiPortSelectorKind.Auto => IsOtherClientsPort(names[i]),
                _ => false,
            };
            if (match)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The failure of an open that found no <paramref name="direction"/> port ("input": a synth's, for our output;
    /// "output": a keyboard's, for our input) this selects among <paramref name="ports"/>, listing them.
    /// </summary>
    internal RtMidiException NoMatch(RtMidiApi api, string direction, IReadOnlyList<string> ports) =>
        new("rtmidi_open_port", $"no {api.ToName()} MIDI {direction} port matches {this}; ports: [{string.Join(", ", ports)}]");

    private static bool IsOtherClientsPort(string name)
    {
        // rtmidi names ports "client:port" (ALSA adds " client:port" numbers); the client is before the first colon.
        int colon = name.IndexOf(':', StringComparison.Ordinal);
        string client = colon < 0 ? name : name[..colon];
        return !client.StartsWith(OwnClientPrefix, StringComparison.OrdinalIgnoreCase)
            && !name.Contains("Midi Through", StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        RtMidiPortSelectorKind.Virtual => "virtual:" + Text,
        RtMidiPortSelectorKind.Auto => "auto",
        RtMidiPortSelectorKind.Index => "index:" + Text,
        RtMidiPortSelectorKind.Regex => "regex:" + Text,
        _ => "name:" + Text,
    };
}

/// <summary>Kinds of <see cref="RtMidiPortSelector"/>.</summary>
public enum RtMidiPortSelectorKind
{
    /// <summary>Create a virtual port.</summary>
    Virtual,

    /// <summary>Connect to the port at an index.</summary>
    Index,

    /// <summary>Connect to the first port whose name contains a substring.</summary>
    Name,

    /// <summary>Connect to the first port whose name matches a regex.</summary>
    Regex,

    /// <summary>Connect to the first port of another client (not ours, not "Midi Through").</summary>
    Auto,
}
