namespace IolaEdge.Bluetooth.Tests.Support;

/// <summary>Measures managed bytes allocated on this thread by a warmed-up action (steady state).</summary>
public static class Allocations
{
    /// <summary>
    /// Runs <paramref name="action"/> twice to warm up (JIT tiering, lazy P/Invoke binding), pauses so
    /// tiered compilation can install optimised code, then returns the bytes allocated by a third run.
    /// </summary>
    public static long OfSteadyState(Action action)
    {
        action();
        Thread.Sleep(250);
        action();
        Thread.Sleep(250);
        ThreadAllocations allocations = ThreadAllocations.Start();
        action();
        return allocations.Bytes;
    }
}
