using System.Runtime.InteropServices;

namespace IolaEdge.Midi.Interop;

/// <summary>libc calls of the MIDI layer, names verbatim.</summary>
internal static partial class Libc
{
    /// <summary><c>uid_t getuid(void)</c>: cannot fail.</summary>
    [LibraryImport("libc.so.6")]
    internal static partial uint getuid();
}
