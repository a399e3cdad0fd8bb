using IolaEdge.Dsp.Gait;

namespace IolaEdge.Dsp.Tests.Gait;

public sealed class PredictiveTriggerTests
{
    private const long Ms = 1_000_000;

    private static GaitPrediction Prediction(long predictedMs, long cueMs) => new(predictedMs * Ms, cueMs * Ms, cueMs * Ms, default);

    [Fact]
    public void A_note_is_due_at_the_predicted_footfall_minus_the_output_latency()
    {
        PredictiveTrigger trigger = new(outputLatencyMs: 20, confirmWindowMs: 80);
        PredictedNote note = trigger.Schedule(Prediction(1000, 930), cueDueNs: 930 * Ms);
        Assert.Equal(980 * Ms, note.SendTimeNs);
        Assert.Equal(980 * Ms, trigger.NextDueNs);
        Assert.False(trigger.TryTakeDue(979 * Ms, out _));
        Assert.True(trigger.TryTakeDue(980 * Ms, out PredictedNote sent));
        Assert.True(sent.Sent);
        Assert.Equal(long.MaxValue, trigger.NextDueNs);
    }

    [Fact]
    public void A_prediction_closer_than_the_latency_is_sent_at_once_never_before_its_cue()
    {
        PredictiveTrigger trigger = new(outputLatencyMs: 50, confirmWindowMs: 80);
        PredictedNote note = trigger.Schedule(Prediction(1000, 970), cueDueNs: 5_000 * Ms);
        Assert.Equal(970 * Ms, note.SendTimeNs);
        Assert.Equal(5_000 * Ms, note.DueNs); // on the caller's clock: the cue's own instant
    }

    [Fact]
    public void A_detection_within_the_window_confirms_the_predicted_note_and_plays_no_second_one()
    {
        PredictiveTrigger trigger = new(20, 80);
        trigger.Schedule(Prediction(1000, 930), 930 * Ms);
        trigger.TryTakeDue(980 * Ms, out _);
        Assert.Equal(DetectionOutcome.Confirmed, trigger.OnDetection(1030 * Ms, 1050 * Ms, out PredictedNote matched));
        Assert.Equal(1000 * Ms, matched.PredictedTimeNs);
        Assert.Equal(1, trigger.Confirmed);
        Assert.False(trigger.HasPending);
    }

    [Fact]
    public void A_foot_landing_before_the_note_went_out_sends_it_at_once()
    {
        PredictiveTrigger trigger = new(20, 80);
        trigger.Schedule(Prediction(1000, 930), 930 * Ms);
        Assert.Equal(DetectionOutcome.ConfirmedEarly, trigger.OnDetection(940 * Ms, 960 * Ms, out _));
        Assert.False(trigger.TryTakeDue(long.MaxValue, out _));
    }

    [Fact]
    public void An_uncovered_detection_plays_unless_its_note_would_be_too_late()
    {
        PredictiveTrigger trigger = new(outputLatencyMs: 20, confirmWindowMs: 80, maxLateMs: 80);
        Assert.Equal(DetectionOutcome.Fallback, trigger.OnDetection(1000 * Ms, 1020 * Ms, out _));
        Assert.Equal(DetectionOutcome.TooLate, trigger.OnDetection(2000 * Ms, 2080 * Ms, out _));
        Assert.Equal(1, trigger.Fallbacks);
        Assert.Equal(1, trigger.TooLate);
    }

    [Fact]
    public void A_sent_note_whose_footfall_never_comes_is_counted_unconfirmed_once_its_window_has_passed()
    {
        PredictiveTrigger trigger = new(20, 80);
        trigger.Schedule(Prediction(1000, 930), 930 * Ms);
        trigger.TryTakeDue(980 * Ms, out _);
        Assert.False(trigger.TryExpire(1100 * Ms, out _)); // a detection could still be decided
        Assert.True(trigger.TryExpire(1400 * Ms, out PredictedNote lost));
        Assert.Equal(1000 * Ms, lost.PredictedTimeNs);
        Assert.Equal(1, trigger.Unconfirmed);

        // Never sent (e.g. a mapping change): dropped without counting a note that nobody heard.
        trigger.Schedule(Prediction(3000, 2930), 2930 * Ms);
        Assert.False(trigger.TryExpire(4000 * Ms, out _));
        Assert.Equal(1, trigger.Unconfirmed);
        Assert.False(trigger.HasPending);
    }

    [Fact]
    public void Settings_out_of_range_are_refused_with_their_name()
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new PredictiveTrigger(600, 80));
        Assert.Equal("outputLatencyMs", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new PredictiveTrigger(20, 1));
        Assert.Equal("confirmWindowMs", e.ParamName);
    }
}
