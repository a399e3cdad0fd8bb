using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Outputs;

namespace IolaEdge.Midi.Tests.Support;

/// <summary>Captures messages into a preallocated array (no allocation per message); readable after the engine stops.</summary>
internal sealed class RecordingOutput(int capacity = 100_000) : IMidiOutput
{
    private readonly MidiMessage[] _messages = new MidiMessage[capacity];
    private readonly long[] _times = new long[capacity];
    private readonly long[] _wallNs = new long[capacity];
    private int _count;

    public string Name => "recording";

    public int Count => Volatile.Read(ref _count);

    public int Flushes { get; private set; }

    public bool Disposed { get; private set; }

    public void Send(in MidiMessage message, long eventTimeNs)
    {
        int i = _count;
        _messages[i] = message;
        _times[i] = eventTimeNs;
        _wallNs[i] = IolaEdge.Dsp.Timing.MonotonicClock.NowNs();
        Volatile.Write(ref _count, i + 1);
    }

    public void Flush() => Flushes++;

    public void Dispose() => Disposed = true;

    public IReadOnlyList<(MidiMessage Message, long TimeNs, long WallNs)> Snapshot()
    {
        int n = Count;
        var list = new List<(MidiMessage, long, long)>(n);
        for (int i = 0; i < n; i++)
        {
            list.Add((_messages[i], _times[i], _wallNs[i]));
        }

        return list;
    }
}

/// <summary>An output whose every call throws.</summary>
internal sealed class ThrowingOutput : IMidiOutput
{
    public string Name => "throwing";

    public void Send(in MidiMessage message, long eventTimeNs) => throw new IOException("device unplugged");

    public void Flush() => throw new IOException("flush failed");

    public void Dispose()
    {
    }
}

/// <summary>An output whose Send blocks until released (a stuck driver).</summary>
internal sealed class BlockingOutput : IMidiOutput
{
    private readonly ManualResetEventSlim _release = new(false);

    public int Sends;

    public string Name => "blocking";

    public bool BlockSends { get; set; } = true;

    public void Send(in MidiMessage message, long eventTimeNs)
    {
        Interlocked.Increment(ref Sends);
        if (BlockSends)
        {
            _release.Wait();
        }
    }

    public void Release() => _release.Set();

    public bool Disposed { get; private set; }

    public void Flush()
    {
    }

    public void Dispose() => Disposed = true;
}

internal static class Footfalls
{
    /// <summary>A footfall at <paramref name="footfallNs"/> arriving now, decided 25 ms of sensor time later.</summary>
    public static IolaEdge.Dsp.Samples.FootfallEvent At(long footfallNs, long sequence = 0, int sensorId = 0, float strength = 1.5f) =>
        new(sensorId, sequence, footfallNs, IolaEdge.Dsp.Timing.MonotonicClock.NowNs(), footfallNs + 25_000_000, 0.9f, strength);

    /// <summary>A detected footfall stamped by the gait tracker as steady walking at <paramref name="strideMs"/>.</summary>
    public static IolaEdge.Dsp.Samples.FootfallEvent Walking(long footfallNs, double strideMs, long sequence = 0, long decisionNs = 0, long arrivalNs = 0, int sensorId = 0, float strength = 1.5f) =>
        new(sensorId, sequence, footfallNs, arrivalNs == 0 ? IolaEdge.Dsp.Timing.MonotonicClock.NowNs() : arrivalNs,
            decisionNs == 0 ? footfallNs + 25_000_000 : decisionNs, 0.9f, strength, 0,
            IolaEdge.Dsp.Samples.FootfallEventKind.Detected, 0, IolaEdge.Dsp.Samples.NoteTrigger.None, Steady(strideMs));

    /// <summary>A prediction made at session time <paramref name="cueNs"/> (arriving at monotonic <paramref name="arrivalNs"/>) for <paramref name="predictedNs"/>.</summary>
    public static IolaEdge.Dsp.Samples.FootfallEvent Predicted(long predictedNs, long cueNs, long arrivalNs, double strideMs = 1000, int sensorId = 0) =>
        new(sensorId, 0, predictedNs, arrivalNs, cueNs, 1, 0, 0,
            IolaEdge.Dsp.Samples.FootfallEventKind.Predicted, predictedNs, IolaEdge.Dsp.Samples.NoteTrigger.None, Steady(strideMs));

    public static IolaEdge.Dsp.Gait.GaitStamp Steady(double strideMs) =>
        new((long)(strideMs * 1e6), IolaEdge.Dsp.Gait.GaitState.Steady, 5, 5);
}
