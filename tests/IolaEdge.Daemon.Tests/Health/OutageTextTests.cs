using IolaEdge.Daemon.Health;

namespace IolaEdge.Daemon.Tests.Health;

public sealed class OutageTextTests
{
    private static readonly HealthState s_lost = new(HealthLevel.Failing, "lost: port gone; retrying every 1 s");

    [Fact]
    public void A_new_error_text_during_the_same_outage_keeps_the_first_state()
    {
        HealthState reopenFailed = new(HealthLevel.Failing, "lost: open failed: no port matching 'keys'; retrying every 1 s");
        Assert.Equal(s_lost, OutageText.KeepFirst(s_lost, reopenFailed));
    }

    [Theory]
    [InlineData(0, "open again")]
    [InlineData(2, "not open: open failed; retrying every 1 s")]
    [InlineData(1, "lost: port gone; retrying every 1 s")]
    public void Another_kind_of_state_replaces_it(int level, string text)
    {
        HealthState next = new((HealthLevel)level, text);
        Assert.Equal(next, OutageText.KeepFirst(s_lost, next));
    }

    [Fact]
    public void A_first_failure_after_a_passing_state_is_taken()
    {
        HealthState opening = new(HealthLevel.Ok, "opening", Transient: true);
        Assert.Equal(s_lost, OutageText.KeepFirst(opening, s_lost));
    }
}
