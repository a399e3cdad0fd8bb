using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Simulation;
using IolaEdge.Daemon.Realtime;
using IolaEdge.Midi.Engine;
using IolaEdge.Midi.Outputs;

namespace IolaEdge.Benchmarks.Pipeline;

/// <summary>
/// The daemon's real parts for benchmarks: simulated walk, DSP detector chain, MIDI engine writing each
/// message with one write(2) to /dev/null, so the MIDI write stamp is "bytes handed to the OS".
/// </summary>
internal sealed class RawDeviceComponents(string simSpec) : IRunComponents
{
    public OpenedSource OpenSource(SourceSpec spec, ReplaySpeed speed) =>
        new(new SimulatedImuSource(SimulationSpec.Parse(simSpec)), ArrivalIsMonotonic: false, IsReplay: true);

    public SensorChainFactory CreatePipelines(string detector, DetectorOptions tuning) => new SensorChainFactory(detector, tuning: tuning);

    public IFootfallOutput OpenOutput(MidiOptions options, EventFanOut fanOut, RealtimeThreads realtime) =>
        new MidiEngineOutput(new MidiEngine(new RawMidiDeviceOutput("/dev/null"), options.Mapping, options.Engine, realtime.For(RealtimeRole.Midi)), fanOut, null);
}
