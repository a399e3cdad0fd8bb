using System.Runtime.InteropServices;

namespace IolaEdge.Midi.Rtmidi.Interop;

/// <summary>Owns one <c>RtMidiWrapper*</c>; its fields are read and written through the pointer, never copied.</summary>
internal abstract class RtMidiHandle : SafeHandle
{
    protected RtMidiHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>True when the library created the C++ object (<c>ptr != NULL</c>); any call on a wrapper without it crashes.</summary>
    public bool HasDevice => !IsInvalid && Marshal.ReadIntPtr(handle, RtMidiWrapperLayout.Ptr) != IntPtr.Zero;

    /// <summary>The wrapper's <c>ok</c> field.</summary>
    public bool Ok => Marshal.ReadByte(handle, RtMidiWrapperLayout.Ok) != 0;

    /// <summary>Sets <c>ok</c> back to true: the library never does, so a checked call must start with this.</summary>
    public void ResetOk() => Marshal.WriteByte(handle, RtMidiWrapperLayout.Ok, 1);

    /// <summary>True for input devices (selects the free function).</summary>
    public abstract bool IsInput { get; }
}

/// <summary>An <c>RtMidiOutPtr</c>, freed with <c>rtmidi_out_free</c> (safe even when ptr is NULL).</summary>
internal sealed class RtMidiOutHandle : RtMidiHandle
{
    public RtMidiOutHandle()
    {
    }

    public RtMidiOutHandle(IntPtr wrapper)
    {
        SetHandle(wrapper);
    }

    public override bool IsInput => false;

    protected override bool ReleaseHandle()
    {
        RtMidiNative.rtmidi_out_free(handle);
        return true;
    }
}

/// <summary>An <c>RtMidiInPtr</c>, freed with <c>rtmidi_in_free</c>.</summary>
internal sealed class RtMidiInHandle : RtMidiHandle
{
    public RtMidiInHandle()
    {
    }

    public RtMidiInHandle(IntPtr wrapper)
    {
        SetHandle(wrapper);
    }

    public override bool IsInput => true;

    protected override bool ReleaseHandle()
    {
        RtMidiNative.rtmidi_in_free(handle);
        return true;
    }
}
