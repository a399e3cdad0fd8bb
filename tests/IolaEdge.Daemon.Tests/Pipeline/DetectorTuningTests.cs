using IolaEdge.Daemon.Detectors;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Evaluation;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Samples;
using IolaEdge.Simulation;
using IolaEdge.Dsp.Timing;
using IolaEdge.Dsp.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IolaEdge.Daemon.Tests.Pipeline;

public sealed class DetectorTuningTests
{
    private static List<FootfallEvent> Detect(DetectorOptions? tuning)
    {
        (IFootfallDetector detector, GateOptions gate) = DetectorCatalog.Create("dsp", tuning: tuning);
        using FootfallPipeline pipeline = new(new SampleClock(), detector, new DecisionGate(gate));
        // Acceleration only: the keys tuned here are the acceleration path's, which a gyroscope would take over.
        WalkSimulator simulator = new(new WalkOptions { Seed = 4, Duration = TimeSpan.FromMinutes(1), Gyroscope = false }, DeliveryOptions.FromPreset("ideal"));
        List<FootfallEvent> events = [];
        Span<FootfallEvent> buffer = stackalloc FootfallEvent[pipeline.MaxEventsPerSample];
        while (simulator.TryNext(out SimulatedSample s))
        {
            int n = pipeline.Process(s.Sample, buffer);
            for (int i = 0; i < n; i++)
            {
                events.Add(buffer[i]);
            }
        }

        return events;
    }

    private static DetectorOptions Bind(params (string Key, string Value)[] settings)
    {
        Dictionary<string, string?> overrides = settings.ToDictionary(s => s.Key, s => (string?)s.Value);
        IConfiguration configuration = DaemonHost.BuildConfiguration(overrides, configFile: null);
        Assert.Empty(DaemonHost.Validate(configuration));
        ServiceCollection services = new();
        services.AddOptions<DetectorOptions>().Bind(configuration.GetSection(DetectorOptions.SectionName));
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<DetectorOptions>>().Value;
    }

    [Fact]
    public void Configured_dsp_keys_reach_the_detector()
    {
        List<FootfallEvent> defaults = Detect(Bind());
        List<FootfallEvent> slower = Detect(Bind(("Detector:Dsp:PeakWaitMs", "100"), ("Detector:Dsp:PeakFallFraction", "0.1")));

        // Waiting for each impact's jerk to die away (instead of its peak to pass) delays every decision.
        double Median(List<FootfallEvent> e) => e.Select(x => x.AlgorithmicLatencyNs / 1e6).Order().ElementAt(e.Count / 2);
        Assert.True(defaults.Count > 40);
        Assert.InRange(Median(slower) - Median(defaults), 20, 100);
    }

    [Fact]
    public void A_gate_override_replaces_only_its_key()
    {
        DetectorOptions tuning = Bind(("Detector:Gate:SampleThreshold", "0.5"));
        (IFootfallDetector detector, GateOptions gate) = DetectorCatalog.Create("dsp", tuning: tuning);
        detector.Dispose();
        Assert.Equal(0.5, gate.SampleThreshold);
        Assert.Equal(250, gate.MinIntervalMs); // dsp's own
    }

    [Fact]
    public void The_same_dsp_options_serve_every_sensor_at_the_pipeline_rate()
    {
        DetectorOptions tuning = Bind(("Detector:Dsp:NominalRateHz", "50"));
        (IFootfallDetector first, _) = DetectorCatalog.Create("dsp", nominalRateHz: 200, tuning: tuning);
        first.Dispose();
        Assert.Equal(50, tuning.Dsp.NominalRateHz); // the configured object is copied, never changed
    }

    [Fact]
    public void A_gate_override_out_of_range_for_a_models_gate_fails_at_start_naming_the_key()
    {
        DetectorOptions tuning = Bind(("Detector:Gate:HitsRequired", "3"));
        StartupException e = Assert.Throws<StartupException>(() => new BuiltInComponents().CreatePipelines("onnx-stream", tuning));
        Assert.Equal(ExitCodes.Configuration, e.ExitCode);
        Assert.Contains("Detector:Gate:HitsRequired = '3'", e.Message, StringComparison.Ordinal);
        Assert.Contains("onnx-stream", e.Message, StringComparison.Ordinal);
    }
}
