using IolaEdge.Midi.Messages;

namespace IolaEdge.Midi.Outputs;

/// <summary>
/// Sends every message to several outputs. A failing output is isolated: its exception is caught and
/// counted, and the others still get the message.
/// </summary>
/// <remarks>
/// <para>Owns the outputs (disposes them). Same threading contract as <see cref="IMidiOutput"/>.</para>
/// <para>Sent stamps: the first output is the one whose send is stamped (a note's sent time, the latency SysEx's
/// processing latency); the others get the plain message. Put the live port first and a recording file after it,
/// as the daemon does.</para>
/// </remarks>
public sealed class FanOutMidiOutput : IMidiOutput
{
    private readonly IMidiOutput[] _outputs;

    // Written on the MIDI thread, read anywhere (counters for summaries).
    private readonly long[] _failures;
    private readonly string?[] _lastErrors;

    /// <summary>Creates a fan-out over <paramref name="outputs"/> (taken over: disposed with this).</summary>
    public FanOutMidiOutput(IEnumerable<IMidiOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        _outputs = [.. outputs];
        _failures = new long[_outputs.Length];
        _lastErrors = new string?[_outputs.Length];
    }

    /// <inheritdoc/>
    public string Name => "fanout(" + string.Join(",", _outputs.Select(o => o.Name)) + ")";

    /// <summary>The outputs, in order.</summary>
    public IReadOnlyList<IMidiOutput> Outputs => _outputs;

    /// <summary>Failures (exceptions from Send, Flush or Dispose) of output <paramref name="index"/>.</summary>
    public long FailureCount(int index) => Volatile.Read(ref _failures[index]);

    /// <summary>The latest failure text of output <paramref name="index"/>, or null.</summary>
    public string? LastError(int index) => Volatile.Read(ref _lastErrors[index]);

    /// <inheritdoc/>
    public void Send(in MidiMessage message, long eventTimeNs)
    {
        for (int i = 0; i < _outputs.Length; i++)
        {
            try
            {
                _outputs[i].Send(message, eventTimeNs);
            }
#pragma warning disable CA1031 // isolation is the point: any output failure is counted, never propagated
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RecordFailure(i, ex);
            }
        }
    }

    /// <inheritdoc/>
    public void Send(in MidiMessage message, long eventTimeNs, in SendStamp stamp)
    {
        for (int i = 0; i < _outputs.Length; i++)
        {
            try
            {
                if (i == 0)
                {
                    _outputs[i].Send(message, eventTimeNs, stamp);
                }
                else
                {
                    _outputs[i].Send(message, eventTimeNs);
                }
            }
#pragma warning disable CA1031 // see Send
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (i == 0)
                {
                    stamp.MarkUnsent();
                }

                RecordFailure(i, ex);
            }
        }
    }

    /// <inheritdoc/>
    public void Flush()
    {
        for (int i = 0; i < _outputs.Length; i++)
        {
            try
            {
                _outputs[i].Flush();
            }
#pragma warning disable CA1031 // see Send
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RecordFailure(i, ex);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        for (int i = 0; i < _outputs.Length; i++)
        {
            try
            {
                _outputs[i].Dispose();
            }
#pragma warning disable CA1031 // one output failing to close must not leave the others open
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RecordFailure(i, ex);
            }
        }
    }

    private void RecordFailure(int index, Exception ex)
    {
        Interlocked.Increment(ref _failures[index]);
        Volatile.Write(ref _lastErrors[index], $"{_outputs[index].Name}: {ex.GetType().Name}: {ex.Message}");
    }
}
