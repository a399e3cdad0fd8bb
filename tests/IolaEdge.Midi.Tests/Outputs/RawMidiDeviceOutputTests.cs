using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Outputs;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Outputs;

public sealed class RawMidiDeviceOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iola-raw-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Bytes_written_to_a_FIFO_device_arrive_unchanged_message_by_message()
    {
        string fifo = Path.Combine(_dir, "midiC1D0");
        NativeLibc.MkFifo(fifo);
        // The reader opens first (read-write never blocks), so the writer's open does not block either.
        using var reader = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        using (var raw = new RawMidiDeviceOutput(fifo))
        {
            raw.Send(MidiMessage.NoteOn(0, 10, 10), 0); // 0x0A bytes: a cooked tty would mangle them
            raw.Send(MidiMessage.Clock(), 0);
            raw.Send(MidiMessage.NoteOff(0, 10), 0);
            Assert.True(raw.IsTargetPresent());
        }

        byte[] got = new byte[7];
        int n = 0;
        while (n < got.Length)
        {
            n += reader.Read(got, n, got.Length - n);
        }

        Assert.Equal(new byte[] { 0x90, 0x0A, 0x0A, 0xF8, 0x80, 0x0A, 0x00 }, got);
    }

    [Fact]
    public void A_missing_device_fails_to_open_naming_the_path()
    {
        string path = Path.Combine(_dir, "nope");
        var ex = Assert.Throws<IOException>(() => new RawMidiDeviceOutput(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_supervised_FIFO_whose_reader_goes_away_is_counted_then_reopened_when_a_reader_returns()
    {
        string fifo = Path.Combine(_dir, "midi");
        NativeLibc.MkFifo(fifo);
        var reader = new FileStream(fifo, FileMode.Open, FileAccess.Read | FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        using var port = new SupervisedPortOutput("raw:" + fifo, () => new RawMidiDeviceOutput(fifo),
            new SupervisedPortOptions { RescanInterval = TimeSpan.FromMilliseconds(20), StuckSendTimeout = TimeSpan.FromSeconds(2) });
        Assert.True(port.WaitUntilReady(TimeSpan.FromSeconds(5)), port.LastError);
        port.Send(MidiMessage.NoteOn(0, 60, 100), 0);
        byte[] buf = new byte[3];
        Assert.Equal(3, reader.Read(buf));
        Assert.Equal(new byte[] { 0x90, 0x3C, 0x64 }, buf);

        reader.Dispose(); // the "cable" is unplugged: the next write gets EPIPE
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (port.SendFailures == 0 && DateTime.UtcNow < deadline)
        {
            port.Send(MidiMessage.NoteOn(0, 61, 100), 0);
            Thread.Sleep(5);
        }

        Assert.Equal(1, port.SendFailures);
        Assert.Contains("Broken pipe", port.LastError, StringComparison.Ordinal);

        // While absent (the writer's open blocks with no reader), offered messages are counted, not queued.
        long absentBefore = port.AbsentMessages;
        port.Send(MidiMessage.NoteOn(0, 62, 100), 0);
        Assert.Equal(absentBefore + 1, port.AbsentMessages);

        using var reader2 = new FileStream(fifo, FileMode.Open, FileAccess.Read | FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        Assert.True(port.WaitUntilReady(TimeSpan.FromSeconds(5)), port.LastError);
        Assert.Equal(2, port.Opens);
        port.Send(MidiMessage.NoteOn(0, 63, 100), 0);
        Assert.Equal(3, reader2.Read(buf));
        Assert.Equal(new byte[] { 0x90, 0x3F, 0x64 }, buf);
    }
}
