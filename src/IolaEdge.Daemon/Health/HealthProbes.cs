using IolaEdge.Bluetooth;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Realtime;
using IolaEdge.Dsp.Sources;
using IolaEdge.Midi.Outputs;
using Serilog;

namespace IolaEdge.Daemon.Health;

/// <summary>Finds the live components of a run and builds their probes.</summary>
internal static class HealthProbes
{
    /// <summary>Probes for the BLE source, each live MIDI port (and MIDI file beside it) and the real-time threads' scheduling.</summary>
    public static List<IHealthProbe> For(IImuSource source, IFootfallOutput output, RealtimeThreads realtime, ILogger log)
    {
        List<IHealthProbe> probes = [];
        if (source is BleImuSource ble)
        {
            probes.Add(new BleSourceProbe(ble, log));
        }

        if (output.Engine is { } engine)
        {
            TimeSpan rescan = new SupervisedPortOptions().RescanInterval; // the daemon uses the supervisor's defaults
            switch (engine.Output)
            {
                case SupervisedPortOutput port:
                    probes.Add(new MidiPortProbe(port, rescan));
                    break;
                case FanOutMidiOutput fanOut:
                    for (int i = 0; i < fanOut.Outputs.Count; i++)
                    {
                        probes.Add(fanOut.Outputs[i] is SupervisedPortOutput child ? new MidiPortProbe(child, rescan) : new MidiFileProbe(fanOut, i));
                    }

                    break;
            }

        }

        probes.Add(new RealtimeSchedulingProbe(realtime));
        return probes;
    }
}
