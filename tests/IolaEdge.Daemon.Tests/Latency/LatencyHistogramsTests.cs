using IolaEdge.Daemon.Latency;
using IolaEdge.Dsp.Gait;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Tests.Latency;

public sealed class LatencyHistogramsTests
{
    [Fact]
    public void Percentiles_follow_the_recorded_latencies_in_milliseconds()
    {
        LatencyHistograms histograms = new();
        for (int i = 1; i <= 100; i++)
        {
            long footfall = i * 500_000_000L;
            long arrival = 10_000_000_000L + i;
            histograms.OnFootfall(new FootfallEvent(0, i, footfall, arrival, footfall + (i * 1_000_000L), 1, 1, arrival + (i * 10_000L))
                .WithGait(new GaitStamp(1_000_000_000, GaitState.Steady, 5, 5)));
        }

        Assert.Equal(100, histograms.Count);
        Assert.Equal(50.0, histograms.AlgorithmicPercentileMs(50), 1);
        Assert.Equal(99.0, histograms.AlgorithmicPercentileMs(99), 1);
        Assert.Equal(0.5, histograms.ProcessingPercentileMs(50), 2);
        Assert.Equal(120.0, histograms.CadenceStepsPerMinute, 3); // the gait tracker's stride of 1 s: two steps per second
        string text = histograms.Describe();
        Assert.Contains("p99.9=", text, StringComparison.Ordinal);
        Assert.Contains("n=100", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_without_a_midi_stamp_are_counted_as_unmeasured()
    {
        LatencyHistograms histograms = new();
        histograms.OnFootfall(new FootfallEvent(0, 0, 0, 1, 30_000_000, 1, 1));
        histograms.OnFootfall(new FootfallEvent(0, 1, 0, 1_700_000_000_000_000_000, 30_000_000, 1, 1, 5)); // clocks mixed up

        Assert.Equal(2, histograms.Unmeasured);
        Assert.True(double.IsNaN(histograms.ProcessingPercentileMs(50)));
        Assert.Equal(30.0, histograms.AlgorithmicPercentileMs(50), 1);
    }

    [Fact]
    public void Predicted_notes_record_their_prediction_error_and_unconfirmed_ones_no_latency()
    {
        LatencyHistograms histograms = new();
        FootfallEvent detected = new(0, 0, 1_000_000_000, 5, 1_020_000_000, 1, 1, 3, FootfallEventKind.Detected, 990_000_000, NoteTrigger.Predicted, default);
        FootfallEvent unconfirmed = new(0, -1, 3_000_000_000, 0, 2_930_000_000, 0, 1, 7, FootfallEventKind.Unconfirmed, 3_000_000_000, NoteTrigger.Predicted, default);
        histograms.OnFootfall(detected);
        histograms.OnFootfall(unconfirmed);

        Assert.Equal(1, histograms.Count);
        Assert.True(double.IsNaN(histograms.ProcessingPercentileMs(50))); // sent before the footfall: no processing latency
        Assert.Contains("|predicted - detected footfall|: n=1 p50=10.0", histograms.Describe(), StringComparison.Ordinal);
        Assert.Contains("1 predicted notes without a detected footfall", histograms.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_latency_up_to_the_MIDI_hand_off_is_summarised_beneath_the_processing_latency_up_to_the_sent_bytes()
    {
        LatencyHistograms histograms = new();
        histograms.OnFootfall(new FootfallEvent(0, 0, 1_000_000_000, 1_000_000, 1_020_000_000, 1, 1, 1_000_000 + 5_000_000) { MidiQueuedTimeNs = 1_000_000 + 1_000_000 });
        Assert.Equal(5.0, histograms.ProcessingPercentileMs(50), 2);
        Assert.Equal(1.0, histograms.QueuedPercentileMs(50), 2);
        string text = histograms.Describe();
        Assert.Contains("processing (MIDI write - packet arrival): n=1 p50=5.0", text, StringComparison.Ordinal);
        Assert.Contains("of which up to the MIDI hand-off (queued - packet arrival): n=1 p50=1.0", text, StringComparison.Ordinal);
    }
}
