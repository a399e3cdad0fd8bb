using IolaEdge.Dsp.Features;

namespace IolaEdge.Dsp.Tests.Features;

public sealed class StandardScalerTests
{
    [Fact]
    public void Transform_standardises_every_row_in_place()
    {
        StandardScaler scaler = new([1f, 10f], [2f, 5f]);
        float[] rows = [3f, 20f, -1f, 0f];
        scaler.Transform(rows);
        Assert.Equal([1f, 2f, -1f, -2f], rows);
    }

    [Fact]
    public void Fit_finds_mean_and_population_deviation_and_gives_constant_columns_scale_one()
    {
        float[] rows = [1f, 7f, 3f, 7f, 5f, 7f];
        StandardScaler scaler = StandardScaler.Fit(rows, 2);
        Assert.Equal(3f, scaler.Mean[0], 5);
        Assert.Equal(7f, scaler.Mean[1], 5);
        Assert.Equal(MathF.Sqrt(8f / 3f), scaler.Scale[0], 5);
        Assert.Equal(1f, scaler.Scale[1]);

        scaler.Transform(rows);
        Assert.Equal(0f, rows[0] + rows[2] + rows[4], 5);
        Assert.Equal(0f, rows[1]);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected_naming_both_counts()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new StandardScaler([0f, 0f, 0f], [1f, 1f]));
        Assert.Contains("3", e.Message, StringComparison.Ordinal);
        Assert.Contains("2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_or_non_finite_scale_and_a_non_finite_mean_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new StandardScaler([0f], [0f]));
        Assert.Throws<ArgumentException>(() => new StandardScaler([0f], [float.PositiveInfinity]));
        Assert.Throws<ArgumentException>(() => new StandardScaler([float.NaN], [1f]));
        Assert.Throws<ArgumentException>(() => new StandardScaler([], []));
    }

    [Fact]
    public void A_partial_row_is_rejected_by_transform_and_fit()
    {
        StandardScaler scaler = new([0f, 0f], [1f, 1f]);
        Assert.Throws<ArgumentException>(() => scaler.Transform(new float[3]));
        Assert.Throws<ArgumentException>(() => StandardScaler.Fit(new float[3], 2));
        Assert.Throws<ArgumentException>(() => StandardScaler.Fit(ReadOnlySpan<float>.Empty, 2));
    }

    [Fact]
    public void The_scaler_keeps_its_own_copy_of_the_parameters()
    {
        float[] mean = [1f];
        float[] scale = [1f];
        StandardScaler scaler = new(mean, scale);
        mean[0] = 100f;
        float[] row = [1f];
        scaler.Transform(row);
        Assert.Equal(0f, row[0]);
    }
}
