using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Realtime;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Daemon.Tests.Support;

/// <summary>Components for in-process run tests: a given source, the real detector chains, an output that collects every event.</summary>
internal sealed class FakeComponents(IImuSource source, bool isReplay = true) : IRunComponents
{
    private readonly BuiltInComponents _builtIn = new();

    public OpenedSource OpenSource(SourceSpec spec, ReplaySpeed speed) => new(source, ArrivalIsMonotonic: true, isReplay);

    public SensorChainFactory CreatePipelines(string detector, DetectorOptions tuning) => _builtIn.CreatePipelines(detector, tuning);

    public IFootfallOutput OpenOutput(MidiOptions options, EventFanOut fanOut, RealtimeThreads realtime) => new CollectingOutput(100_000, fanOut);
}

/// <summary>A source that fails the way a vanished file does.</summary>
internal sealed class FailingSource : IImuSource
{
    public string Description => "failing";

    public Task RunAsync(IImuSampleSink sink, CancellationToken cancellationToken) =>
        throw new IOException("device went away");
}
