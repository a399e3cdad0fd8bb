using System.Diagnostics;
using System.Globalization;
using IolaEdge.Dsp;
using IolaEdge.Dsp.Detection;
using IolaEdge.Evaluation;
using IolaEdge.Dsp.Gait;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Recording;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Evaluation;

/// <summary>A detection as eval reports it.</summary>
/// <param name="TimeNs">Detected footfall time, session-clock ns (the file's epoch clock).</param>
/// <param name="TimeMs">The same in ms, as written to the detections CSV and scored.</param>
/// <param name="Score">Gate score.</param>
/// <param name="LatencyMs">Algorithmic latency (decision sample time − footfall time).</param>
internal readonly record struct Detection(long TimeNs, double TimeMs, float Score, double LatencyMs);

/// <summary>What running a detector over a recording produced, before scoring.</summary>
internal sealed class EvalRun
{
    public required string Input { get; init; }

    public required string DetectorName { get; init; }

    public required List<double> TruthMs { get; init; }

    public required List<Detection> Detections { get; init; }

    public required long Samples { get; init; }

    public required long MalformedLines { get; init; }

    public required IReadOnlyList<RecordingCsvMalformedLine> FirstMalformedLines { get; init; }

    public required double WalkSeconds { get; init; }

    /// <summary>Samples whose arrival time was before the previous sample's (the walk's time went backwards).</summary>
    public long BackwardSteps { get; init; }

    /// <summary>Arrival time of the first sample, epoch ms on the input's clock; NaN without samples.</summary>
    public required double FirstSampleMs { get; init; }

    /// <summary>Arrival time of the last sample, epoch ms; NaN without samples.</summary>
    public required double LastSampleMs { get; init; }

    public required double ProcessingSeconds { get; init; }

    public required double ReadSeconds { get; init; }

    public required SampleClock Clock { get; init; }

    public required IFootfallDetector Detector { get; init; }

    /// <summary>The sensor rate the clock and detector assumed (<c>--rate-hz</c>).</summary>
    public required double NominalRateHz { get; init; }

    /// <summary>Samples that carried angular velocity (a gyroscope).</summary>
    public long AngularVelocitySamples { get; init; }

    /// <summary>The largest |ω| of any sample (°/s; 0 without angular velocity): a walking foot turns at hundreds.</summary>
    public double LargestAngularSpeedDps { get; init; }

    /// <summary>The median |a| of the file's samples (g): about 1 for a foot that stands and walks, about 9.8 for a file in m/s².</summary>
    public double MedianAccelerationG { get; init; }

    /// <summary>The notes each trigger would have played (heard times), and the trackers' counters.</summary>
    public required NoteRun Notes { get; init; }

    /// <summary>Samples per second of walk actually in the file (below nominal when the link lost some).</summary>
    public double EffectiveRateHz => WalkSeconds > 0 ? Samples / WalkSeconds : double.NaN;

    /// <summary>Processing seconds per second of walk (pipeline only: clock, detector, gate).</summary>
    public double RtFactor => WalkSeconds > 0 ? ProcessingSeconds / WalkSeconds : double.NaN;

