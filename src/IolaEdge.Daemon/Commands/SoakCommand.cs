using System.CommandLine;
using System.Globalization;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Soak;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IolaEdge.Daemon.Commands;

/// <summary>
/// <c>iolaedge soak</c>: the bench-rig endurance run. The same run as <c>run</c>, watched by a
/// <see cref="SoakMonitor"/> that samples the process's resources and judges the run at the end.
/// </summary>
internal sealed class SoakCommand : Command
{
    /// <summary>Minutes a soak lasts unless told otherwise.</summary>
    public const double DefaultMinutes = 60;

    /// <summary>The simulator's longest walk, and so the longest soak.</summary>
    public const double MaxMinutes = 1440;

    private readonly RunOptionSet _options = new(withSource: true, withDuration: false, sourceDefault: "a simulated walk of --minutes (sim:seed=1,minutes=M,preset=packed75)");

    /// <summary>The options that map to configuration keys (the documented-examples test reads them).</summary>
    internal RunOptionSet RunOptions => _options;

    private readonly Option<double> _minutes = new("--minutes", "-m")
    {
        Description = $"Length of the soak in minutes of walk (wall minutes at --speed 1 and for live sources), at most {MaxMinutes}. Default {DefaultMinutes}.",
        HelpName = "M",
        DefaultValueFactory = _ => DefaultMinutes,
    };

    private readonly Option<string> _report = new("--report")
    {
        Description = "Also write a report: FILE.html is one self-contained page (no scripts, nothing fetched) with the verdict, each check, and plots over time of working set, managed heap, GC counts, CPU, latency percentiles and drops; any other name gets the JSON document: plan, limits, each check (value, limit, outcome), final counters and latencies, and the resource samples.",
        HelpName = "FILE.json|FILE.html",
    };

    /// <summary>Creates the verb.</summary>
    public SoakCommand()
        : base("soak", "Bench-rig soak: a run like 'run' for --minutes while sampling the process's resources every "
            + "progress interval (working set, managed heap, GC counts, allocated bytes, threads, CPU time), then judge it: "
            + "no drops, no allocation on the pipeline thread, no working-set growth after warm-up, no p99 latency drift from "
            + "the first to the last quarter, footfalls matching the simulator's truth, and the full length. Limits: the Soak "
            + "section (--set Soak:KEY=VALUE; docs/configuration.md). Defaults: a 60-minute simulated walk in real time, "
            + "MIDI to a file in the current directory, no per-footfall log lines. Exit 0 when every check passes, "
            + "6 when one fails, otherwise the codes of run. Quick smoke: iolaedge soak --speed max --progress 0.05")
    {
        _minutes.Validators.Add(result =>
        {
            double minutes = result.GetValueOrDefault<double>();
            if (!(minutes > 0 && minutes <= MaxMinutes))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--minutes must be greater than 0 and at most {MaxMinutes}"));
            }
        });
        Options.Add(_minutes);
        Options.Add(_report);
        _options.AddTo(this);
        SetAction((result, cancellationToken) => RunAsync(result, cancellationToken));
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        double minutes = result.GetValue(_minutes);
        Dictionary<string, string?> given;
        try
        {
            given = _options.ToOverrides(result);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync("iolaedge: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        Dictionary<string, string?> overrides = Overrides(minutes, given);
        string? reportPath = result.GetValue(_report);
        FileStream? report = null;
        if (reportPath is not null)
        {
            // Opened before the soak so that a bad path costs seconds, not the hours of a soak.
            try
            {
                report = new FileStream(Path.GetFullPath(reportPath), FileMode.Create, FileAccess.Write, FileShare.Read);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                await Console.Error.WriteLineAsync($"iolaedge: --report '{reportPath}' cannot be written: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Output;
            }
        }

        SoakMonitor? monitor = null;
        int code;
        await using (report)
        {
            code = await DaemonHost.RunAsync(overrides, result.GetValue(_options.ConfigFile), services =>
            {
                services.AddSingleton(sp => monitor = new SoakMonitor(
                    SoakPlan.From(minutes, Value<RunOptions>(sp), Value<MidiOptions>(sp), Value<PipelineOptions>(sp)),
                    Value<SoakOptions>(sp),
                    sp.GetRequiredService<Serilog.ILogger>(),
                    report,
                    SoakHtmlReport.FormatFor(reportPath ?? "")));
                services.AddSingleton<IRunObserver>(sp => sp.GetRequiredService<SoakMonitor>());
            }, cancellationToken).ConfigureAwait(false);
        }

        if (reportPath is not null && monitor?.ReportWritten != true)
        {
            File.Delete(Path.GetFullPath(reportPath)); // the run never got to judge (configuration, input or output error): no empty report left behind
        }

        return code;
    }

    /// <summary>
    /// The command-line layer: the soak's own defaults, then what was given. The defaults sit in this layer
    /// (not under the configuration files) so that an installed config's live sensor and ALSA output do not
    /// turn a bench soak into a live run; --source, --midi and --set choose otherwise.
    /// </summary>
    internal static Dictionary<string, string?> Overrides(double minutes, IReadOnlyDictionary<string, string?> given)
    {
        string m = minutes.ToString(CultureInfo.InvariantCulture);
        Dictionary<string, string?> overrides = new(StringComparer.OrdinalIgnoreCase)
        {
            // packed75: the 7.5 ms connection interval the Pi is set up for (docs/bluetooth.md), samples in bursts of 3.
            ["Run:Source"] = $"sim:seed=1,minutes={m},preset=packed75",
            ["Run:Speed"] = "1",
            ["Midi:Backend"] = "file",
            // A soak's log is its progress lines; one line per footfall for an hour buries them.
            ["Events:LogEachFootfall"] = "false",
        };
        foreach ((string key, string? value) in given)
        {
            overrides[key] = value;
        }

        // A source of its own (a live sensor, a file) is stopped after --minutes (scaled by the pace of a replay);
        // the simulated walk needs no stop: it is --minutes long.
        if (given.ContainsKey("Run:Source") && !given.ContainsKey("Run:DurationSeconds")
            && SourceSpec.TryParse(overrides["Run:Source"], out SourceSpec spec)
            && ReplaySpeed.TryParse(overrides["Run:Speed"], out ReplaySpeed speed))
        {
            double seconds = spec.Kind == SourceKind.Ble ? minutes * 60 : speed.IsMax ? 0 : minutes * 60 / speed.Factor;
            if (seconds > 0)
            {
                overrides["Run:DurationSeconds"] = seconds.ToString(CultureInfo.InvariantCulture);
            }
        }

        return overrides;
    }

    private static T Value<T>(IServiceProvider services)
        where T : class => services.GetRequiredService<IOptions<T>>().Value;
}
