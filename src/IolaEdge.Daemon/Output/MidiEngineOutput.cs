using IolaEdge.Dsp.Samples;
using IolaEdge.Midi.Engine;

namespace IolaEdge.Daemon.Output;

/// <summary>
/// The MIDI layer as the pipeline's output: footfalls go to <see cref="MidiEngine"/>'s lock-free queue;
/// a forwarder thread takes the stamped events (MIDI write time set) from <see cref="MidiEngine.Written"/>
/// and publishes them to the slow consumers.
/// </summary>
/// <remarks>
/// Threads: <see cref="TryEnqueue"/> on the pipeline thread only; the forwarder is the single consumer of
/// <see cref="MidiEngine.Written"/> and the single producer of the fan-out.
/// </remarks>
internal sealed class MidiEngineOutput : IFootfallOutput
{
    // The forwarder sleeps until the MIDI thread writes an event (after its note is sent): polling every millisecond made
    // it the busiest thread of a 1x run. The stop flag is read at least this often.
    private static readonly TimeSpan s_stopCheck = TimeSpan.FromMilliseconds(100);

    private readonly MidiEngine _engine;
    private readonly EventFanOut _fanOut;
    private readonly Thread _forwarder;
    private volatile bool _stopping;
    private bool _completed;

    /// <summary>Takes over <paramref name="engine"/> (disposed on completion) and starts the forwarder.</summary>
    public MidiEngineOutput(MidiEngine engine, EventFanOut fanOut, string? midiFilePath)
    {
        _engine = engine;
        _fanOut = fanOut;
        MidiFilePath = midiFilePath;
        _forwarder = new Thread(Forward) { IsBackground = true, Name = "iolaedge-midi-forward", Priority = ThreadPriority.BelowNormal };
        _forwarder.Start();
    }

    /// <inheritdoc/>
    public string Description => _engine.Output.Name;

    /// <inheritdoc/>
    public string? MidiFilePath { get; }

    /// <inheritdoc/>
    public long Dropped => _engine.EnqueueDrops + _engine.Written.Dropped;

    /// <summary>The engine: its output and counters are read by the health probes; live mapping changes go through <see cref="MidiEngine.UpdateMapping"/> (safe from any thread).</summary>
    public MidiEngine Engine => _engine;

    /// <summary>The MIDI thread's failure, if it stopped.</summary>
    public Exception? Fault => _engine.Fault;

    /// <inheritdoc/>
    public bool TryEnqueue(in FootfallEvent footfall) => _engine.TryEnqueue(footfall);

    /// <inheritdoc/>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _engine.WaitForIdle(TimeSpan.FromSeconds(5));
        _engine.Dispose(); // sends pending note-offs, flushes and closes the output (the MIDI file is final)
        _stopping = true;
        _forwarder.Join();
    }

    /// <inheritdoc/>
    public void Dispose() => Complete();

    private void Forward()
    {
        while (true)
        {
            bool stopping = _stopping; // read before draining: everything written before the flag is forwarded
            while (_engine.Written.TryRead(out FootfallEvent footfall))
            {
                _fanOut.Publish(footfall);
            }

            if (stopping)
            {
                return;
            }

            _engine.Written.WaitForEvent(s_stopCheck);
        }
    }
}
