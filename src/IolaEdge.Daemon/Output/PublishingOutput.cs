using IolaEdge.Dsp.Samples;
using IolaEdge.Midi.Engine;

namespace IolaEdge.Daemon.Output;

/// <summary>
/// The output for <c>Midi:Backend = none</c>: no MIDI is written, events go straight to the slow consumers
/// from the pipeline thread (so they carry no MIDI write stamp and no processing latency).
/// </summary>
internal sealed class PublishingOutput : IFootfallOutput
{
    private readonly EventFanOut _fanOut;

    /// <summary>Publishes to <paramref name="fanOut"/>.</summary>
    public PublishingOutput(EventFanOut fanOut) => _fanOut = fanOut;

    /// <inheritdoc/>
    public string Description => "none (events only)";

    /// <inheritdoc/>
    public string? MidiFilePath => null;

    /// <inheritdoc/>
    public long Dropped => 0;

    /// <inheritdoc/>
    public MidiEngine? Engine => null;

    /// <inheritdoc/>
    public Exception? Fault => null;

    /// <inheritdoc/>
    public bool TryEnqueue(in FootfallEvent footfall)
    {
        // Predictions only matter to the MIDI engine (predicted notes, the clock); without MIDI they are dropped here.
        if (footfall.Kind == FootfallEventKind.Detected)
        {
            _fanOut.Publish(footfall);
        }

        return true;
    }

    /// <inheritdoc/>
    public void Complete()
    {
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
