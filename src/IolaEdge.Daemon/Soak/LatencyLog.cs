using IolaEdge.Daemon.Output;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Soak;

/// <summary>One footfall's latencies, when its packet arrived (monotonic) and when it happened (sensor time).</summary>
/// <param name="ArrivalNs">Monotonic arrival of the packet that completed the decision.</param>
/// <param name="FootfallNs">Sensor time of the footfall: its place in the walk, however fast the walk was replayed.</param>
/// <param name="AlgorithmicMs">Decision sample minus footfall sample.</param>
/// <param name="ProcessingMs">MIDI write minus packet arrival; NaN without a usable MIDI write stamp.</param>
internal readonly record struct LatencyPoint(long ArrivalNs, long FootfallNs, float AlgorithmicMs, float ProcessingMs);

/// <summary>
/// Keeps every footfall's latencies with its arrival time, so that the soak can compare the first and the
/// last quarter of the run once it knows how long the run was (the run's histograms are cumulative).
/// A slow consumer on its own fan-out thread; 16 bytes per footfall, reserved up front for the expected
/// number so that the list does not grow during a soak of the planned length.
/// </summary>
internal sealed class LatencyLog : IFootfallEventConsumer
{
    // Same bound as the histograms: beyond a minute a "latency" is a clock mix-up.
    private const long HighestPlausibleNs = 60_000_000_000;

    private readonly List<LatencyPoint> _points;

    /// <summary>Creates the log with room for <paramref name="expectedFootfalls"/> without growing.</summary>
    public LatencyLog(int expectedFootfalls) => _points = new List<LatencyPoint>(expectedFootfalls);

    /// <inheritdoc/>
    public string Name => "soak-latency";

    /// <summary>The footfalls seen; read only after the fan-out completed (its thread has stopped writing).</summary>
    public IReadOnlyList<LatencyPoint> Points => _points;

    /// <inheritdoc/>
    public void OnFootfall(in FootfallEvent footfall)
    {
        long processingNs = footfall.ProcessingLatencyNs;
        float processingMs = footfall.MidiWriteTimeNs != 0 && processingNs >= 0 && processingNs <= HighestPlausibleNs
            ? (float)(processingNs / 1e6)
            : float.NaN;
        _points.Add(new LatencyPoint(footfall.PacketArrivalTimeNs, footfall.FootfallTimeNs, (float)(footfall.AlgorithmicLatencyNs / 1e6), processingMs));
    }

    /// <inheritdoc/>
    public void Flush()
    {
    }
}
