using System.Runtime.InteropServices;

namespace IolaEdge.Daemon.Signals;

/// <summary>
/// Runs a callback on SIGUSR1 (print the latency summary without stopping), for as long as the
/// registration lives.
/// </summary>
/// <remarks>
/// <see cref="PosixSignal"/> names no SIGUSR1, but on Unix <see cref="PosixSignalRegistration.Create"/>
/// accepts raw signal numbers (documented: "raw values can be provided by casting them to PosixSignal").
/// The runtime's own signal thread then calls us outside signal context, so the callback may log and
/// lock; this avoids running managed code inside a libc signal handler, which is not async-signal-safe.
/// Verified by the end-to-end test that sends SIGUSR1 to a running <c>iolaedge</c>.
/// </remarks>
internal sealed class UserSignalRegistration : IDisposable
{
    /// <summary>SIGUSR1 on Linux (asm-generic/signal.h; the same on x86-64, arm64 and armhf).</summary>
    public const int SigUsr1 = 10;

    private readonly PosixSignalRegistration? _registration;

    private UserSignalRegistration(PosixSignalRegistration? registration) => _registration = registration;

    /// <summary>Registers <paramref name="onSignal"/> for SIGUSR1; does nothing on non-Linux hosts.</summary>
    public static UserSignalRegistration Register(Action onSignal)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new UserSignalRegistration(null);
        }

        return new UserSignalRegistration(PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
        {
            context.Cancel = true; // keep running: SIGUSR1 asks for a report, not a stop
            onSignal();
        }));
    }

    /// <inheritdoc/>
    public void Dispose() => _registration?.Dispose();
}
