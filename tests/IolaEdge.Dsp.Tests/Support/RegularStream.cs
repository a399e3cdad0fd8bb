using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Tests.Support;

/// <summary>
/// A sensor whose timestamps are its true sample times (a recording on the sensor's own clock): regular
/// spacing at <see cref="RateHz"/>, whole-ms timestamps unless <see cref="WholeMs"/> is off, and lost
/// samples simply missing. Arrival jitter can be added to model a live stream that is not regular.
/// </summary>
internal sealed class RegularStream
{
    public double RateHz { get; init; } = 100;

    /// <summary>Probability that a sample is lost (each loss independent: mostly single samples).</summary>
    public double LossProbability { get; init; }

    /// <summary>Floor the timestamps to whole ms, as the seed app's CSV does.</summary>
    public bool WholeMs { get; init; } = true;

    /// <summary>Uniform arrival delay of 0 to this many ms (0: arrivals are the sample times).</summary>
    public double JitterMs { get; init; }

    public long StartNs { get; init; } = 1_700_000_000_000L * 1_000_000;

    public int Seed { get; init; } = 1;

    /// <summary>Delivered samples (ArrivalTimeNs set, SensorTimeNs 0), their true times, and how many were lost.</summary>
    public (ImuSample[] Samples, long[] TrueTimeNs, long Lost) Generate(int produced)
    {
        Random rng = new(Seed);
        double periodNs = 1e9 / RateHz;
        List<ImuSample> samples = new(produced);
        List<long> truth = new(produced);
        long lost = 0;
        long lastArrival = 0;
        for (int i = 0; i < produced; i++)
        {
            // Never lose the first samples: the loss count is then exactly the number of missing ones.
            if (i > 0 && i < produced - 1 && rng.NextDouble() < LossProbability)
            {
                lost++;
                continue;
            }

            long t = StartNs + (long)Math.Round(i * periodNs);
            long arrival = t + (long)(JitterMs * 1e6 * rng.NextDouble());
            if (WholeMs)
            {
                arrival = arrival / 1_000_000 * 1_000_000;
            }

            arrival = Math.Max(arrival, lastArrival);
            lastArrival = arrival;
            samples.Add(new ImuSample(0, samples.Count, 0, arrival, 0, 0, 1));
            truth.Add(t);
        }

        return (samples.ToArray(), truth.ToArray(), lost);
    }
}
