using System.Runtime.InteropServices;

namespace IolaEdge.Daemon.Signals;

/// <summary>
/// Runs a callback on SIGHUP (re-read the configuration) for as long as the registration lives, instead of
/// the default action, which ends the process.
/// </summary>
/// <remarks>
/// As for <see cref="UserSignalRegistration"/>: the runtime's signal thread calls the callback outside signal
/// context, so it may log, lock and read files. Calls do not overlap (one signal thread).
/// </remarks>
internal sealed class HangupSignalRegistration : IDisposable
{
    private readonly PosixSignalRegistration? _registration;

    private HangupSignalRegistration(PosixSignalRegistration? registration) => _registration = registration;

    /// <summary>Registers <paramref name="onSignal"/> for SIGHUP; does nothing on hosts without POSIX signals.</summary>
    public static HangupSignalRegistration Register(Action onSignal)
    {
        if (OperatingSystem.IsWindows())
        {
            return new HangupSignalRegistration(null);
        }

        return new HangupSignalRegistration(PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // keep running: SIGHUP asks for a reload, not a stop
            onSignal();
        }));
    }

    /// <inheritdoc/>
    public void Dispose() => _registration?.Dispose();
}