    /// <summary>Reads <paramref name="path"/>, replays its samples through a fresh pipeline and collects truth and detections.</summary>
    /// <remarks>Samples are read into memory first so that the RT factor times the pipeline, not the parser.</remarks>
    public static EvalRun Execute(string path, DetectorChoice detectorChoice, double nominalRateHz = 200, NoteSettings? noteSettings = null)
    {
        noteSettings ??= new NoteSettings();
        long readStart = Stopwatch.GetTimestamp();
        List<ImuSample> samples = [];
        List<double> truth = [];
        long angular = 0;
        double largestAngularSpeed = 0;
        long malformed;
        IReadOnlyList<RecordingCsvMalformedLine> firstMalformed;
        using (RecordingCsvReader reader = RecordingCsvReader.Open(path))
        {
            while (reader.TryRead(out RecordedRow r))
            {
                switch (r.Kind)
                {
                    case RecordedRowKind.Sample:
                        samples.Add(r.Sample);
                        if (r.Sample.HasAngularVelocity)
                        {
                            angular++;
                            largestAngularSpeed = Math.Max(largestAngularSpeed, r.Sample.AngularSpeed);
                        }

                        break;
                    case RecordedRowKind.Footfall:
                        truth.Add(Milliseconds(r.TimeNs));
                        break;
                    default:
                        break; // detection rows are outputs of an earlier run, never truth
                }
            }

            malformed = reader.MalformedCount;
            firstMalformed = [.. reader.MalformedLines];
        }

        if (samples.Count == 0 && malformed > 0)
        {
            // Every sample line was skipped: a format mistake to name, not a walk to score as all misses.
            RecordingCsvMalformedLine first = firstMalformed[0];
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"no well-formed sample row: {malformed} malformed lines (first: {first.Describe()})"));
        }

        double readSeconds = Stopwatch.GetElapsedTime(readStart).TotalSeconds;
        (IFootfallDetector detector, GateOptions gateOptions) = detectorChoice.Create(nominalRateHz);
        SampleClock clock = new(new SampleClockOptions { NominalRateHz = nominalRateHz });
        List<Detection> detections = [];
        using FootfallPipeline pipeline = new(clock, detector, new DecisionGate(gateOptions));
        Span<FootfallEvent> events = stackalloc FootfallEvent[pipeline.MaxEventsPerSample];
        List<FootfallEvent> fired = new(1024);
        NoteReplay notes = new(noteSettings, nominalRateHz);
        long start = Stopwatch.GetTimestamp();
        foreach (ImuSample s in samples)
        {
            int n = pipeline.Process(s, events);
            notes.OnSample(pipeline.LastSample, events[..n]);
            for (int i = 0; i < n; i++)
            {
                fired.Add(events[i]);
            }
        }

        double processing = Stopwatch.GetElapsedTime(start).TotalSeconds;
        foreach (FootfallEvent e in fired)
        {
            detections.Add(new Detection(e.FootfallTimeNs, DetectionsCsv.ScoredMs(e.FootfallTimeNs), e.Score, e.AlgorithmicLatencyNs / 1e6));
        }

        (double walkSeconds, long backwards) = ForwardSpan(samples);
        return new EvalRun
        {
            Input = path,
            DetectorName = detectorChoice.Name,
            TruthMs = truth,
            Detections = detections,
            Samples = samples.Count,
            AngularVelocitySamples = angular,
            LargestAngularSpeedDps = largestAngularSpeed,
            MedianAccelerationG = MedianMagnitude(samples),
            MalformedLines = malformed,
            FirstMalformedLines = firstMalformed,
            WalkSeconds = walkSeconds,
            BackwardSteps = backwards,
            FirstSampleMs = samples.Count > 0 ? Milliseconds(samples[0].ArrivalTimeNs) : double.NaN,
            LastSampleMs = samples.Count > 0 ? Milliseconds(samples[^1].ArrivalTimeNs) : double.NaN,
            ProcessingSeconds = processing,
            ReadSeconds = readSeconds,
            Clock = clock,
            Detector = detector,
            NominalRateHz = nominalRateHz,
            Notes = notes.Finish(),
        };
    }

    private static double MedianMagnitude(List<ImuSample> samples)
    {
        double[] magnitudes = new double[samples.Count];
        for (int i = 0; i < magnitudes.Length; i++)
        {
            ImuSample s = samples[i];
            magnitudes[i] = Math.Sqrt((s.X * s.X) + (s.Y * s.Y) + (s.Z * s.Z));
        }

        return magnitudes.Length > 0 ? Percentile.Median(magnitudes) : double.NaN;
    }

    /// <summary>
    /// How long the samples cover, summing only forward steps: a file whose time jumps back (spliced or re-stamped
    /// recordings) still has a positive walk length and RT factor; and how many steps went backwards.
    /// </summary>
    internal static (double Seconds, long BackwardSteps) ForwardSpan(List<ImuSample> samples)
    {
        long forwardNs = 0;
        long backwards = 0;
        for (int i = 1; i < samples.Count; i++)
        {
            long step = samples[i].ArrivalTimeNs - samples[i - 1].ArrivalTimeNs;
            if (step >= 0)
            {
                forwardNs += step;
            }
            else
            {
                backwards++;
            }
        }

        return (forwardNs / 1e9, backwards);
    }

    /// <summary>
    /// Session ns to ms without losing the integer part: epoch ns (~1.7e18) is not exact in a double
    /// (256 ns steps), so whole milliseconds and the fraction are converted separately; a whole-ms
    /// annotation then equals the integer score.py reads from the same file.
    /// </summary>
    public static double Milliseconds(long ns)
    {
        long ms = Math.DivRem(ns, 1_000_000, out long rem);
        return ms + (rem / 1e6);
    }

    /// <summary>Scores the run.</summary>
    public EvaluationResult Score(EvaluationOptions options)
    {
        double[] det = new double[Detections.Count];
        double[] lat = new double[Detections.Count];
        for (int i = 0; i < det.Length; i++)
        {
            det[i] = Detections[i].TimeMs;
            lat[i] = Detections[i].LatencyMs;
        }

        return Evaluator.Score(TruthMs, det, lat, options);
    }
}
