namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>Why a battery-state reply was not taken as a reading.</summary>
public enum BatteryRejectReason
{
    /// <summary>Accepted.</summary>
    None = 0,

    /// <summary>Not <c>11 8c</c>.</summary>
    UnexpectedHeader,

    /// <summary>Shorter than the 5 bytes header, charge and voltage.</summary>
    Truncated,

    /// <summary>Longer than 5 bytes.</summary>
    Oversized,

    /// <summary>Charge above 100 %.</summary>
    ChargeOutOfRange,

    /// <summary>A reply while no read was outstanding (after its read timed out, or never asked for).</summary>
    NotRequested,
}
