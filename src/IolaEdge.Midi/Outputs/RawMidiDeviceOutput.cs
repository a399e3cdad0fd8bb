using IolaEdge.Midi.Messages;

namespace IolaEdge.Midi.Outputs;

/// <summary>
/// Writes MIDI bytes to a raw device file: <c>/dev/snd/midiC1D0</c> on a Pi with a USB MIDI cable,
/// a FIFO in tests. Each message is one unbuffered <c>write(2)</c> of the complete message.
/// </summary>
/// <remarks>
/// Opening a FIFO for writing blocks until a reader opens it, and a device write can block; wrap
/// this output in <see cref="SupervisedPortOutput"/> so that happens on its own thread under a
/// watchdog. A vanished reader or unplugged device makes <see cref="Send"/> throw
/// (<see cref="IOException"/>: EPIPE for a FIFO, ENODEV for rawmidi).
/// </remarks>
public sealed class RawMidiDeviceOutput : IMidiOutput, IMidiPresenceProbe
{
    private readonly FileStream _stream;
    private readonly string _path;

    /// <summary>Opens <paramref name="path"/> for writing (blocks until a FIFO has a reader).</summary>
    /// <exception cref="IOException">The device cannot be opened; the message names the path.</exception>
    public RawMidiDeviceOutput(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        try
        {
            // bufferSize 0: no user-space buffer, so every Write is exactly one write(2) (midi-platform.md §5).
            _stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot open raw MIDI device '{path}' for writing: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public string Name => "raw:" + _path;

    /// <inheritdoc/>
    public void Send(in MidiMessage message, long eventTimeNs) => _stream.Write(message.Bytes);

    /// <inheritdoc/>
    public void Flush()
    {
        // Nothing is buffered in user space.
    }

    /// <inheritdoc/>
    public bool IsTargetPresent() => File.Exists(_path);

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}
