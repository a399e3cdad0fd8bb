using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using IolaEdge.Daemon.Gpio;
using IolaEdge.Daemon.Control;
using IolaEdge.Recording;
using IolaEdge.Dsp.Sources;
using Microsoft.Extensions.Logging;

namespace IolaEdge.Daemon.Commands;

/// <summary>
/// <c>iolaedge record</c>: records a walk (samples and ground-truth marks from the GPIO button, the
/// terminal and the control socket) to CSV files, without detection or MIDI.
/// </summary>
/// <remarks>
/// Exit codes: 0 recorded, 1 recording failed (disk full, unwritable directory), 2 bad option.
/// Sources: <c>none</c> (marks only, e.g. while another device records) or <c>file:PATH</c> (a recording
/// CSV replayed at its recorded pace and stamped as a live source; bench and test use). Live sensors
/// are recorded by <c>run --record DIR</c>, which feeds the same recorder from the pipeline.
/// </remarks>
internal sealed class RecordCommand : Command
{
    private const int ExitOk = 0;
    private const int ExitRecordingFailed = 1;
    private const int ExitUsage = 2;

    private readonly Option<string> _out = new("--out", "-o") { Description = "Directory for the recording files (created if missing).", Required = true, HelpName = "DIR" };
    private readonly Option<string> _source = new("--source", "-s") { Description = "Samples: 'none' (marks only, default) or 'file:PATH' (replay a recording CSV as if live).", DefaultValueFactory = _ => "none", HelpName = "SPEC" };
    private readonly Option<double> _duration = new("--duration") { Description = "Stop after this many seconds (0: until the source ends, 'q' on the terminal, SIGINT or SIGTERM).", HelpName = "SECONDS" };
    private readonly Option<double> _rotateMb = new("--rotate-mb") { Description = "Start a new file after this many MiB (default 256).", DefaultValueFactory = _ => 256, HelpName = "MIB" };
    private readonly Option<double> _rotateMinutes = new("--rotate-minutes") { Description = "Start a new file after this many minutes (default 60).", DefaultValueFactory = _ => 60, HelpName = "MIN" };
    private readonly Option<bool> _noButton = new("--no-button") { Description = "Do not look for the GPIO footfall button." };
    private readonly Option<string> _buttonChip = new("--button-chip") { Description = "GPIO chip label or number, or 'auto' (default).", DefaultValueFactory = _ => "auto", HelpName = "CHIP" };
    private readonly Option<int> _buttonPin = new("--button-pin") { Description = "GPIO line of the button (default 17).", DefaultValueFactory = _ => 17, HelpName = "LINE" };
    private readonly Option<ButtonBias> _buttonBias = new("--button-bias") { Description = "PullUp (default; button to ground), PullDown or None.", DefaultValueFactory = _ => ButtonBias.PullUp, HelpName = "BIAS" };
    private readonly Option<bool> _keys = new("--keys") { Description = "Each Enter on the terminal is a footfall mark; 'q' Enter stops." };
    private readonly Option<string> _control = new("--control-socket") { Description = "Unix socket accepting 'mark [sensor]' and 'status' lines.", HelpName = "PATH" };

