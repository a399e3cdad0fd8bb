using IolaEdge.Daemon.Logging;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Gpio;
using IolaEdge.Recording;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Serilog;

namespace IolaEdge.Daemon.Hosting;

/// <summary>
/// Builds and runs the Generic Host for a run: layered configuration, validated options, Serilog,
/// systemd integration and the run worker.
/// </summary>
internal static class DaemonHost
{
    /// <summary>System-wide configuration file, read when present.</summary>
    public const string SystemConfigPath = "/etc/iolaedge/iolaedge.json";

    /// <summary>Prefix of environment variables that override configuration (<c>IOLAEDGE_MIDI__MAPPING__DEFAULT__CHANNEL=2</c>).</summary>
    public const string EnvironmentPrefix = "IOLAEDGE_";

    /// <summary>Configuration section of the recorder (<see cref="RecorderOptions"/>).</summary>
    public const string RecordingSection = "Recording";

    /// <summary>The key <c>run --record DIR</c> sets; recording is on when it is non-empty.</summary>
    public const string RecordingDirectoryKey = "Recording:Directory";

    /// <summary>Configuration section of the GPIO footfall button (<see cref="GpioButtonOptions"/>).</summary>
    public const string ButtonSection = "Button";

    /// <summary>
    /// Runs once. Configuration layers, later wins: appsettings.json beside the binary,
    /// <see cref="SystemConfigPath"/> (or <paramref name="configFile"/>), IOLAEDGE_ variables,
    /// <paramref name="overrides"/> (command line).
    /// </summary>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string?> overrides, string? configFile,
        Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        IConfigurationRoot configuration;
        try
        {
            configuration = BuildConfiguration(overrides, configFile);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or FileNotFoundException or IOException)
        {
            return ReportConfigurationError([$"configuration file cannot be read: {ex.Message}"]);
        }

        LoggingOptions logging = new();
        try
        {
            configuration.GetSection(LoggingOptions.SectionName).Bind(logging);
        }
        catch (InvalidOperationException ex)
        {
            return ReportConfigurationError([ConfigurationKeys.DescribeBindingFailure(ex, configuration)]);
        }

        ValidateOptionsResult loggingResult = new LoggingOptionsValidator().Validate(null, logging);
        if (loggingResult.Failed)
        {
            return ReportConfigurationError(loggingResult.Failures);
        }

        bool stdoutTaken = string.Equals(configuration["Events:Output"], "stdout", StringComparison.OrdinalIgnoreCase);
        LogFileFailures? logFileFailures = logging.File.Length > 0 ? new LogFileFailures(logging.File) : null;
        Serilog.Core.Logger logger = DaemonLogger.Create(logging, configuration, stdoutTaken, logFileFailures);
        try
        {
            return await RunHostAsync(configuration, overrides, configFile, logger, configureServices, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Disposing flushes the file one last time: only then is its count final. Serilog lets that last
            // flush throw (a full disk), which would lose the exit code and print a stack trace.
            try
            {
                await logger.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException ex) when (logFileFailures is not null)
            {
                logFileFailures.OnLoggingFailed(logger, Serilog.Core.LoggingFailureKind.Final, "closing the log file", null, ex);
            }

            if (logFileFailures?.Summary is { } lost)
            {
                Console.Error.WriteLine("iolaedge: " + lost);
            }
        }
    }

