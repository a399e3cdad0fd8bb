using System.Globalization;

namespace IolaEdge.Dsp.Gait;

/// <summary>A predicted note: when its footfall is expected, when the note goes out, and whether it has.</summary>
/// <param name="PredictedTimeNs">Session time the footfall is expected at.</param>
/// <param name="SendTimeNs">Session time the note is sent at: the predicted time minus the output latency, never before the cue.</param>
/// <param name="DueNs">The same instant on the caller's clock (monotonic for the MIDI engine, the session clock in eval).</param>
/// <param name="Sent">Whether the note has gone out (<see cref="PredictiveTrigger.TryTakeDue"/>).</param>
/// <param name="Gait">The tracker's estimate when the prediction was made.</param>
/// <param name="SentAtNs">When <see cref="PredictiveTrigger.TryTakeDue"/> released it (caller's clock), 0 before.</param>
/// <param name="CueTimeNs">Session time of the cue the prediction was made on.</param>
public readonly record struct PredictedNote(long PredictedTimeNs, long SendTimeNs, long DueNs, bool Sent, GaitStamp Gait, long SentAtNs = 0, long CueTimeNs = 0);

/// <summary>What a detection means for the <c>predict</c> trigger.</summary>
public enum DetectionOutcome
{
    /// <summary>No prediction covers it: the detection plays the note (fallback).</summary>
    Fallback,

    /// <summary>No prediction covers it, and its note would sound later than <see cref="PredictiveTrigger.MaxLateNs"/> after the footfall: no note.</summary>
    TooLate,

    /// <summary>A predicted note already sent covers it: no second note.</summary>
    Confirmed,

    /// <summary>A predicted note covers it but is not due yet (the foot landed early): send it now.</summary>
    ConfirmedEarly,
}

/// <summary>
/// The <c>predict</c> note trigger of one sensor: schedules a note for each prediction at the predicted footfall
/// minus the output latency, pairs each detection with the prediction that covers it (within the confirmation
/// window), lets uncovered detections play (fallback) and counts predicted notes whose footfall never came.
/// </summary>
/// <remarks>
/// The same object decides for the MIDI engine (live) and for <c>iolaedge eval</c> (replay), so eval scores
/// what the engine plays. Fixed capacity, allocation-free; one thread.
/// </remarks>
public sealed class PredictiveTrigger
{
    private const double NsPerMs = 1e6;

    // A detection is decided up to ~100 ms after its footfall (a weak impact is held 60 ms, then the peak):
    // a prediction is declared unconfirmed only once its window and that delay have passed.
    private const double DetectionDelayMs = 250;

    private readonly PredictedNote[] _pending;
    private int _count;

