using Microsoft.Win32.SafeHandles;

namespace IolaEdge.Bluetooth.Interop;

/// <summary>An owned <c>sd_bus_message*</c> (created by us, not borrowed from a callback); released with <c>sd_bus_message_unref</c>.</summary>
internal sealed class SdBusMessageHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the interop marshaller.</summary>
    public SdBusMessageHandle()
        : base(ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        SdBus.sd_bus_message_unref(handle);
        return true;
    }
}
