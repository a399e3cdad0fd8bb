using System.Runtime.InteropServices;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Pipeline;

/// <summary>A sample as it waits in the source-to-pipeline ring, with the monotonic time it entered.</summary>
/// <remarks>
/// Replayed sources stamp <see cref="ImuSample.ArrivalTimeNs"/> on the file's clock (so detection stays in
/// the recording's time base); <see cref="EnqueuedNs"/> gives processing latency a monotonic start for them.
/// </remarks>
/// <param name="Sample">The raw sample.</param>
/// <param name="EnqueuedNs">Monotonic ns at which the sink accepted it.</param>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct StampedSample(ImuSample Sample, long EnqueuedNs);
