using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Daemon.Control;

/// <summary>
/// Footfall marks from the terminal: every Enter is a mark stamped when the line arrives; a line
/// <c>q</c> ends the recording.
/// </summary>
/// <remarks>
/// Reads a byte stream (stdin) rather than <c>Console.ReadKey</c> so it works on a pipe, over ssh and in
/// tests. A terminal in canonical mode delivers a line when Enter is pressed, so the stamp is the
/// key press plus the terminal's echo path (a few ms): good for bench marks, not for ground truth
/// (use the button).
/// </remarks>
internal sealed class TerminalMarkReader
{
    private readonly Stream _input;
    private readonly IImuSampleSink _sink;
    private readonly int _sensorId;
    private readonly Func<long> _clock;

    /// <summary>Creates a reader over <paramref name="input"/> (usually <c>Console.OpenStandardInput()</c>).</summary>
    public TerminalMarkReader(Stream input, IImuSampleSink sink, int sensorId = 0, Func<long>? clock = null)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _sensorId = sensorId;
        _clock = clock ?? MonotonicClock.NowNs;
    }

    /// <summary>Marks delivered.</summary>
    public long Marks { get; private set; }

    /// <summary>Reads until end of input, a <c>q</c> line, or cancellation; returns true when the user asked to quit.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[256];
        bool lineHasQ = false;
        bool lineHasOther = false;
        while (true)
        {
            int n;
            try
            {
                n = await _input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            long timeNs = _clock(); // the read returned: Enter was just pressed
            if (n == 0)
            {
                return false;
            }

            for (int i = 0; i < n; i++)
            {
                switch (buffer[i])
                {
                    case (byte)'\n':
                        if (lineHasQ && !lineHasOther)
                        {
                            return true;
                        }

                        _sink.OnFootfallAnnotation(_sensorId, timeNs);
                        Marks++;
                        lineHasQ = lineHasOther = false;
                        break;
                    case (byte)'q' or (byte)'Q':
                        lineHasQ = true;
                        break;
                    case (byte)'\r' or (byte)' ':
                        break;
                    default:
                        lineHasOther = true;
                        break;
                }
            }
        }
    }
}
