using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Dsp.Sessions;

namespace IolaEdge.Daemon.Hosting;

/// <summary>The sources, detectors and MIDI outputs built into this binary.</summary>
internal sealed class BuiltInComponents : ISessionComponents
{
    /// <summary>Where the bundled walk ships: beside the binary (copied there by the build).</summary>
    public static string BundledWalkPath => Path.Combine(AppContext.BaseDirectory, "data", "walks", "bundled-walk.csv");

    /// <inheritdoc/>
    public OpenedSource OpenSource(SourceSpec spec, ReplaySpeed speed)
    {
        switch (spec.Kind)
        {
            case SourceKind.Bundled:
                return OpenFile(BundledWalkPath, speed, "the bundled walk");
            case SourceKind.File:
                return OpenFile(spec.Path, speed, "Session:Source file");
            default:
                throw new StartupException(ExitCodes.Input, $"Session:Source '{spec}' is not available in this build (the walk simulator has not been wired in)");
        }
    }

    /// <inheritdoc/>
    public ISensorPipelineFactory CreatePipelines(string detector) =>
        throw new StartupException(ExitCodes.Input, $"Session:Detector '{detector}' is not available in this build");

    private static OpenedSource OpenFile(string path, ReplaySpeed speed, string what)
    {
        if (!File.Exists(path))
        {
            throw new StartupException(ExitCodes.Input, $"{what} '{path}' does not exist");
        }

        // The file's epoch clock is the session clock: arrival stamps are not monotonic.
        return new OpenedSource(new CsvImuSource(path, speed.IsMax ? 0 : speed.Factor), ArrivalIsMonotonic: false, IsReplay: true);
    }

    /// <inheritdoc/>
    public IFootfallOutput OpenOutput(MidiOptions options, EventFanOut fanOut)
    {
        if (options.Backend.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return new PublishingOutput(fanOut);
        }

        throw new StartupException(ExitCodes.Output, $"Midi:Backend '{options.Backend}' is not available in this build");
    }
}
