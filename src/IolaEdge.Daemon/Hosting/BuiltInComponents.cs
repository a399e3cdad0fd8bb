using System.Globalization;
using IolaEdge.Bluetooth;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Recording;
using IolaEdge.Simulation;
using IolaEdge.Daemon.Realtime;
using IolaEdge.Midi.Engine;
using IolaEdge.Midi.Outputs;
using IolaEdge.Midi.Rtmidi;

namespace IolaEdge.Daemon.Hosting;

/// <summary>The sources, detectors and MIDI outputs built into this binary.</summary>
internal sealed class BuiltInComponents : IRunComponents
{
    /// <summary>Where the bundled walk ships: beside the binary (copied there by the build).</summary>
    public static string BundledWalkPath => Path.Combine(AppContext.BaseDirectory, "data", "walks", "bundled-walk.csv");

    /// <summary>The MIDI file name used when <c>Midi:FilePath</c> is empty: <c>iolaedge-YYYYMMDD-HHMMSS.mid</c> in the current directory.</summary>
    public static string DefaultMidiFilePath() =>
        Path.GetFullPath("iolaedge-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + ".mid");

    /// <inheritdoc/>
    public OpenedSource OpenSource(SourceSpec spec, ReplaySpeed speed)
    {
        switch (spec.Kind)
        {
            case SourceKind.Bundled:
                return OpenFile(BundledWalkPath, speed, "the bundled walk");
            case SourceKind.File:
                return OpenFile(spec.Text, speed, "Run:Source file");
            case SourceKind.Ble:
                // Live: monotonic arrival stamps, and the BLE bus thread must never wait for ring room.
                return new OpenedSource(new BleImuSource(BleSourceSpec.Parse(spec.Text)), ArrivalIsMonotonic: true, IsReplay: false);
            default:
                SimulationSpec sim = SimulationSpec.Parse(spec.Text); // validated at start
                if (!spec.Text.Contains("pace=", StringComparison.Ordinal))
                {
                    // --speed sets the pace unless the spec chose one itself.
                    sim = speed.IsMax ? sim with { Pace = SimulationPace.Fast } : sim with { Pace = SimulationPace.RealTime, Speed = speed.Factor };
                }

                // The simulator stamps arrivals on its own epoch clock (like a file), not the monotonic one.
                return new OpenedSource(new SimulatedImuSource(sim), ArrivalIsMonotonic: false, IsReplay: true);
        }
    }

    /// <inheritdoc/>
    public SensorChainFactory CreatePipelines(string detector, DetectorOptions tuning)
    {
        try
        {
            return new SensorChainFactory(detector, tuning: tuning, gait: tuning.Gait);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // Validated at start for the defaults; a learned model's own gate plus an override can still be out of range.
            throw new StartupException(ExitCodes.Configuration,
                "configuration error: " + ConfigurationProblems.Describe("Detector:Gate", ex, $"with the gate of detector '{detector}'"), ex);
        }
        catch (ArgumentException ex)
        {
            throw new StartupException(ExitCodes.Input, $"Run:Detector '{detector}' is not available in this build: {ex.Message}", ex);
        }
        catch (Inference.ModelLoadException ex)
        {
            throw new StartupException(ExitCodes.Input, $"Run:Detector '{detector}': its model cannot be loaded: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public IFootfallOutput OpenOutput(MidiOptions options, EventFanOut fanOut, RealtimeThreads realtime)
    {
        string backend = options.Backend.ToLowerInvariant();
        if (backend == "none")
        {
            return new PublishingOutput(fanOut);
        }

        string? filePath = backend == "file"
            ? (options.FilePath.Length > 0 ? Path.GetFullPath(options.FilePath) : DefaultMidiFilePath())
            : (options.FilePath.Length > 0 ? Path.GetFullPath(options.FilePath) : null);

        List<IMidiOutput> outputs = [];
        try
        {
            switch (backend)
            {
                case "jack":
                case "alsa":
                    RtMidiApi api = RtMidiApiNames.Parse(backend, "Midi:Backend");
                    outputs.Add(RtMidiOutputPort.Supervised(api, RtMidiPortSelector.Parse(options.EffectivePort, "Midi:Port")));
                    break;
                case "raw":
                    // Opening a FIFO or device can block: the supervised output opens it on its own thread.
                    string device = options.DevicePath;
                    outputs.Add(new SupervisedPortOutput("raw:" + device, () => new RawMidiDeviceOutput(device)));
                    break;
            }

            if (filePath is not null)
            {
                string? directory = Path.GetDirectoryName(filePath);
                if (directory is not null)
                {
                    Directory.CreateDirectory(directory);
                }

                outputs.Add(new StandardMidiFileWriter(filePath));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or RtMidiException or DllNotFoundException)
        {
            foreach (IMidiOutput output in outputs)
            {
                output.Dispose();
            }

            throw new StartupException(ExitCodes.Output, $"Midi:Backend '{options.Backend}' cannot be opened: {ex.Message}", ex);
        }

        IMidiOutput combined = outputs.Count == 1 ? outputs[0] : new FanOutMidiOutput(outputs);
        return new MidiEngineOutput(new MidiEngine(combined, options.Mapping, options.Engine, realtime.For(RealtimeRole.Midi)), fanOut, filePath);
    }

    private static OpenedSource OpenFile(string path, ReplaySpeed speed, string what)
    {
        if (!File.Exists(path))
        {
            throw new StartupException(ExitCodes.Input, $"{what} '{path}' does not exist");
        }

        // The file's epoch clock is the session clock: arrival stamps are not monotonic.
        CsvImuSource file = new(path, speed.IsMax ? 0 : speed.Factor);
        return new OpenedSource(file, ArrivalIsMonotonic: false, IsReplay: true) { File = file };
    }
}
