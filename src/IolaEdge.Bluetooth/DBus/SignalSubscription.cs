using System.Runtime.InteropServices;
using IolaEdge.Bluetooth.Interop;

namespace IolaEdge.Bluetooth.DBus;

/// <summary>An installed match: disposing it (on the bus thread) removes the match and releases the handler.</summary>
internal sealed class SignalSubscription : IDisposable
{
    private readonly BusConnection _owner;
    private readonly SdBusSlotHandle _slot;
    private GCHandle _target;

    internal SignalSubscription(BusConnection owner, SdBusSlotHandle slot, GCHandle target)
    {
        _owner = owner;
        _slot = slot;
        _target = target;
    }

    /// <summary>Bus thread only.</summary>
    public void Dispose()
    {
        if (!_target.IsAllocated)
        {
            return;
        }

        _slot.Dispose(); // unref removes the match: no callback can see the handle after this
        _target.Free();
        _owner.Forget(this);
    }
}
