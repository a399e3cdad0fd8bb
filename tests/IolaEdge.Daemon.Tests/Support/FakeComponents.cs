using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Realtime;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Daemon.Tests.Support;

/// <summary>Components for in-process session tests: a given source, a deterministic chain, events-only output.</summary>
internal sealed class FakeComponents(IImuSource source, int footfallEvery, bool isReplay = true) : ISessionComponents
{
    public OpenedSource OpenSource(SourceSpec spec, ReplaySpeed speed) => new(source, ArrivalIsMonotonic: true, isReplay);

    public ISensorPipelineFactory CreatePipelines(string detector, DetectorOptions tuning) => new EveryNthSampleFactory(footfallEvery);

    public IFootfallOutput OpenOutput(MidiOptions options, EventFanOut fanOut, RealtimeThreads realtime) => new CollectingOutput(100_000, fanOut);
}

/// <summary>A source that fails the way a vanished file does.</summary>
internal sealed class FailingSource : IImuSource
{
    public string Description => "failing";

    public Task RunAsync(IImuSampleSink sink, CancellationToken cancellationToken) =>
        throw new IOException("device went away");
}

/// <summary>The real sources and MIDI outputs with a deterministic stand-in chain (tests the wiring, not the detector).</summary>
internal sealed class BuiltInWithStandInChain(int footfallEvery) : ISessionComponents
{
    private readonly BuiltInComponents _builtIn = new();

    public OpenedSource OpenSource(SourceSpec spec, ReplaySpeed speed) => _builtIn.OpenSource(spec, speed);

    public ISensorPipelineFactory CreatePipelines(string detector, DetectorOptions tuning) => new EveryNthSampleFactory(footfallEvery);

    public IFootfallOutput OpenOutput(MidiOptions options, EventFanOut fanOut, RealtimeThreads realtime) => _builtIn.OpenOutput(options, fanOut, realtime);
}