    /// <summary>Creates the verb.</summary>
    public RecordCommand()
        : base("record", "Record a walk (samples and footfall marks from the GPIO button, the terminal or a control socket) to CSV files.")
    {
        Options.Add(_out);
        Options.Add(_source);
        Options.Add(_duration);
        Options.Add(_rotateMb);
        Options.Add(_rotateMinutes);
        Options.Add(_noButton);
        Options.Add(_buttonChip);
        Options.Add(_buttonPin);
        Options.Add(_buttonBias);
        Options.Add(_keys);
        Options.Add(_control);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        string source = result.GetValue(_source)!;
        double duration = result.GetValue(_duration);
        if (OptionProblem(result) is string optionProblem)
        {
            return await UsageAsync(optionProblem).ConfigureAwait(false);
        }

        RecorderOptions options = new()
        {
            Directory = result.GetValue(_out)!,
            MaxFileBytes = (long)(result.GetValue(_rotateMb) * 1024 * 1024),
            MaxFileDuration = TimeSpan.FromMinutes(result.GetValue(_rotateMinutes)),
        };
        GpioButtonOptions button = new()
        {
            Enabled = !result.GetValue(_noButton),
            Chip = result.GetValue(_buttonChip)!,
            Pin = result.GetValue(_buttonPin),
            Bias = result.GetValue(_buttonBias),
        };
        try
        {
            options.Validate();
            button.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return await UsageAsync(ex.Message.Split(" (Parameter")[0]).ConfigureAwait(false);
        }

        if (duration is < 0 or > 7 * 86_400)
        {
            return await UsageAsync($"--duration = '{duration.ToString(CultureInfo.InvariantCulture)}' is invalid; allowed: [0, 604800] seconds.").ConfigureAwait(false);
        }

        if (source != "none" && !source.StartsWith("file:", StringComparison.Ordinal))
        {
            return await UsageAsync($"--source = '{source}' is invalid; allowed: 'none' or 'file:PATH'.").ConfigureAwait(false);
        }

        // Logs go to stderr: stdout carries only the summary line.
        using ILoggerFactory loggers = LoggerFactory.Create(b => b
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            })
            .SetMinimumLevel(LogLevel.Information));
        ILogger log = loggers.CreateLogger("iolaedge.record");

        // A user's mistakes end here, before any file is created: one line naming the path.
        if (source.StartsWith("file:", StringComparison.Ordinal) && SourceFileProblem(source["file:".Length..]) is string problem)
        {
            return await UsageAsync($"--source = '{source}': {problem}").ConfigureAwait(false);
        }

        string? controlPath = result.GetValue(_control);
        string? controlDirectory = controlPath is null ? null : Path.GetDirectoryName(Path.GetFullPath(controlPath));
        if (controlDirectory is not null && !Directory.Exists(controlDirectory))
        {
            return await UsageAsync($"--control-socket = '{controlPath}': no such directory '{controlDirectory}'").ConfigureAwait(false);
        }

        using Recorder recorder = new(options, log);
        if (!recorder.Start())
        {
            return ExitRecordingFailed;
        }

        using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(duration));
        }

        // The entry point leaves SIGINT/SIGTERM to the verbs: stop cleanly (drain, fsync) on either.
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using GpioButton? gpio = GpioButtonFactory.TryCreate(button, recorder, log);
        ControlSocketServer? control = null;
        if (controlPath is not null)
        {
            control = new ControlSocketServer(controlPath, recorder,
                () => string.Create(CultureInfo.InvariantCulture, $"recording rows={recorder.RowsWritten} dropped={recorder.Dropped} failures={recorder.Failures} file={recorder.CurrentFile}"), log);
            try
            {
                control.Start();
            }
            catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
            {
                await control.DisposeAsync().ConfigureAwait(false);
                recorder.Stop();
                return await UsageAsync($"--control-socket = '{controlPath}': {ex.Message}").ConfigureAwait(false);
            }
        }

        List<Task> inputs = [];
        if (result.GetValue(_keys))
        {
            TerminalMarkReader keys = new(Console.OpenStandardInput(), recorder);
            inputs.Add(Task.Run(async () =>
            {
                if (await keys.RunAsync(stop.Token).ConfigureAwait(false))
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                }
            }, CancellationToken.None));
        }

        LiveRecordingSink? live = null;
        string? sourceError = null;
        try
        {
            if (source.StartsWith("file:", StringComparison.Ordinal))
            {
                live = new LiveRecordingSink(recorder, options.SensorCount);
                CsvImuSource replay = new(source["file:".Length..], speedFactor: 1);
                try
                {
                    await Task.Run(() => replay.RunAsync(live, stop.Token), CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    // A user's file, not a bug: one line naming it, and the marks recorded so far are kept.
                    sourceError = $"--source = '{source}': {ex.Message}";
                }

                if (duration > 0 && !stop.IsCancellationRequested)
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                }
            }
            else
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            if (control is not null)
            {
                await control.DisposeAsync().ConfigureAwait(false);
            }

            recorder.Stop();
        }

        if (sourceError is not null)
        {
            return await UsageAsync(sourceError).ConfigureAwait(false);
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"record: {recorder.RowsWritten} rows in {recorder.Files.Count} file(s), {recorder.Dropped} dropped, {recorder.NotRecorded} not recorded, failures {recorder.Failures}, button presses {gpio?.Presses ?? 0}")).ConfigureAwait(false);
        return recorder.Failures == 0 ? ExitOk : ExitRecordingFailed;
    }

    /// <summary>Why a replay source cannot be read (missing, unreadable, no recording header), or null.</summary>
    private static string? SourceFileProblem(string path)
    {
        if (!File.Exists(path))
        {
            return "no such file";
        }

        try
        {
            using RecordingCsvReader reader = RecordingCsvReader.Open(path);
            return null;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    // The options in their own units and names: the settings behind them (Recording:MaxFileBytes in bytes,
    // MaxFileDuration in seconds, Button:Pin) would name what the user never typed.
    private string? OptionProblem(ParseResult result)
    {
        double mib = result.GetValue(_rotateMb), minutes = result.GetValue(_rotateMinutes);
        int pin = result.GetValue(_buttonPin);
        string output = result.GetValue(_out)!;
        return !(mib is >= MinRotateMib and <= MaxRotateMib)
                ? string.Create(CultureInfo.InvariantCulture, $"--rotate-mb = '{mib}' is invalid; allowed: [{MinRotateMib}, {MaxRotateMib}] MiB.")
            : !(minutes is >= MinRotateMinutes and <= MaxRotateMinutes)
                ? string.Create(CultureInfo.InvariantCulture, $"--rotate-minutes = '{minutes}' is invalid; allowed: [{MinRotateMinutes}, {MaxRotateMinutes}] minutes.")
            : pin is < 0 or > 1023
                ? string.Create(CultureInfo.InvariantCulture, $"--button-pin = '{pin}' is invalid; allowed: [0, 1023].")
            : File.Exists(output)
                ? $"--out = '{output}' is a file; give a directory (created if missing)."
            : null;
    }

    // RecorderOptions' limits (4096 bytes, 1 s to a week) in the options' units, rounded inwards.
    private const double MinRotateMib = 0.004, MaxRotateMib = 1_048_576, MinRotateMinutes = 0.02, MaxRotateMinutes = 10_080;

    private static async Task<int> UsageAsync(string message)
    {
        await Console.Error.WriteLineAsync("iolaedge record: " + message).ConfigureAwait(false);
        return ExitUsage;
    }
}
