using IolaEdge.Daemon.Detectors;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using IolaEdge.Daemon.Commands;
using IolaEdge.Evaluation;
using IolaEdge.Dsp.Samples;
using IolaEdge.Recording;
using IolaEdge.Simulation;

namespace IolaEdge.Daemon.Tests.Eval;

public sealed class EvalCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes a simulated walk as a seed-format recording CSV with truth footfall rows, plus optional junk lines.</summary>
    private string WriteWalk(long seed, double minutes, string preset = "packed75", int junkLines = 0, bool gyro = true)
    {
        string path = Path.Combine(_dir, $"walk-{seed}.csv");
        WalkSimulator sim = new(new WalkOptions { Seed = seed, Duration = TimeSpan.FromMinutes(minutes), Gyroscope = gyro }, DeliveryOptions.FromPreset(preset));
        using (RecordingCsvWriter w = RecordingCsvWriter.Create(path, angularVelocity: sim.Walk.Gyroscope))
        {
            while (sim.TryNext(out SimulatedSample s))
            {
                while (sim.TryTakeFootfall(s.Sample.ArrivalTimeNs, out long f))
                {
                    w.WriteFootfall(0, f);
                }

                w.WriteSample(s.Sample);
            }

            while (sim.TryTakeFootfall(out long f))
            {
                w.WriteFootfall(0, f);
            }
        }

        if (junkLines > 0)
        {
            File.AppendAllLines(path, Enumerable.Repeat("not,a,valid,line,at,all", junkLines));
        }

        return path;
    }

    private static int Run(params string[] args)
    {
        RootCommand root = new("test");
        root.Subcommands.Add(new EvalCommand());
        return root.Parse(args).Invoke();
    }

    [Fact]
    public void Eval_writes_the_agreed_json_shape_and_a_detections_file_that_scores_the_same()
    {
        string walk = WriteWalk(3, 2, junkLines: 3);
        string json = Path.Combine(_dir, "out.json");
        string dets = Path.Combine(_dir, "dets.csv");
        Assert.Equal(0, Run("eval", "--input", walk, "--json", json, "--detections", dets, "--tolerances", "25,50,100,150"));

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = doc.RootElement;
        Assert.Equal(walk, root.GetProperty("input").GetString());
        Assert.Equal("dsp", root.GetProperty("detector").GetString());
        JsonElement[] results = [.. root.GetProperty("results").EnumerateArray()];
        Assert.Equal([25.0, 50, 100, 150], results.Select(r => r.GetProperty("tolerance_ms").GetDouble()));
        string[] keys = ["tolerance_ms", "tolerance_samples", "tp", "fp", "fn", "precision", "recall", "f1"];
        Assert.Equal(keys, results[2].EnumerateObject().Select(p => p.Name));
        Assert.Equal(20.0, results[2].GetProperty("tolerance_samples").GetDouble());
        Assert.Equal(["median_abs_error_ms", "p90_abs_error_ms", "median_signed_error_ms"],
            root.GetProperty("timing").EnumerateObject().Select(p => p.Name).Take(3));
        Assert.Equal(["p50", "p90", "max"], root.GetProperty("latency_ms").EnumerateObject().Select(p => p.Name));
        Assert.True(root.GetProperty("rt_factor").GetDouble() > 0);
        Assert.True(results[2].GetProperty("f1").GetDouble() >= 0.9);
        Assert.Equal(3, root.GetProperty("counters").GetProperty("malformed_lines").GetInt64());
        Assert.True(root.TryGetProperty("dcase", out _));
        Assert.True(root.TryGetProperty("annotation_offset", out _));

        // The detections file: header time_ms,score; as many rows as detections; rescoring it gives the same counts.
        string[] lines = File.ReadAllLines(dets);
        Assert.Equal("time_ms,score", lines[0]);
        int detections = root.GetProperty("counters").GetProperty("detections").GetInt32();
        Assert.Equal(detections, lines.Length - 1);
        double[] detMs = lines.Skip(1).Select(l => double.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToArray();
        List<double> truth = [];
        using (RecordingCsvReader r = RecordingCsvReader.Open(walk))
        {
            while (r.TryRead(out RecordedRow rec))
            {
                if (rec.Kind == RecordedRowKind.Footfall)
                {
                    truth.Add(EvalRun.Milliseconds(rec.TimeNs));
                }
            }
        }

        var rescored = IolaEdge.Evaluation.Evaluator.Score(truth, detMs, new double[detMs.Length],
            new IolaEdge.Evaluation.EvaluationOptions { TolerancesMs = [100], TolerancesSamples = [] });
        Assert.Equal(results[2].GetProperty("tp").GetInt32(), rescored.ByTolerance[0].TruePositives);
    }

    [Fact]
    public void The_range_options_restrict_scoring_like_score_py()
    {
        string walk = WriteWalk(4, 1, preset: "ideal");
        string all = Path.Combine(_dir, "all.json");
        string part = Path.Combine(_dir, "part.json");
        Assert.Equal(0, Run("eval", "--input", walk, "--json", all));
        double start = WalkSimulator.DefaultStartNs / 1e6;
        Assert.Equal(0, Run("eval", "--input", walk, "--json", part, "--from-ms",
            (start + 20_000).ToString(CultureInfo.InvariantCulture), "--to-ms", (start + 40_000).ToString(CultureInfo.InvariantCulture)));
        int truthAll = JsonDocument.Parse(File.ReadAllText(all)).RootElement.GetProperty("counters").GetProperty("truth_events").GetInt32();
        int truthPart = JsonDocument.Parse(File.ReadAllText(part)).RootElement.GetProperty("counters").GetProperty("truth_events").GetInt32();
        Assert.InRange(truthPart, 10, truthAll / 2);
    }

    [Theory]
    [InlineData("--tolerances", "10,abc")]
    [InlineData("--tolerances", "-5")]
    [InlineData("--detector", "nope")]
    [InlineData("--set", "Detector:Dsp:SwingCosine=3")]
    [InlineData("--set", "Detector:Dsp:SwingCosin=0")]
    [InlineData("--set", "Midi:Channel=2")]
    [InlineData("--set", "Detector:Dsp:PeakWaitMs")]
    public void A_bad_option_fails_with_exit_code_2(string option, string value)
    {
        string walk = WriteWalk(5, 0.2, preset: "ideal");
        Assert.Equal(2, Run("eval", "--input", walk, option, value));
    }

    [Fact]
    public void Set_tunes_the_detector_that_eval_scores()
    {
        // Acceleration-path keys: on a walk with angular velocity the gyroscope path decides instead.
        string walk = WriteWalk(6, 1, preset: "ideal", gyro: false);
        string tuned = Path.Combine(_dir, "tuned.json"), plain = Path.Combine(_dir, "plain.json");
        Assert.Equal(0, Run("eval", "--input", walk, "--json", plain));
        Assert.Equal(0, Run("eval", "--input", walk, "--json", tuned, "--set", "Detector:Dsp:PeakWaitMs=100", "--set", "Detector:Dsp:PeakFallFraction=0.1"));

        // Waiting for each impact's jerk to die away shows in the algorithmic latency.
        double P50(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("latency_ms").GetProperty("p50").GetDouble();
        Assert.True(P50(tuned) > P50(plain) + 20, $"p50 {P50(tuned)} vs {P50(plain)} ms");
    }

    [Fact]
    public void A_file_far_below_the_nominal_rate_gets_a_note_suggesting_rate_hz()
    {
        // Every fourth sample of a 200 Hz walk: a 50 Hz recording.
        string walk = WriteWalk(7, 0.5, preset: "ideal");
        string slow = Path.Combine(_dir, "slow.csv");
        int sample = 0;
        File.WriteAllLines(slow, File.ReadLines(walk).Where(line => !line.Contains(",sample,", StringComparison.Ordinal) || sample++ % 4 == 0));

        EvalRun atDefault = EvalRun.Execute(slow, EvalCommand.Choice("dsp", null, null));
        EvalRun atItsRate = EvalRun.Execute(slow, EvalCommand.Choice("dsp", null, null), nominalRateHz: 50);
        EvaluationOptions options = new() { TolerancesMs = [100], TolerancesSamples = [] };
        Assert.Contains("note: the file holds 50.", EvalReport.Table(atDefault, atDefault.Score(options)), StringComparison.Ordinal);
        Assert.DoesNotContain("note:", EvalReport.Table(atItsRate, atItsRate.Score(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_at_a_rate_that_is_no_whole_fraction_of_the_nominal_one_scores_as_at_its_own_rate_and_says_so()
    {
        // A 200 Hz walk resampled to 128 Hz with whole-ms timestamps (steps of 7 and 8 ms, no whole number of 5 ms
        // periods): given as 200 Hz, the clock takes the timestamps' own grid instead of de-jittering them as bursts.
        string walk = WriteWalk(9, 1, preset: "ideal");
        string at128 = Path.Combine(_dir, "at-128-hz.csv");
        Resample(walk, at128, 128);

        EvaluationOptions options = new() { TolerancesMs = [25, 50], TolerancesSamples = [] };
        EvalRun atDefault = EvalRun.Execute(at128, EvalCommand.Choice("dsp", null, null));
        EvalRun atItsRate = EvalRun.Execute(at128, EvalCommand.Choice("dsp", null, null), nominalRateHz: 128);
        EvaluationResult asDefault = atDefault.Score(options), asItsRate = atItsRate.Score(options);

        Assert.True(asItsRate.ByTolerance[0].F1 > 0.9, $"F1@25 {asItsRate.ByTolerance[0].F1} at its own rate");
        Assert.Equal(asItsRate.ByTolerance.Select(r => r.F1), asDefault.ByTolerance.Select(r => r.F1));
        Assert.Equal(1, atDefault.Clock.AdoptedRates);
        Assert.Equal(0, atItsRate.Clock.AdoptedRates);
        Assert.Contains("note: the timestamps keep to a period of 7.81", EvalReport.Table(atDefault, asDefault), StringComparison.Ordinal);
        Assert.DoesNotContain("the clock took their own", EvalReport.Table(atItsRate, asItsRate), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bursty_file_at_half_the_nominal_rate_scores_as_at_its_own_rate_and_says_so()
    {
        // Every other sample of a walk over a bursty link, with its arrival time: a 100 Hz sensor recorded by a phone.
        // Given as 200 Hz, the clock would count every other period lost; the arrival rate shows the sensor's own.
        string walk = WriteWalk(11, 1);
        string half = Path.Combine(_dir, "bursty-100-hz.csv");
        int sample = 0;
        File.WriteAllLines(half, File.ReadLines(walk).Where(line => !line.Contains(",sample,", StringComparison.Ordinal) || sample++ % 2 == 0));

        EvaluationOptions options = new() { TolerancesMs = [50], TolerancesSamples = [] };
        EvalRun atDefault = EvalRun.Execute(half, EvalCommand.Choice("dsp", null, null));
        EvalRun atItsRate = EvalRun.Execute(half, EvalCommand.Choice("dsp", null, null), nominalRateHz: 100);
        EvaluationResult asDefault = atDefault.Score(options), asItsRate = atItsRate.Score(options);

        Assert.True(asItsRate.ByTolerance[0].F1 > 0.9, $"F1@50 {asItsRate.ByTolerance[0].F1} at its own rate");
        Assert.Equal(asItsRate.ByTolerance[0].F1, asDefault.ByTolerance[0].F1, 0.02);
        Assert.Equal(1, atDefault.Clock.SlowerRates);
        Assert.Equal(10_000_000, atDefault.Clock.DejitterPeriodNs);
        Assert.InRange(atDefault.Clock.EstimatedLostSamples, 0, atItsRate.Clock.EstimatedLostSamples + 10);
        Assert.Contains("the clock took the sensor to run at 100 Hz", EvalReport.Table(atDefault, asDefault), StringComparison.Ordinal);
        Assert.DoesNotContain("note:", EvalReport.Table(atItsRate, asItsRate), StringComparison.Ordinal);
    }

    // Linear interpolation of every channel onto a grid at rateHz, timestamps floored to whole ms; footfalls kept.
    private static void Resample(string source, string destination, double rateHz)
    {
        List<ImuSample> samples = [];
        List<long> footfalls = [];
        using (RecordingCsvReader reader = RecordingCsvReader.Open(source))
        {
            while (reader.TryRead(out RecordedRow r))
            {
                if (r.Kind == RecordedRowKind.Footfall)
                {
                    footfalls.Add(r.TimeNs);
                }
                else if (r.Kind == RecordedRowKind.Sample)
                {
                    samples.Add(r.Sample);
                }
            }
        }

        using RecordingCsvWriter writer = RecordingCsvWriter.Create(destination, angularVelocity: true);
        int next = 0, footfall = 0;
        double periodNs = 1e9 / rateHz;
        long startNs = samples[0].ArrivalTimeNs;
        for (long k = 0; ; k++)
        {
            long t = startNs + (long)Math.Round(k * periodNs);
            while (next < samples.Count - 1 && samples[next + 1].ArrivalTimeNs <= t)
            {
                next++;
            }

            if (next >= samples.Count - 1)
            {
                break;
            }

            ImuSample a = samples[next], b = samples[next + 1];
            float w = (float)((t - a.ArrivalTimeNs) / (double)(b.ArrivalTimeNs - a.ArrivalTimeNs));
            long stamp = t / 1_000_000 * 1_000_000;
            while (footfall < footfalls.Count && footfalls[footfall] <= stamp)
            {
                writer.WriteFootfall(0, footfalls[footfall++]);
            }

            writer.WriteSample(new ImuSample(0, k, 0, stamp, a.X + (w * (b.X - a.X)), a.Y + (w * (b.Y - a.Y)), a.Z + (w * (b.Z - a.Z)),
                a.AngularVelocityX + (w * (b.AngularVelocityX - a.AngularVelocityX)), a.AngularVelocityY + (w * (b.AngularVelocityY - a.AngularVelocityY)),
                a.AngularVelocityZ + (w * (b.AngularVelocityZ - a.AngularVelocityZ))));
        }
    }

    [Fact]
    public void Angular_velocity_too_slow_for_a_walking_foot_gets_a_note_about_its_unit()
    {
        string walk = WriteWalk(8, 0.5, preset: "ideal");
        string radians = Path.Combine(_dir, "radians.csv");
        using (RecordingCsvReader reader = RecordingCsvReader.Open(walk))
        using (RecordingCsvWriter writer = RecordingCsvWriter.Create(radians, angularVelocity: true))
        {
            const float RadiansPerDegree = MathF.PI / 180;
            while (reader.TryRead(out RecordedRow r))
            {
                ImuSample s = r.Sample;
                if (r.Kind == RecordedRowKind.Footfall)
                {
                    writer.WriteFootfall(0, r.TimeNs);
                }
                else
                {
                    writer.WriteSample(new ImuSample(s.SensorId, s.Sequence, s.SensorTimeNs, s.ArrivalTimeNs, s.X, s.Y, s.Z,
                        s.AngularVelocityX * RadiansPerDegree, s.AngularVelocityY * RadiansPerDegree, s.AngularVelocityZ * RadiansPerDegree));
                }
            }
        }

        EvalRun inRadians = EvalRun.Execute(radians, EvalCommand.Choice("dsp", null, null));
        EvalRun inDegrees = EvalRun.Execute(walk, EvalCommand.Choice("dsp", null, null));

        Assert.InRange(inRadians.LargestAngularSpeedDps, 1, 50);
        Assert.True(inDegrees.LargestAngularSpeedDps > 200, $"largest |w| {inDegrees.LargestAngularSpeedDps} deg/s");
        EvaluationOptions options = new() { TolerancesMs = [100], TolerancesSamples = [] };
        Assert.Contains("if the file holds rad/s, convert it", EvalReport.Table(inRadians, inRadians.Score(options)), StringComparison.Ordinal);
        Assert.DoesNotContain("rad/s", EvalReport.Table(inDegrees, inDegrees.Score(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Acceleration_in_metres_per_second_squared_gets_a_note_about_its_unit()
    {
        const float StandardGravity = 9.80665f;
        string walk = WriteWalk(8, 0.5, preset: "ideal");
        string metric = Path.Combine(_dir, "metres-per-second-squared.csv");
        using (RecordingCsvReader reader = RecordingCsvReader.Open(walk))
        using (RecordingCsvWriter writer = RecordingCsvWriter.Create(metric, angularVelocity: true))
        {
            while (reader.TryRead(out RecordedRow r))
            {
                ImuSample s = r.Sample;
                if (r.Kind == RecordedRowKind.Footfall)
                {
                    writer.WriteFootfall(0, r.TimeNs);
                }
                else
                {
                    writer.WriteSample(new ImuSample(s.SensorId, s.Sequence, s.SensorTimeNs, s.ArrivalTimeNs,
                        s.X * StandardGravity, s.Y * StandardGravity, s.Z * StandardGravity, s.AngularVelocityX, s.AngularVelocityY, s.AngularVelocityZ));
                }
            }
        }

        EvalRun inMetres = EvalRun.Execute(metric, EvalCommand.Choice("dsp", null, null));
        EvalRun inG = EvalRun.Execute(walk, EvalCommand.Choice("dsp", null, null));

        Assert.InRange(inG.MedianAccelerationG, 0.9, 1.3);
        Assert.Equal(inG.MedianAccelerationG * StandardGravity, inMetres.MedianAccelerationG, 0.01);
        EvaluationOptions options = new() { TolerancesMs = [100], TolerancesSamples = [] };
        Assert.Contains("if the file holds m/s², divide by 9.80665", EvalReport.Table(inMetres, inMetres.Score(options)), StringComparison.Ordinal);
        Assert.DoesNotContain("m/s²", EvalReport.Table(inG, inG.Score(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_whose_time_jumps_back_keeps_a_positive_walk_length_and_says_so()
    {
        // The second half of a walk spliced before the first: time jumps back once, by about 15 s.
        string walk = WriteWalk(7, 0.5, preset: "ideal");
        string[] lines = File.ReadAllLines(walk);
        string[] rows = lines[1..];
        string spliced = Path.Combine(_dir, "spliced.csv");
        File.WriteAllLines(spliced, [lines[0], .. rows[(rows.Length / 2)..], .. rows[..(rows.Length / 2)]]);

        EvalRun run = EvalRun.Execute(spliced, EvalCommand.Choice("dsp", null, null));
        EvalRun plain = EvalRun.Execute(walk, EvalCommand.Choice("dsp", null, null));

        Assert.Equal(1, run.BackwardSteps);
        Assert.Equal(0, plain.BackwardSteps);
        Assert.InRange(run.WalkSeconds, plain.WalkSeconds - 0.1, plain.WalkSeconds + 0.1);
        Assert.True(double.IsFinite(run.RtFactor) && run.RtFactor > 0, $"RT factor {run.RtFactor}");
        EvaluationOptions options = new() { TolerancesMs = [100], TolerancesSamples = [] };
        Assert.Contains("note: time went backwards 1 time(s)", EvalReport.Table(run, run.Score(options)), StringComparison.Ordinal);
        Assert.DoesNotContain("time went backwards", EvalReport.Table(plain, plain.Score(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_input_fails_without_a_stack_trace()
    {
        Assert.Equal(2, Run("eval", "--input", Path.Combine(_dir, "missing.csv")));
        string noHeader = Path.Combine(_dir, "noheader.csv");
        File.WriteAllText(noHeader, "1,2,3\n");
        Assert.Equal(1, Run("eval", "--input", noHeader));
    }

    [Fact]
    public void A_file_without_one_well_formed_sample_fails_with_exit_code_1_instead_of_scoring_all_misses()
    {
        string walk = WriteWalk(7, 0.5, preset: "ideal");
        string[] lines = File.ReadAllLines(walk);
        string spoilt = Path.Combine(_dir, "spoilt.csv");
        File.WriteAllLines(spoilt, [lines[0], .. lines[1..].Select(l => l.Contains(",sample", StringComparison.Ordinal) ? "x" + l[l.IndexOf(',', StringComparison.Ordinal)..] : l)]);
        Assert.Equal(0, Run("eval", "--input", walk));

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => EvalRun.Execute(spoilt, EvalCommand.Choice("dsp", null, null)));

        Assert.StartsWith("no well-formed sample row: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, Run("eval", "--input", spoilt));
    }

    [Fact]
    public void An_unwritable_output_path_fails_with_exit_code_1_and_still_writes_the_other_outputs()
    {
        string walk = WriteWalk(6, 0.2, preset: "ideal");
        string dets = Path.Combine(_dir, "dets.csv");
        Assert.Equal(1, Run("eval", "--input", walk, "--json", Path.Combine(_dir, "no-such-dir", "out.json"), "--detections", dets));
        Assert.True(File.Exists(dets));
        Assert.Equal(1, Run("eval", "--input", walk, "--detections", _dir));
    }

    [Fact]
    public void Detection_times_are_written_with_exact_microseconds()
    {
        Assert.Equal("1747236812651.000", DetectionsCsv.Format(1_747_236_812_651_000_000));
        Assert.Equal("1747236812651.124", DetectionsCsv.Format(1_747_236_812_651_123_500));
        Assert.Equal(1747236812651.0, EvalRun.Milliseconds(1_747_236_812_651_000_000));
    }
}
