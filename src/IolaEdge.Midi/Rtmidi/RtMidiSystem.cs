using IolaEdge.Midi.Rtmidi.Interop;

namespace IolaEdge.Midi.Rtmidi;

/// <summary>What the installed librtmidi offers: compiled APIs and port lists (for <c>iolaedge midi list</c>).</summary>
public static unsafe class RtMidiSystem
{
    /// <summary>APIs compiled into librtmidi (Debian: alsa, jack), as rtmidi's names.</summary>
    /// <exception cref="DllNotFoundException">librtmidi.so.6 is not installed (Debian package librtmidi6).</exception>
    public static IReadOnlyList<string> CompiledApis()
    {
        int count = RtMidiNative.rtmidi_get_compiled_api(null, 0);
        if (count <= 0)
        {
            return [];
        }

        int* apis = stackalloc int[count];
        count = RtMidiNative.rtmidi_get_compiled_api(apis, (uint)count);
        var names = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            byte* name = RtMidiNative.rtmidi_api_name(apis[i]);
            names.Add(name is null ? apis[i].ToString(System.Globalization.CultureInfo.InvariantCulture) : new string((sbyte*)name));
        }

        return names;
    }

    /// <summary>Ports an output can connect to (other programs' inputs), full names.</summary>
    /// <exception cref="RtMidiException">The client cannot be created (e.g. ALSA without /dev/snd/seq).</exception>
    public static IReadOnlyList<string> ListOutputPorts(RtMidiApi api, string clientName = "iolaedge-list")
    {
        using RtMidiDevice device = RtMidiDevice.CreateOutput(api, clientName);
        return device.PortNames();
    }

    /// <summary>Ports an input can connect to (other programs' outputs), full names.</summary>
    public static IReadOnlyList<string> ListInputPorts(RtMidiApi api, string clientName = "iolaedge-list")
    {
        using RtMidiDevice device = RtMidiDevice.CreateInput(api, clientName);
        return device.PortNames();
    }
}
