using IolaEdge.Dsp.Samples;
using IolaEdge.Inference.Features;

namespace IolaEdge.Inference.Tests.Features;

public sealed class InvariantFeatureEncoderTests
{
    private static InvariantFeatureEncoder Encoder() => new(100, 1.0, 0.0025, 0.2f);

    private static ImuSample Sample(int i, long tNs, double x, double y, double z) =>
        new(0, i, tNs, tNs, (float)x, (float)y, (float)z);

    private static float[][] Rows(Func<double, double, double, (double X, double Y, double Z)> mount)
    {
        var e = Encoder();
        var rows = new float[300][];
        for (int i = 0; i < rows.Length; i++)
        {
            double t = i * 0.01;
            double x = 0.6 * Math.Sin(2 * Math.PI * t);
            double z = 1.0 + (2.0 * Math.Exp(-Math.Pow((t % 1.0) - 0.5, 2) / 0.001));
            (double rx, double ry, double rz) = mount(x, 0.1, z);
            rows[i] = new float[5];
            e.Extract(Sample(i, 1_000_000_000L + (i * 10_000_000L), rx, ry, rz), rows[i]);
        }

        return rows;
    }

    [Fact]
    public void No_acceleration_feature_changes_when_the_sensor_is_mounted_at_another_angle()
    {
        float[][] upright = Rows((x, y, z) => (x, y, z));
        // 120° about the (1,1,1) axis (a cyclic permutation of the axes), then 90° about z
        float[][] rotated = Rows((x, y, z) => (-x, z, y));
        for (int i = 0; i < upright.Length; i++)
        {
            for (int k = 0; k < 5; k++)
            {
                Assert.InRange(Math.Abs(upright[i][k] - rotated[i][k]), 0f, 1e-5f);
            }
        }
    }

    [Fact]
    public void A_sensor_at_rest_reads_all_vertical_and_the_first_row_gets_the_nominal_period()
    {
        var e = Encoder();
        var row = new float[5];
        for (int i = 0; i < 20; i++)
        {
            e.Extract(Sample(i, i * 10_000_000L, 0.6, 0, 0.8), row);
            if (i == 0)
            {
                Assert.Equal(0.01f, row[4], 6);
            }
        }

        Assert.Equal(1f, row[0], 5);
        Assert.Equal(1f, row[1], 5);
        Assert.InRange(row[2], 0f, 1e-3f);
        Assert.Equal(0f, row[3], 6);
    }

    [Fact]
    public void After_Reset_the_rows_repeat_exactly()
    {
        var e = Encoder();
        float[] first = new float[5];
        float[] again = new float[5];
        e.Extract(Sample(0, 0, 0.3, 0.2, 0.9), first);
        e.Extract(Sample(1, 10_000_000L, 2.3, 0.2, 0.9), first);
        e.Reset();
        e.Extract(Sample(0, 0, 0.3, 0.2, 0.9), again);
        e.Extract(Sample(1, 10_000_000L, 2.3, 0.2, 0.9), again);
        Assert.Equal(first, again);
    }
}