    /// <summary>Creates the trigger.</summary>
    /// <param name="outputLatencyMs">Time from sending a note to hearing it (link + synth), 0..500 ms.</param>
    /// <param name="confirmWindowMs">A detection this close to a predicted footfall confirms it, 5..500 ms.</param>
    /// <param name="maxLateMs">A fallback note that would sound later than this after its footfall is not played, 0..2000 ms.</param>
    /// <param name="capacity">Predictions that can wait for their detection at once.</param>
    public PredictiveTrigger(double outputLatencyMs, double confirmWindowMs, double maxLateMs = 2000, int capacity = 8)
    {
        Check(nameof(outputLatencyMs), outputLatencyMs, 0, 500);
        Check(nameof(confirmWindowMs), confirmWindowMs, 5, 500);
        Check(nameof(maxLateMs), maxLateMs, 0, 2000);
        MaxLateNs = (long)(maxLateMs * NsPerMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        OutputLatencyNs = (long)(outputLatencyMs * NsPerMs);
        ConfirmWindowNs = (long)(confirmWindowMs * NsPerMs);
        _pending = new PredictedNote[capacity];
    }

    /// <summary>Output latency, ns.</summary>
    public long OutputLatencyNs { get; private set; }

    /// <summary>Latest a fallback note may sound after its footfall, ns.</summary>
    public long MaxLateNs { get; private set; }

    /// <summary>Detections no prediction covered whose note would have sounded too late (not played).</summary>
    public long TooLate { get; private set; }

    /// <summary>Confirmation window, ns.</summary>
    public long ConfirmWindowNs { get; private set; }

    /// <summary>Predicted notes scheduled.</summary>
    public long Scheduled { get; private set; }

    /// <summary>Predicted notes a detection confirmed.</summary>
    public long Confirmed { get; private set; }

    /// <summary>Predicted notes sent whose footfall was not detected within the window.</summary>
    public long Unconfirmed { get; private set; }

    /// <summary>Detections no prediction covered (they played their own note).</summary>
    public long Fallbacks { get; private set; }

    /// <summary>Earliest due time of a note not sent yet (caller's clock), or <see cref="long.MaxValue"/>.</summary>
    public long NextDueNs
    {
        get
        {
            long next = long.MaxValue;
            for (int i = 0; i < _count; i++)
            {
                if (!_pending[i].Sent && _pending[i].DueNs < next)
                {
                    next = _pending[i].DueNs;
                }
            }

            return next;
        }
    }

    /// <summary>Schedules the note of <paramref name="prediction"/>.</summary>
    /// <param name="prediction">From the tracker.</param>
    /// <param name="cueDueNs">The cue's instant on the caller's clock (the due time is derived from it).</param>
    /// <returns>The scheduled note.</returns>
    public PredictedNote Schedule(in GaitPrediction prediction, long cueDueNs)
    {
        long send = Math.Max(prediction.PredictedTimeNs - OutputLatencyNs, prediction.CueTimeNs);
        PredictedNote note = new(prediction.PredictedTimeNs, send, cueDueNs + (send - prediction.CueTimeNs), false, prediction.Gait, 0, prediction.CueTimeNs);
        if (_count == _pending.Length)
        {
            // Full (detections stopped coming while predictions did): the oldest cannot be confirmed any more.
            if (_pending[0].Sent)
            {
                Unconfirmed++;
            }

            RemoveAt(0);
        }

        _pending[_count++] = note;
        Scheduled++;
        return note;
    }

    /// <summary>Takes the next note due at <paramref name="nowNs"/> (caller's clock) and marks it sent.</summary>
    public bool TryTakeDue(long nowNs, out PredictedNote note)
    {
        for (int i = 0; i < _count; i++)
        {
            if (!_pending[i].Sent && _pending[i].DueNs <= nowNs)
            {
                _pending[i] = _pending[i] with { Sent = true, SentAtNs = nowNs };
                note = _pending[i];
                return true;
            }
        }

        note = default;
        return false;
    }

    /// <summary>A detected footfall at session time <paramref name="footfallTimeNs"/>: is it covered by a prediction?</summary>
    /// <param name="footfallTimeNs">Where the detector placed the footfall.</param>
    /// <param name="decisionTimeNs">Session time the detector decided (the fallback note is sent then).</param>
    /// <param name="matched">The covering prediction (sent state as it was), when one covers it.</param>
    public DetectionOutcome OnDetection(long footfallTimeNs, long decisionTimeNs, out PredictedNote matched)
    {
        int best = -1;
        long bestError = long.MaxValue;
        for (int i = 0; i < _count; i++)
        {
            long error = Math.Abs(_pending[i].PredictedTimeNs - footfallTimeNs);
            if (error <= ConfirmWindowNs && error < bestError)
            {
                best = i;
                bestError = error;
            }
        }

        if (best < 0)
        {
            matched = default;
            if (decisionTimeNs - footfallTimeNs + OutputLatencyNs > MaxLateNs)
            {
                TooLate++;
                return DetectionOutcome.TooLate;
            }

            Fallbacks++;
            return DetectionOutcome.Fallback;
        }

        matched = _pending[best];
        RemoveAt(best);
        Confirmed++;
        return matched.Sent ? DetectionOutcome.Confirmed : DetectionOutcome.ConfirmedEarly;
    }

    /// <summary>
    /// Takes a prediction whose footfall can no longer be detected by session time <paramref name="sessionNowNs"/>.
    /// A sent one is counted <see cref="Unconfirmed"/>; one never sent is just dropped (not returned).
    /// </summary>
    public bool TryExpire(long sessionNowNs, out PredictedNote note)
    {
        long after = ConfirmWindowNs + (long)(DetectionDelayMs * NsPerMs);
        for (int i = 0; i < _count; i++)
        {
            if (sessionNowNs - _pending[i].PredictedTimeNs > after)
            {
                note = _pending[i];
                RemoveAt(i);
                if (note.Sent)
                {
                    Unconfirmed++;
                    return true;
                }

                i--;
            }
        }

        note = default;
        return false;
    }

    /// <summary>Applies new settings (live mapping change), keeping pending predictions; values as in the constructor.</summary>
    public void Change(double outputLatencyMs, double confirmWindowMs, double maxLateMs)
    {
        Check(nameof(outputLatencyMs), outputLatencyMs, 0, 500);
        Check(nameof(confirmWindowMs), confirmWindowMs, 5, 500);
        Check(nameof(maxLateMs), maxLateMs, 0, 2000);
        OutputLatencyNs = (long)(outputLatencyMs * NsPerMs);
        ConfirmWindowNs = (long)(confirmWindowMs * NsPerMs);
        MaxLateNs = (long)(maxLateMs * NsPerMs);
    }

    /// <summary>Whether predictions wait for their detection.</summary>
    public bool HasPending => _count > 0;

    /// <summary>Forgets pending predictions (counters stay).</summary>
    public void Clear() => _count = 0;

    private void RemoveAt(int index)
    {
        for (int i = index + 1; i < _count; i++)
        {
            _pending[i - 1] = _pending[i];
        }

        _count--;
    }

    private static void Check(string name, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            throw new ArgumentOutOfRangeException(name, value,
                string.Create(CultureInfo.InvariantCulture, $"{name} = {value} is outside {min}..{max}"));
        }
    }
}
