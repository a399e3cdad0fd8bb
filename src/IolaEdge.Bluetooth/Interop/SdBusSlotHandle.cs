using Microsoft.Win32.SafeHandles;

namespace IolaEdge.Bluetooth.Interop;

/// <summary>An owned <c>sd_bus_slot*</c> (a match); releasing it with <c>sd_bus_slot_unref</c> removes the match.</summary>
/// <remarks>Release only on the bus thread, before the bus itself (sd-bus is not thread-safe).</remarks>
internal sealed class SdBusSlotHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the interop marshaller.</summary>
    public SdBusSlotHandle()
        : base(ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        SdBus.sd_bus_slot_unref(handle);
        return true;
    }
}
