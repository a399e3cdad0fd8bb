namespace IolaEdge.Midi.Engine;

/// <summary>
/// MIDI thread: remembers, per sensor, which sent-time token and hand-off time each recently sent predicted note had, so
/// the detection that confirms it (or its expiry) can be stamped with that note's times. Preallocated, no allocation.
/// </summary>
/// <remarks>A sensor has at most a few predicted notes between sending and confirmation (one per step, confirmed within
/// the confirmation window), so the last <see cref="PerSensor"/> per sensor are kept; an older one is found no more and
/// its event carries no note times.</remarks>
internal sealed class PredictedNoteTokens
{
    private const int PerSensor = 8;

    private readonly long[] _predictedNs;
    private readonly long[] _tokens;
    private readonly long[] _queuedNs;
    private readonly int[] _next;

    public PredictedNoteTokens(int sensors)
    {
        _predictedNs = new long[sensors * PerSensor];
        _tokens = new long[sensors * PerSensor];
        _queuedNs = new long[sensors * PerSensor];
        _next = new int[sensors];
    }

    /// <summary>Records the note sent for the footfall predicted at <paramref name="predictedNs"/>.</summary>
    public void Remember(int sensorId, long predictedNs, long token, long queuedNs)
    {
        if ((uint)sensorId >= (uint)_next.Length)
        {
            return;
        }

        int i = (sensorId * PerSensor) + _next[sensorId];
        _next[sensorId] = (_next[sensorId] + 1) % PerSensor;
        _predictedNs[i] = predictedNs;
        _tokens[i] = token;
        _queuedNs[i] = queuedNs;
    }

    /// <summary>Finds the note of the prediction at <paramref name="predictedNs"/>; token and time 0 when it is not known.</summary>
    public bool Find(int sensorId, long predictedNs, out long token, out long queuedNs)
    {
        token = queuedNs = 0;
        if ((uint)sensorId >= (uint)_next.Length)
        {
            return false;
        }

        int start = sensorId * PerSensor;
        for (int i = start; i < start + PerSensor; i++)
        {
            if (_tokens[i] != 0 && _predictedNs[i] == predictedNs)
            {
                token = _tokens[i];
                queuedNs = _queuedNs[i];
                return true;
            }
        }

        return false;
    }
}
