using IolaEdge.Dsp.Gait;

namespace IolaEdge.Dsp.Tests.Gait;

public sealed class GaitPairTests
{
    private const long Ms = 1_000_000;

    [Fact]
    public void Alternating_feet_half_a_stride_apart_are_in_phase_one_half()
    {
        GaitPair pair = new();
        Assert.True(float.IsNaN(pair.OnFootfall(0, 0, 1000 * Ms)));
        for (int k = 0; k < 4; k++)
        {
            pair.OnFootfall(1, ((k * 1000) + 500) * Ms, 1000 * Ms);
            pair.OnFootfall(0, (k + 1) * 1000 * Ms, 1000 * Ms);
        }

        Assert.InRange(pair.Phase, 0.499, 0.501);
        Assert.InRange(pair.Asymmetry, 0, 0.002);
    }

    [Fact]
    public void A_limp_moves_the_phase_off_one_half()
    {
        GaitPair pair = new();
        for (int k = 0; k < 4; k++)
        {
            pair.OnFootfall(0, k * 1000 * Ms, 1000 * Ms);
            pair.OnFootfall(1, ((k * 1000) + 400) * Ms, 1000 * Ms);
        }

        Assert.InRange(pair.Phase, 0.39, 0.41);
        Assert.InRange(pair.Asymmetry, 0.19, 0.21);
        Assert.True(float.IsNaN(pair.OnFootfall(2, 0, 1000 * Ms)));
    }
}
