using System.CommandLine;
using IolaEdge.Dsp.Samples;
using IolaEdge.Recording;
using IolaEdge.Simulation;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Daemon.Commands;

/// <summary>
/// <c>iolaedge simulate --source sim:... --out WALK.csv</c>: writes a simulated walk in the seed's
/// recording CSV format, with its truth heel strikes as <c>footfall</c> rows.
/// </summary>
internal sealed class SimulateCommand : Command
{
    private readonly Option<string> _source = new("--source")
    {
        Description = "Simulated source, e.g. sim:seed=7,minutes=10,cadence=90-120,preset=seed,mount=random (keys: "
            + string.Join(", ", SimulationSpec.Keys) + "; see docs/simulator.md).",
        DefaultValueFactory = _ => "sim:",
    };

    private readonly Option<FileInfo> _out = new("--out")
    {
        Description = "Recording CSV to write (created or overwritten).",
        Required = true,
    };

    /// <summary>Creates the verb.</summary>
    public SimulateCommand()
        : base("simulate", "Write a simulated walk (samples and truth footfalls) as a recording CSV.")
    {
        Options.Add(_source);
        Options.Add(_out);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        string text = parse.GetValue(_source) ?? "sim:";
        FileInfo output = parse.GetRequiredValue(_out);
        if (!SimulationSpec.TryParse(text, out SimulationSpec? spec, out string? error))
        {
            await Console.Error.WriteLineAsync($"simulate: --source: {error}");
            return 2;
        }

        // The file is written at the pace the simulator produces; real-time pace would only slow it down.
        spec = spec with { Pace = SimulationPace.Fast };
        SimulatedImuSource source = new(spec);
        DeliveryStatistics statistics = new();
        try
        {
            // A walk with a gyroscope gets the gyroscopeX/Y/Z columns; gyro=off writes the acceleration-only format.
            using RecordingCsvWriter writer = RecordingCsvWriter.Create(output.FullName, angularVelocity: spec.Walk.Gyroscope);
            await source.RunAsync(new WriterSink(writer, statistics), cancellationToken);
            WalkSimulator sim = source.Simulator;
            Console.WriteLine($"simulate: wrote {output.FullName}: {writer.Rows} rows, {sim.Delivered} samples, {sim.Footfalls} footfalls");
            Console.WriteLine($"  source:   {source.Description}");
            Console.WriteLine($"  sensor:   {sim.Generated} samples taken, {sim.Lost} lost in delivery");
            Console.WriteLine($"  delivery: {statistics.Summarize()}");
            return 0;
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"simulate: cannot write {output.FullName}: {e.Message}");
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            await Console.Error.WriteLineAsync($"simulate: cannot write {output.FullName}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Writes what the source delivers straight into the CSV and measures the arrivals.</summary>
    private sealed class WriterSink(RecordingCsvWriter writer, DeliveryStatistics statistics) : IImuSampleSink
    {
        public bool OnSample(in ImuSample sample)
        {
            writer.WriteSample(sample);
            statistics.Add(sample.ArrivalTimeNs);
            return true;
        }

        public void OnFootfallAnnotation(int sensorId, long timeNs) => writer.WriteFootfall(sensorId, timeNs);
    }
}
