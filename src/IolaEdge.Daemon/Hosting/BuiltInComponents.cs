using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;

namespace IolaEdge.Daemon.Hosting;

/// <summary>The sources, detectors and MIDI outputs built into this binary.</summary>
internal sealed class BuiltInComponents : ISessionComponents
{
    /// <inheritdoc/>
    public OpenedSource OpenSource(SourceSpec spec, ReplaySpeed speed) =>
        throw new StartupException(ExitCodes.Input, $"Session:Source '{spec}' is not available in this build (no sample source has been wired in yet)");

    /// <inheritdoc/>
    public ISensorPipelineFactory CreatePipelines(string detector) =>
        throw new StartupException(ExitCodes.Input, $"Session:Detector '{detector}' is not available in this build");

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
