namespace IolaEdge.Midi.Tests.Outputs;

public sealed class PortPresenceTests
{
    private const long Second = 1_000_000_000;

    [Fact]
    public void A_port_missed_by_one_probe_and_seen_by_the_next_is_not_gone()
    {
        PortPresence presence = new(TimeSpan.FromSeconds(1));
        presence.Restart(0);
        Queue<bool> answers = new([false, true, true]);

        Assert.False(presence.IsGone(Second, answers.Dequeue));
        Assert.Equal(TimeSpan.FromMilliseconds(100), presence.UntilNextProbe(Second));
        Assert.False(presence.IsGone(Second + (Second / 10), answers.Dequeue));
        Assert.Equal(TimeSpan.FromSeconds(1), presence.UntilNextProbe(Second + (Second / 10)));
        Assert.False(presence.IsGone(3 * Second, answers.Dequeue));
    }

    [Fact]
    public void A_port_missed_by_two_probes_in_a_row_is_gone_a_tenth_of_a_second_after_the_first_miss()
    {
        PortPresence presence = new(TimeSpan.FromSeconds(1));
        presence.Restart(0);
        int asked = 0;
        bool Missing()
        {
            asked++;
            return false;
        }

        Assert.False(presence.IsGone(Second / 2, Missing)); // not due yet: not even asked
        Assert.Equal(0, asked);
        Assert.False(presence.IsGone(Second, Missing));
        Assert.False(presence.IsGone(Second + (Second / 20), Missing)); // the recheck is not due yet
        Assert.True(presence.IsGone(Second + (Second / 10), Missing));
        Assert.Equal(2, asked);
    }

    [Fact]
    public void A_probe_that_throws_counts_as_a_miss()
    {
        PortPresence presence = new(TimeSpan.FromMilliseconds(50));
        presence.Restart(0);
        static bool Throws() => throw new InvalidOperationException("the port list could not be read");

        Assert.False(presence.IsGone(Second, Throws));
        Assert.True(presence.IsGone(2 * Second, Throws));
    }

    [Fact]
    public void A_reopened_port_starts_with_no_miss_held_against_it()
    {
        PortPresence presence = new(TimeSpan.FromSeconds(1));
        presence.Restart(0);
        Assert.False(presence.IsGone(Second, () => false));
        presence.Restart(2 * Second);

        Assert.False(presence.IsGone(3 * Second, () => false));
    }
}
