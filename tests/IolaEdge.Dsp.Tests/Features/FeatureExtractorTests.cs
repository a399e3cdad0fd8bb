using IolaEdge.Dsp.Features;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Tests.Features;

public sealed class FeatureExtractorTests
{
    [Fact]
    public void A_row_holds_the_axes_the_magnitude_and_the_time_step_in_layout_order()
    {
        FeatureExtractor extractor = new(200);
        float[] row = new float[FeatureLayout.Count];

        extractor.Extract(new ImuSample(0, 0, 1_000_000_000, 0, 3f, 0f, 4f), row);
        Assert.Equal(3f, row[FeatureLayout.X]);
        Assert.Equal(0f, row[FeatureLayout.Y]);
        Assert.Equal(4f, row[FeatureLayout.Z]);
        Assert.Equal(5f, row[FeatureLayout.Magnitude], 6);
        Assert.Equal(0.005f, row[FeatureLayout.Dt], 6);

        extractor.Extract(new ImuSample(0, 1, 1_012_500_000, 0, 0f, -2f, 0f), row);
        Assert.Equal(2f, row[FeatureLayout.Magnitude], 6);
        Assert.Equal(0.0125f, row[FeatureLayout.Dt], 6);
    }

    [Fact]
    public void After_reset_the_first_time_step_is_the_nominal_period_again()
    {
        FeatureExtractor extractor = new(100);
        float[] row = new float[FeatureLayout.Count];
        extractor.Extract(new ImuSample(0, 0, 0, 0, 0, 0, 1), row);
        extractor.Extract(new ImuSample(0, 1, 50_000_000, 0, 0, 0, 1), row);
        Assert.Equal(0.05f, row[FeatureLayout.Dt], 6);

        extractor.Reset();
        extractor.Extract(new ImuSample(0, 2, 900_000_000, 0, 0, 0, 1), row);
        Assert.Equal(0.01f, row[FeatureLayout.Dt], 6);
    }

    [Fact]
    public void A_short_row_span_is_rejected_with_the_needed_length()
    {
        FeatureExtractor extractor = new(200);
        float[] row = new float[3];
        ArgumentException e = Assert.Throws<ArgumentException>(() => extractor.Extract(default, row));
        Assert.Contains("5", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void A_non_positive_sample_rate_is_rejected(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureExtractor(rate));
    }

    [Fact]
    public void The_layout_names_every_feature_once_in_column_order()
    {
        Assert.Equal(FeatureLayout.Count, FeatureLayout.Names.Count);
        Assert.Equal(["x", "y", "z", "magnitude", "dt"], FeatureLayout.Names);
    }
}
