using System.Runtime.InteropServices;

namespace IolaEdge.Midi.Rtmidi.Interop;

/// <summary>libc, for the uid that names JACK's server socket.</summary>
internal static partial class Libc
{
    /// <summary><c>uid_t getuid(void)</c>: cannot fail.</summary>
    [LibraryImport("libc.so.6")]
    internal static partial uint getuid();
}
