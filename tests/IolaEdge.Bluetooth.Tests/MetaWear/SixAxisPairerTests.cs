using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Bluetooth.Tests.Support;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Bluetooth.Tests.MetaWear;

/// <summary>
/// Pairing on the sensor clock: a simulated board samples both sensors at every tick (walk row n), each
/// stream packs two samples per notification and numbers its own samples from its own start.
/// </summary>
public class SixAxisPairerTests
{
    private sealed record Board(long TickNs = 5_000_000, int GyroStartRow = 0, bool GyroFirst = false, int[]? AccDrop = null, int[]? GyroDrop = null,
        long SensorClockSkewNs = 0, int Rows = 600, int GyroStopsAtRow = int.MaxValue);

    /// <summary>Feeds the pairer as the decoders would: samples carry X = walk row (accelerometer) / X = row (gyroscope, °/s).</summary>
    private static void Run(SixAxisPairer pairer, Board b)
    {
        long accSeq = 0, gyroSeq = 0;
        int accNote = 0, gyroNote = 0;
        for (int n = 1; n < b.Rows; n++)
        {
            long arrival = 1_000_000_000 + (n * b.TickNs) + 300_000;
            void Acc()
            {
                if (n % 2 != 1)
                {
                    return; // acc pairs (0,1), (2,3)...: complete at odd ticks
                }

                bool lost = b.AccDrop?.Contains(accNote) == true;
                accNote++;
                if (!lost)
                {
                    for (int i = 0; i < 2; i++)
                    {
                        long row = n - 1 + i;
                        // SensorTimeNs deliberately skewed: the pairer must not rely on the decoders' own clocks.
                        pairer.OnSample(new ImuSample(0, accSeq + i, arrival - ((1 - i) * 5_000_000) - b.SensorClockSkewNs, arrival, row, 0f, 1f));
                    }
                }

                accSeq += 2;
            }

            void Gyro()
            {
                int k = n - b.GyroStartRow; // the gyroscope's own index of this tick
                if (k < 1 || k % 2 != 1 || n >= b.GyroStopsAtRow)
                {
                    return;
                }

                bool lost = b.GyroDrop?.Contains(gyroNote) == true;
                gyroNote++;
                if (!lost)
                {
                    for (int i = 0; i < 2; i++)
                    {
                        long row = n - 1 + i;
                        pairer.Gyroscope.OnSample(new ImuSample(0, gyroSeq + i, arrival - ((1 - i) * 5_000_000) + b.SensorClockSkewNs, arrival, row, -row, 0.5f));
                    }
                }

                gyroSeq += 2;
            }

            if (b.GyroFirst)
            {
                Gyro();
                Acc();
            }
            else
            {
                Acc();
                Gyro();
            }
        }
    }

