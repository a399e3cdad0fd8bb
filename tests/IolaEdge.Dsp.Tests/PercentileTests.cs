namespace IolaEdge.Dsp.Tests;

public sealed class PercentileTests
{
    // Reference values from numpy 1.24 (numpy.percentile, default 'linear', and numpy.median), as score.py computes them.
    [Theory]
    [InlineData(90, 9.14)]
    [InlineData(37, 1.468)]
    [InlineData(0, 0.1)]
    [InlineData(100, 11.3)]
    [InlineData(50, 2.3)]
    public void A_percentile_interpolates_linearly_between_the_closest_ranks_as_numpy_does(double percent, double expected)
    {
        double[] values = [5.9, 0.1, 11.3, 2.3, 0.7];

        Assert.Equal(expected, Percentile.Of(values, percent));
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_two_middle_values()
    {
        Assert.Equal(1.5, Percentile.Median([5.9, 0.1, 2.3, 0.7]));
        Assert.Equal(2.5, Percentile.Median([4, 1, 3, 2]));
        Assert.Equal(3.7, Percentile.Of([4, 1, 3, 2], 90), 12);
    }

    [Fact]
    public void Integer_values_keep_their_fraction()
    {
        long[] sortedNs = [1_000_000, 2_000_000, 4_000_000];

        Assert.Equal(3_960_000, Percentile.OfSorted<long>(sortedNs, 99), 6);
        Assert.Equal(1.5, Percentile.MedianOfSorted<int>([1, 2]));
    }

    [Fact]
    public void No_values_have_no_percentile()
    {
        Assert.True(double.IsNaN(Percentile.Of([], 50)));
        Assert.True(double.IsNaN(Percentile.Median([])));
        Assert.True(double.IsNaN(Percentile.OfSorted<long>([], 99)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void A_percent_outside_0_to_100_is_refused_with_its_name(double percent)
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => Percentile.Of([1, 2], percent));

        Assert.Equal("percent", e.ParamName);
    }

    [Fact]
    public void A_percentile_of_sorted_values_allocates_nothing()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8];
        double sum = Percentile.OfSorted<double>(sorted, 99) + Percentile.MedianOfSorted<double>(sorted);
        ThreadAllocations allocations = ThreadAllocations.Start();
        for (int i = 0; i < 1000; i++)
        {
            sum += Percentile.OfSorted<double>(sorted, i % 101) + Percentile.MedianOfSorted<double>(sorted);
        }

        Assert.Equal(0, allocations.Bytes);
        Assert.True(sum > 0);
    }
}
