using System.Text;
using System.Text.Json;
using IolaEdge.Dsp.Gait;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Output;

/// <summary>
/// Writes one JSON object per footfall per line (stdout or a file): every stamp in ns plus the derived
/// latencies. Times: <c>footfallNs</c>/<c>decisionNs</c>/<c>predictedNs</c>/<c>detectedNs</c> on the session clock,
/// <c>arrivalNs</c>/<c>midiQueuedNs</c>/<c>midiWriteNs</c>/<c>sentNs</c> monotonic (queued: the MIDI thread handed the note to
/// its output; write = sent: the bytes left the process). <c>kind</c>: detected, or unconfirmed (a predicted note whose
/// footfall was not detected); <c>trigger</c>: what sent the note (detected, predicted, or none: not played).
/// </summary>
internal sealed class JsonLinesEventWriter : IFootfallEventConsumer, IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Utf8JsonWriter _json;

    /// <summary>Writes to <paramref name="stream"/>; disposes it when <paramref name="ownsStream"/>.</summary>
    public JsonLinesEventWriter(Stream stream, bool ownsStream)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, SkipValidation = true });
    }

    /// <inheritdoc/>
    public string Name => "events";

    /// <summary>Opens the writer for an <c>Events:Output</c> value (<c>stdout</c> or a path); null for <c>none</c>.</summary>
    public static JsonLinesEventWriter? Open(string output)
    {
        if (output.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (output.Equals("stdout", StringComparison.OrdinalIgnoreCase) || output == "-")
        {
            return new JsonLinesEventWriter(Console.OpenStandardOutput(), ownsStream: false);
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        return new JsonLinesEventWriter(new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024), ownsStream: true);
    }

    /// <inheritdoc/>
    public void OnFootfall(in FootfallEvent footfall)
    {
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteNumber("sensor"u8, footfall.SensorId);
        _json.WriteNumber("sequence"u8, footfall.Sequence);
        _json.WriteNumber("footfallNs"u8, footfall.FootfallTimeNs);
        _json.WriteNumber("decisionNs"u8, footfall.DecisionTimeNs);
        _json.WriteNumber("arrivalNs"u8, footfall.PacketArrivalTimeNs);
        _json.WriteNumber("midiWriteNs"u8, footfall.MidiWriteTimeNs);
        _json.WriteNumber("algorithmicLatencyMs"u8, footfall.AlgorithmicLatencyNs / 1e6);
        _json.WriteNumber("processingLatencyMs"u8, footfall.ProcessingLatencyNs / 1e6);
        _json.WriteNumber("midiQueuedNs"u8, footfall.MidiQueuedTimeNs);
        _json.WriteNumber("queuedLatencyMs"u8, footfall.QueuedLatencyNs / 1e6);
        _json.WriteNumber("score"u8, footfall.Score);
        _json.WriteNumber("strength"u8, footfall.Strength);
        _json.WriteString("kind"u8, KindName(footfall.Kind));
        _json.WriteString("trigger"u8, TriggerName(footfall.Trigger));
        _json.WriteNumber("predictedNs"u8, footfall.PredictedTimeNs);
        _json.WriteNumber("detectedNs"u8, footfall.DetectedTimeNs);
        _json.WriteNumber("sentNs"u8, footfall.MidiWriteTimeNs);
        _json.WriteNumber("strideMs"u8, footfall.Gait.StridePeriodNs / 1e6);
        _json.WriteString("gait"u8, GaitName(footfall.Gait.State));
        if (float.IsFinite(footfall.Gait.PairPhase))
        {
            _json.WriteNumber("pairPhase"u8, footfall.Gait.PairPhase);
        }

        _json.WriteEndObject();
        _json.Flush();
        _stream.WriteByte((byte)'\n');
    }

    /// <inheritdoc/>
    public void Flush() => _stream.Flush();

    private static ReadOnlySpan<byte> KindName(FootfallEventKind kind) => kind switch
    {
        FootfallEventKind.Predicted => "predicted"u8,
        FootfallEventKind.Unconfirmed => "unconfirmed"u8,
        _ => "detected"u8,
    };

    private static ReadOnlySpan<byte> TriggerName(NoteTrigger trigger) => trigger switch
    {
        NoteTrigger.Detected => "detected"u8,
        NoteTrigger.Predicted => "predicted"u8,
        _ => "none"u8,
    };

    private static ReadOnlySpan<byte> GaitName(GaitState state) => state switch
    {
        GaitState.Starting => "starting"u8,
        GaitState.Steady => "steady"u8,
        GaitState.SpeedingUp => "speeding-up"u8,
        GaitState.Slowing => "slowing"u8,
        GaitState.Turning => "turning"u8,
        _ => "stopped"u8,
    };

    /// <inheritdoc/>
    public void Dispose()
    {
        _json.Dispose();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }
}