    private static (SixAxisPairer Pairer, CountingSink Sink) Make()
    {
        var sink = new CountingSink { Kept = [] };
        var pairer = new SixAxisPairer();
        pairer.Configure(sink);
        return (pairer, sink);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(0, true)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    [InlineData(6, true)]
    public void Every_paired_sample_carries_the_gyro_reading_of_its_own_tick(int gyroStartRow, bool gyroFirst)
    {
        (SixAxisPairer pairer, CountingSink sink) = Make();
        Run(pairer, new Board(GyroStartRow: gyroStartRow, GyroFirst: gyroFirst, SensorClockSkewNs: 7_000_000));

        Assert.Equal((long)gyroStartRow, pairer.Offset);
        Assert.All(sink.Kept!.Where(s => s.HasAngularVelocity), s => Assert.Equal(s.X, s.AngularVelocityX));
        int firstPaired = sink.Kept!.FindIndex(s => s.HasAngularVelocity);
        Assert.InRange(firstPaired, gyroStartRow, gyroStartRow + 24);
        Assert.All(sink.Kept.Skip(firstPaired), s => Assert.True(s.HasAngularVelocity));
        Assert.Equal(pairer.Paired + pairer.AccelerationOnly, sink.Count);
    }

    [Fact]
    public void The_largest_angular_speed_and_acceleration_of_paired_samples_are_kept_until_a_new_connection()
    {
        (SixAxisPairer pairer, CountingSink sink) = Make();
        Run(pairer, new Board(Rows: 200));

        // Row r pairs acceleration (r, 0, 1) g with angular velocity (r, −r, 0.5) °/s.
        ImuSample last = sink.Kept!.Last(s => s.HasAngularVelocity);
        Assert.Equal(Math.Sqrt((2.0 * last.X * last.X) + 0.25), pairer.LargestAngularSpeedDps, 3);
        Assert.Equal(Math.Sqrt((1.0 * last.X * last.X) + 1), pairer.LargestPairedAccelerationG, 3);

        pairer.Reset();
        pairer.OnSample(new ImuSample(0, 1000, 0, 0, 9f, 0f, 1f));
        Assert.Equal((0.0, 0.0), (pairer.LargestAngularSpeedDps, pairer.LargestPairedAccelerationG));
    }

    [Fact]
    public void Losses_on_either_stream_leave_exactly_their_rows_unpaired_and_the_counters_add_up()
    {
        (SixAxisPairer pairer, CountingSink sink) = Make();
        int[] accDrop = [40, 41, 120];
        int[] gyroDrop = [60, 200, 201];
        Run(pairer, new Board(TickNs: 5_400_000, GyroStartRow: 3, AccDrop: accDrop, GyroDrop: gyroDrop, Rows: 1000));

        var gyroLostRows = gyroDrop.SelectMany(m => new long[] { 3 + (2 * m), 3 + (2 * m) + 1 }).ToHashSet();
        int firstPaired = sink.Kept!.FindIndex(s => s.HasAngularVelocity);
        foreach (ImuSample s in sink.Kept.Skip(firstPaired))
        {
            Assert.Equal(!gyroLostRows.Contains((long)s.X), s.HasAngularVelocity);
            if (s.HasAngularVelocity)
            {
                Assert.Equal(s.X, s.AngularVelocityX);
            }
        }

        long accIn = 1000 - (2 * accDrop.Length); // rows 0..999
        Assert.Equal(accIn, pairer.Paired + pairer.AccelerationOnly + pairer.HeldAcceleration);
        long gyroIn = 996 - (2 * gyroDrop.Length); // rows 3..998 (the last gyro pair is never completed)
        Assert.Equal(gyroIn, pairer.Paired + pairer.UnmatchedGyroscope + pairer.WaitingGyroscope);
        Assert.True(pairer.UnmatchedGyroscope + pairer.WaitingGyroscope >= 2 * accDrop.Length); // the partners of the lost accelerometer rows
    }

    [Fact]
    public void A_stalled_gyro_holds_an_accelerometer_sample_at_most_max_held_samples()
    {
        (SixAxisPairer pairer, CountingSink sink) = Make();
        Run(pairer, new Board(GyroStopsAtRow: 300, Rows: 400));
        Assert.Equal(SixAxisPairer.MaxHeld, pairer.HeldAcceleration);
        Assert.Equal(400 - SixAxisPairer.MaxHeld, sink.Count);
        Assert.All(sink.Kept!.Skip(320), s => Assert.False(s.HasAngularVelocity));
    }

    [Fact]
    public void A_reset_passes_held_samples_on_at_the_next_sample_and_relearns_the_offset()
    {
        (SixAxisPairer pairer, CountingSink sink) = Make();
        Run(pairer, new Board(GyroStopsAtRow: 300, Rows: 400));
        long before = sink.Count;
        pairer.Reset();
        Assert.Equal(before, sink.Count); // nothing from this thread: the sink keeps one producer
        Assert.Equal(SixAxisPairer.MaxHeld, pairer.HeldAcceleration);
        Run(pairer, new Board(GyroStartRow: 5, Rows: 200));
        Assert.Equal(2, pairer.Locks);
        Assert.Equal(5L, pairer.Offset);
        // The held samples of the old connection (rows near 390) came out first, without angular velocity, then the new stream (row 0 on).
        Assert.All(sink.Kept!.Skip((int)before).Take(SixAxisPairer.MaxHeld), s => Assert.True(s.X > 380 && !s.HasAngularVelocity));
        Assert.Equal(0f, sink.Kept![(int)before + SixAxisPairer.MaxHeld].X);
    }

    [Fact]
    public void Pairing_allocates_nothing_in_steady_state()
    {
        var pairer = new SixAxisPairer();
        pairer.Configure(new CountingSink());
        Run(pairer, new Board(Rows: 200));
        long bytes = Allocations.OfSteadyState(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                long row = 200 + i;
                pairer.OnSample(new ImuSample(0, row, 0, 2_000_000_000 + (row * 5_000_000), row, 0f, 1f));
                pairer.Gyroscope.OnSample(new ImuSample(0, row, 0, 2_000_000_000 + (row * 5_000_000), row, 0f, 0f));
            }
        });
        Assert.Equal(0, bytes);
    }
}
