using IolaEdge.Daemon.Configuration;

namespace IolaEdge.Daemon.Soak;

/// <summary>What a soak was asked to do, from the verb's <c>--minutes</c> and the validated options.</summary>
/// <param name="Minutes">Length asked for: minutes of walk (wall minutes at speed 1, and for live sources).</param>
/// <param name="Speed">Replay pace.</param>
/// <param name="IsLive">A live source (BLE): paced by the sensor, not by <paramref name="Speed"/>.</param>
/// <param name="Source">The source spec, as configured.</param>
/// <param name="Detector">The detector name.</param>
/// <param name="MidiBackend">The MIDI backend.</param>
/// <param name="ProgressIntervalSeconds">Seconds between resource samples (0: only at start and end).</param>
internal sealed record SoakPlan(double Minutes, ReplaySpeed Speed, bool IsLive, string Source, string Detector, string MidiBackend, double ProgressIntervalSeconds)
{
    /// <summary>Wall seconds the source should run; null at <c>--speed max</c>, which runs as fast as it goes.</summary>
    public double? ExpectedSeconds => IsLive ? Minutes * 60 : Speed.IsMax ? null : Minutes * 60 / Speed.Factor;

    /// <summary>The plan of a run with these validated options.</summary>
    public static SoakPlan From(double minutes, RunOptions run, MidiOptions midi, PipelineOptions pipeline)
    {
        _ = ReplaySpeed.TryParse(run.Speed, out ReplaySpeed speed); // validated at start
        bool live = SourceSpec.TryParse(run.Source, out SourceSpec spec) && spec.Kind == SourceKind.Ble;
        return new SoakPlan(minutes, speed, live, run.Source, run.Detector, midi.Backend, pipeline.ProgressIntervalSeconds);
    }
}
