using System.CommandLine;
using IolaEdge.Daemon.Hosting;

namespace IolaEdge.Daemon.Commands;

/// <summary><c>iolaedge run</c>: detect footfalls from a source and play them as MIDI, until the source ends or a signal.</summary>
internal sealed class RunCommand : Command
{
    private readonly RunOptionSet _options = new(withSource: true);

    /// <summary>The options that map to configuration keys (the documented-examples test reads them).</summary>
    internal RunOptionSet RunOptions => _options;

    /// <summary>Creates the verb.</summary>
    public RunCommand()
        : base("run", "Detect footfalls and send them as MIDI. With no options: replay the bundled walk in real time, print each footfall and write a MIDI file in the current directory.")
    {
        _options.AddTo(this);
        SetAction((result, cancellationToken) => RunAsync(_options, result, null, cancellationToken));
    }

    /// <summary>Runs the daemon from parsed options; shared with <c>replay</c>.</summary>
    internal static async Task<int> RunAsync(RunOptionSet options, ParseResult result, string? sourceOverride, CancellationToken cancellationToken)
    {
        Dictionary<string, string?> overrides;
        try
        {
            overrides = options.ToOverrides(result);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync("iolaedge: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (sourceOverride is not null)
        {
            overrides["Run:Source"] = sourceOverride;
        }

        return await DaemonHost.RunAsync(overrides, result.GetValue(options.ConfigFile), null, cancellationToken).ConfigureAwait(false);
    }
}
