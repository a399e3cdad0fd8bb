using Microsoft.Win32.SafeHandles;

namespace IolaEdge.Bluetooth.Interop;

/// <summary>An owned <c>sd_bus*</c>; released with <c>sd_bus_flush_close_unref</c> (flushes queued writes, closes, unrefs).</summary>
internal sealed class SdBusHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the interop marshaller.</summary>
    public SdBusHandle()
        : base(ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        SdBus.sd_bus_flush_close_unref(handle);
        return true;
    }
}
