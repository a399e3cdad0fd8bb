namespace IolaEdge.Daemon.Gpio;

/// <summary>
/// Turns the raw edges of a bouncing contact into presses: the first edge of a transition is taken
/// (its time is the press time) and later edges are ignored for a refractory interval, which differs
/// for closing (press) and opening (release) contacts.
/// </summary>
/// <remarks>
/// Deterministic: the caller supplies each edge's time, so tests feed exact bounce trains. Not
/// thread-safe; the owner serializes edges (the GPIO callback). An edge to the active level after
/// the refractory interval is a new press even if the release in between was lost inside a
/// refractory interval (a tap shorter than the press interval).
/// </remarks>
internal sealed class ButtonDebouncer
{
    private readonly long _pressRefractoryNs;
    private readonly long _releaseRefractoryNs;
    private long _quietUntilNs = long.MinValue;

    /// <summary>Creates a debouncer; the button starts released.</summary>
    public ButtonDebouncer(TimeSpan pressRefractory, TimeSpan releaseRefractory)
    {
        _pressRefractoryNs = pressRefractory.Ticks * 100;
        _releaseRefractoryNs = releaseRefractory.Ticks * 100;
    }

    /// <summary>Whether the button is held, as far as the debounced edges tell.</summary>
    public bool IsPressed { get; private set; }

    /// <summary>Presses taken.</summary>
    public long Presses { get; private set; }

    /// <summary>Edges ignored as bounce.</summary>
    public long BouncesIgnored { get; private set; }

    /// <summary>Starts from a known level (read from the pin when it is opened), without a press.</summary>
    public void Reset(bool active)
    {
        IsPressed = active;
        _quietUntilNs = long.MinValue;
    }

    /// <summary>Feeds one edge: the level after it and the time it was seen (monotonic ns).</summary>
    /// <returns>True when the edge is a press (the caller records a footfall at <paramref name="timeNs"/>).</returns>
    public bool OnEdge(bool active, long timeNs)
    {
        if (timeNs < _quietUntilNs)
        {
            BouncesIgnored++;
            return false;
        }

        if (active)
        {
            IsPressed = true;
            _quietUntilNs = timeNs + _pressRefractoryNs;
            Presses++;
            return true;
        }

        if (!IsPressed)
        {
            BouncesIgnored++; // a release edge while released: the line settled back during a quiet time
            return false;
        }

        IsPressed = false;
        _quietUntilNs = timeNs + _releaseRefractoryNs;
        return false;
    }
}
