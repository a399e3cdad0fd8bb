namespace IolaEdge.Bluetooth;

/// <summary>
/// The one word for each <see cref="BleSensorState"/>, shared by everything that names a link state to a person or a
/// scraper: the log lines, systemd STATUS=, the run summary, the tuning page, <c>/api/status</c> and <c>/metrics</c>.
/// </summary>
public static class BleSensorStateWords
{
    /// <summary>Every state's word, in the order of <see cref="BleSensorState"/>.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<BleSensorState>().Select(Word).ToArray();

    /// <summary>
    /// <c>idle</c>, <c>scanning</c>, <c>connecting</c>, <c>configuring</c>, <c>streaming</c>, <c>retrying</c> or
    /// <c>stopped</c>. The detail (what is being scanned for, why it retries) belongs in the state change's message.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="state"/> is not a defined state.</exception>
    public static string Word(this BleSensorState state) => state switch
    {
        BleSensorState.Idle => "idle",
        BleSensorState.Discovering => "scanning",
        BleSensorState.Connecting => "connecting",
        BleSensorState.Configuring => "configuring",
        BleSensorState.Streaming => "streaming",
        BleSensorState.Backoff => "retrying",
        BleSensorState.Stopped => "stopped",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a BLE sensor state"),
    };
}
