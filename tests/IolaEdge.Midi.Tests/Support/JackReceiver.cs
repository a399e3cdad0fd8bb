using System.Collections.Concurrent;
using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Rtmidi;

namespace IolaEdge.Midi.Tests.Support;

/// <summary>A C# rtmidi virtual input port on JACK, polled every millisecond (no busy-polling) on its own thread.</summary>
internal sealed class JackReceiver : IDisposable
{
    private readonly RtMidiInputPort _port;
    private readonly Thread _thread;
    private volatile bool _stop;

    public JackReceiver(string clientName, string portName = "in")
    {
        _port = RtMidiInputPort.OpenVirtual(RtMidiApi.Jack, clientName, portName);
        _thread = new Thread(Poll) { IsBackground = true, Name = "jack-receiver" };
        _thread.Start();
    }

    public ConcurrentQueue<(string Bytes, long ReceivedNs)> Received { get; } = new();

    public List<(string Bytes, long ReceivedNs)> WaitFor(Func<IReadOnlyList<(string Bytes, long ReceivedNs)>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done([.. Received]) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        return [.. Received];
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
        _port.Dispose();
    }

    private void Poll()
    {
        byte[] buffer = new byte[1024];
        while (!_stop)
        {
            int n = _port.TryReceive(buffer);
            if (n == 0)
            {
                Thread.Sleep(1);
                continue;
            }

            long now = MonotonicClock.NowNs();
            Received.Enqueue((Convert.ToHexString(buffer, 0, n), now));
        }
    }
}
