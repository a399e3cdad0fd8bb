using System.Runtime.InteropServices;

namespace IolaEdge.Daemon.Tests.Systemd.Support;

/// <summary>
/// Sets environment variables where libsystemd reads them (libc's environ, via getenv) as well as in
/// .NET's copy (Environment.SetEnvironmentVariable alone does not reach native code on Unix).
/// Restores the previous values on dispose.
/// </summary>
internal sealed partial class NativeEnvironment : IDisposable
{
    private readonly Dictionary<string, string?> _saved = [];

    public void Set(string name, string? value)
    {
        if (!_saved.ContainsKey(name))
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
        }

        Apply(name, value);
    }

    public void Dispose()
    {
        foreach ((string name, string? value) in _saved)
        {
            Apply(name, value);
        }
    }

    private static void Apply(string name, string? value)
    {
        Environment.SetEnvironmentVariable(name, value);
        int r = value is null ? unsetenv(name) : setenv(name, value, 1);
        if (r != 0)
        {
            throw new InvalidOperationException($"setenv/unsetenv {name} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

#pragma warning disable SA1300, IDE1006 // libc names
    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int unsetenv(string name);
#pragma warning restore SA1300, IDE1006
}
