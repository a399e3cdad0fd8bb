namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>Why a notification was not turned into samples.</summary>
public enum PacketRejectReason
{
    /// <summary>Accepted.</summary>
    None = 0,

    /// <summary>Shorter than the 2-byte header plus one sample.</summary>
    Truncated,

    /// <summary>Payload after the header is not a whole number of 6-byte samples.</summary>
    PartialSample,

    /// <summary>More samples than the register carries (1 plain, 3 packed).</summary>
    Oversized,

    /// <summary>Header of another module or register than the one streamed.</summary>
    UnexpectedHeader,

    /// <summary>The D-Bus message did not have the PropertiesChanged(Value: ay) shape.</summary>
    MalformedMessage,

    /// <summary>A sample count equal to or before the previous one (a repeated or reordered notification).</summary>
    CounterOutOfOrder,
}
