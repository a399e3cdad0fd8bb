using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Tests.Support;

/// <summary>
/// Synthetic BLE delivery with exact truth: a sensor sampling on a regular grid, connection events
/// every <c>IntervalMs</c> (with jitter) that deliver the queued samples (up to a maximum per event),
/// and random packet loss. Arrival times spread a few tenths of a ms apart inside a burst, like the
/// phone's callbacks in the seed recording.
/// </summary>
internal sealed class BurstyDelivery
{
    public double RateHz { get; init; } = 200;
    public double RateErrorPpm { get; init; }
    public double IntervalMs { get; init; } = 48.75;
    public double IntervalJitterMs { get; init; } = 1.5;
    public int MaxPerEvent { get; init; } = 11;
    public double LossProbability { get; init; }
    public double BurstLossProbability { get; init; }
    public long StartNs { get; init; } = 1_747_236_808_595L * 1_000_000;
    public int Seed { get; init; } = 1;

    /// <summary>Samples with ArrivalTimeNs set and SensorTimeNs = 0, plus the true sensor times.</summary>
    public (ImuSample[] Samples, long[] TrueTimeNs) Generate(int produced, Func<int, (float X, float Y, float Z)>? signal = null)
    {
        Random rng = new(Seed);
        double periodNs = 1e9 / RateHz * (1 - RateErrorPpm * 1e-6);
        List<ImuSample> samples = [];
        List<long> truth = [];
        Queue<int> queue = new();
        int next = 0;
        double eventNs = StartNs + (IntervalMs * 1e6 * rng.NextDouble());
        while (next < produced || queue.Count > 0)
        {
            while (next < produced && StartNs + (next * periodNs) <= eventNs)
            {
                if (rng.NextDouble() >= LossProbability)
                {
                    queue.Enqueue(next);
                }

                next++;
            }

            bool burstLost = rng.NextDouble() < BurstLossProbability;
            int n = Math.Min(MaxPerEvent, queue.Count);
            for (int k = 0; k < n; k++)
            {
                int i = queue.Dequeue();
                if (burstLost)
                {
                    continue;
                }

                long arrival = (long)(eventNs + 2e6 + (k * 0.6e6));
                (float x, float y, float z) = signal?.Invoke(i) ?? (0f, 0f, 1f);
                samples.Add(new ImuSample(0, samples.Count, 0, arrival, x, y, z));
                truth.Add((long)(StartNs + (i * periodNs)));
            }

            eventNs += (IntervalMs + ((rng.NextDouble() * 2) - 1) * IntervalJitterMs) * 1e6;
        }

        return (samples.ToArray(), truth.ToArray());
    }
}