    private static async Task<int> RunHostAsync(IConfiguration configuration, IReadOnlyDictionary<string, string?> overrides, string? configFile,
        Serilog.Core.Logger logger, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "iolaedge",
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = true,
        });
        builder.Configuration.AddConfiguration(configuration);
        ConfigureServices(builder.Services, configuration, logger);
        builder.Services.AddSingleton(new Web.StartupConfigurationFile(Path.GetFullPath(configFile ?? SystemConfigPath)));
        ConfigurationReloadService.Register(builder.Services, overrides, configFile, configuration);
        configureServices?.Invoke(builder.Services);

        using IHost host = builder.Build();
        List<string> failures = CollectFailures(host.Services, configuration);
        if (failures.Count > 0)
        {
            return ReportConfigurationError(failures);
        }

        RunOutcome outcome = host.Services.GetRequiredService<RunOutcome>();
        await host.RunAsync(cancellationToken).ConfigureAwait(false); // disposes the host's services when done
        return outcome.ExitCode;
    }

    /// <summary>The configuration layers, later wins.</summary>
    public static IConfigurationRoot BuildConfiguration(IReadOnlyDictionary<string, string?> overrides, string? configFile)
    {
        ConfigurationBuilder builder = new();
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }
        else
        {
            builder.AddJsonFile(SystemConfigPath, optional: true, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(overrides);
        return builder.Build();
    }

    private static void ConfigureServices(IServiceCollection services, IConfiguration configuration, Serilog.Core.Logger logger)
    {
        services.AddSerilog(logger, dispose: false);
        services.AddSingleton<ILogger>(logger);
        // No services.AddSystemd(): its lifetime sends READY=1 when the host starts, before any sample was
        // processed. RunHost sends READY=1 once the pipeline thread processed samples, and STOPPING=1.
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

        AddOptions(services, configuration);

        services.AddSingleton<RunOutcome>();
        services.AddSingleton<IRunComponents, BuiltInComponents>();
        services.AddHostedService<RunService>();
        services.AddSingleton<Web.LiveView>();
        services.AddHostedService<Web.TuningPageService>();
    }

    internal static void AddOptions(IServiceCollection services, IConfiguration configuration)
    {
        AddValidated<RunOptions, RunOptionsValidator>(services, configuration, RunOptions.SectionName);
        AddValidated<DetectorOptions, DetectorOptionsValidator>(services, configuration, DetectorOptions.SectionName);
        AddValidated<PipelineOptions, PipelineOptionsValidator>(services, configuration, PipelineOptions.SectionName);
        AddValidated<MidiOptions, MidiOptionsValidator>(services, configuration, MidiOptions.SectionName);
        AddValidated<EventsOptions, EventsOptionsValidator>(services, configuration, EventsOptions.SectionName);
        AddValidated<GpioButtonOptions, GpioButtonOptionsValidator>(services, configuration, ButtonSection);
        AddValidated<RecorderOptions, RecorderOptionsValidator>(services, configuration, RecordingSection);
        AddValidated<SoakOptions, SoakOptionsValidator>(services, configuration, SoakOptions.SectionName);
        AddValidated<Web.WebOptions, Web.WebOptionsValidator>(services, configuration, Web.WebOptions.SectionName);
        AddValidated<Realtime.RealtimeOptions, Realtime.RealtimeOptionsValidator>(services, configuration, Realtime.RealtimeOptions.SectionName);

        // Recording is on only when Recording:Directory is configured (run --record DIR, or the installed
        // config); RecorderOptions' own default directory would otherwise make every run record.
        services.Configure<RecorderOptions>(o =>
        {
            if (string.IsNullOrWhiteSpace(configuration[RecordingDirectoryKey]))
            {
                o.Directory = "";
            }
        });
    }

    private static void AddValidated<TOptions, TValidator>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }

    /// <summary>Every configuration problem (all layers merged), each naming key, value and allowed range; empty when valid.</summary>
    public static List<string> Validate(IConfiguration configuration)
    {
        ServiceCollection services = new();
        AddOptions(services, configuration);
        using ServiceProvider provider = services.BuildServiceProvider();
        List<string> failures = CollectFailures(provider, configuration);
        LoggingOptions logging = new();
        try
        {
            configuration.GetSection(LoggingOptions.SectionName).Bind(logging);
            failures.AddRange(new LoggingOptionsValidator().Validate(null, logging).Failures ?? []);
        }
        catch (InvalidOperationException ex) when (ConfigurationKeys.IsBindingFailure(ex))
        {
            failures.Add(ConfigurationKeys.DescribeBindingFailure(ex, configuration));
        }

        return failures;
    }

    private static List<string> CollectFailures(IServiceProvider services, IConfiguration configuration)
    {
        List<string> failures = [];
        Validate<RunOptions>(services, configuration, failures);
        Validate<DetectorOptions>(services, configuration, failures);
        Validate<PipelineOptions>(services, configuration, failures);
        Validate<MidiOptions>(services, configuration, failures);
        Validate<EventsOptions>(services, configuration, failures);
        Validate<GpioButtonOptions>(services, configuration, failures);
        Validate<RecorderOptions>(services, configuration, failures);
        Validate<SoakOptions>(services, configuration, failures);
        Validate<Web.WebOptions>(services, configuration, failures);
        Validate<Realtime.RealtimeOptions>(services, configuration, failures);
        failures.AddRange(StrictConfiguration.UnknownKeys(configuration));
        failures.AddRange(DetectorOptions.UnknownKeys(configuration));
        failures.AddRange(SoakOptionsValidator.UnknownKeys(configuration));
        return failures;
    }

    // Same checks as ValidateOnStart, run before the host starts so that every problem is reported at once,
    // without the host's own "failed to start" stack trace.
    private static void Validate<TOptions>(IServiceProvider services, IConfiguration configuration, List<string> failures)
        where TOptions : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<TOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
        }
        catch (InvalidOperationException ex) when (ConfigurationKeys.IsBindingFailure(ex))
        {
            failures.Add(ConfigurationKeys.DescribeBindingFailure(ex, configuration));
        }
    }

    internal static int ReportConfigurationError(IEnumerable<string> failures)
    {
        foreach (string failure in failures)
        {
            Console.Error.WriteLine("iolaedge: configuration error: " + failure);
        }

        return ExitCodes.Configuration;
    }
}
