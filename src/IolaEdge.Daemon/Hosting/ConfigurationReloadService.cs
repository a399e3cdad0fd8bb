using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Signals;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IolaEdge.Daemon.Hosting;

/// <summary>
/// Reloads the configuration on SIGHUP (<c>systemctl reload iolaedge</c>) while the host runs; see
/// <see cref="ConfigurationReloader"/> for what is applied. The user presets file is read again too.
/// </summary>
internal sealed class ConfigurationReloadService : IHostedService, IDisposable
{
    private readonly ConfigurationReloader _reloader;
    private readonly Web.LiveView _live;
    private HangupSignalRegistration? _registration;

    /// <summary>Created by the host.</summary>
    public ConfigurationReloadService(ConfigurationReloader reloader, Web.LiveView live)
    {
        _reloader = reloader;
        _live = live;
    }

    /// <summary>Registers the service for a run started with <paramref name="overrides"/> and <paramref name="configFile"/>.</summary>
    public static void Register(IServiceCollection services, IReadOnlyDictionary<string, string?> overrides, string? configFile, IConfiguration startup)
    {
        services.AddSingleton(sp => new ConfigurationReloader(overrides, configFile, startup, sp.GetRequiredService<Serilog.ILogger>()));
        services.AddHostedService<ConfigurationReloadService>();
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = HangupSignalRegistration.Register(() =>
        {
            _reloader.Reload(_live.Run?.Tuning);
            _live.Run?.Tuning.Presets?.Load(); // a presets file fixed (or edited) by hand is read again
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _registration?.Dispose();
        _registration = null;
    }
}
