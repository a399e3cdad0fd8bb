using System.Net;
using System.Reflection;
using System.Text.Json;
using IolaEdge.Daemon.Tuning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ILogger = Serilog.ILogger;

namespace IolaEdge.Daemon.Web;

/// <summary>
/// Serves the tuning page (docs/web.md) from inside the worker: a nested Kestrel app over the same
/// <see cref="LiveView"/>, started with the host when <c>Web:Enabled</c>. A page that cannot be served
/// (port taken) is logged as an error and the run goes on without it: detection and MIDI come first.
/// </summary>
internal sealed class TuningPageService : IHostedService, IAsyncDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly LiveView _live;
    private readonly ILogger _log;
    private readonly ILoggerFactory _loggers;
    private WebApplication? _app;
    private FrameBroadcaster? _frames;

    /// <summary>Created by the host.</summary>
    public TuningPageService(LiveView live, ILogger log, ILoggerFactory loggers)
    {
        _live = live;
        _log = log.ForContext("SourceContext", "Web");
        _loggers = loggers;
    }

    /// <summary>The address the page is served on, once started (tests read the port from it).</summary>
    public Uri? Address { get; private set; }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_live.PageEnabled)
        {
            return;
        }

        WebOptions options = _live.Web;
        IPEndPoint endpoint = options.Endpoint;
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "iolaedge-web" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(endpoint);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 16 * 1024; // settings are a few bytes
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(_loggers); // the worker's logging (Serilog); the nested app adds no console of its own
        builder.Services.AddSingleton<IHostLifetime, NestedLifetime>(); // SIGTERM belongs to the worker
        _frames = new FrameBroadcaster(_live, options.FramesPerSecond, options.ClientQueueFrames);
        FrameBroadcaster frames = _frames;
        DaemonMetrics metrics = new(() => _live.Run, () => frames);
        _live.EventObserver = metrics.Observe;
        _app = builder.Build();

        bool loopbackOnly = IPAddress.IsLoopback(endpoint.Address);
        string shownHost = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? Dns.GetHostName() : endpoint.Address.ToString();
        WebAccess? access = null;
        _app.Use((context, next) =>
        {
            if (access is null)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable; // between bind and token: a few ms
                return Task.CompletedTask;
            }

            return access.InvokeAsync(context, next);
        });
        MapEndpoints(_app, _frames);
        _app.MapGet("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.WriteAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        try
        {
            await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            _log.Error("Tuning page not served: Web:Listen {Listen} cannot be bound ({Message}); the run goes on without it", options.Listen, ex.Message);
            await DisposeAsync().ConfigureAwait(false);
            return;
        }

        int port = endpoint.Port;
        string? bound = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (bound is not null && Uri.TryCreate(bound, UriKind.Absolute, out Uri? boundUri))
        {
            port = boundUri.Port;
        }

        string host = shownHost.Contains(':', StringComparison.Ordinal) ? $"[{shownHost}]" : shownHost;
        Address = new Uri($"http://{host}:{port}/");
        access = new WebAccess(WebToken.Resolve(options, _log, Address.ToString()), loopbackOnly);
        _log.Information("Tuning page on {Address} ({Access})", Address,
            loopbackOnly ? "loopback: reads open, writes need the token" : "every request needs the token");
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _frames?.Dispose(); // completes the pages' streams so that Kestrel can stop at once
        if (_app is not null)
        {
            using CancellationTokenSource bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(TimeSpan.FromSeconds(2));
            await _app.StopAsync(bounded.Token).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _frames?.Dispose();
        _frames = null;
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    private void MapEndpoints(WebApplication app, FrameBroadcaster frames)
    {
        app.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8"));
        app.MapGet("/app.js", () => Asset("app.js", "text/javascript; charset=utf-8"));
        app.MapGet("/app.css", () => Asset("app.css", "text/css; charset=utf-8"));
        app.MapGet("/presets.js", () => Asset("presets.js", "text/javascript; charset=utf-8"));
        app.MapGet("/api/status", IResult () => _live.Run is { } run
            ? TypedResults.Json(LiveStatus.Of(run, frames.Latency(run), frames), s_json)
            : TypedResults.Json(new { state = "starting" }, s_json, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/api/stream", (CancellationToken aborted) => TypedResults.ServerSentEvents(frames.Subscribe(aborted), eventType: "frame"));
        app.MapGet("/api/settings", IResult () => _live.Run is { } run
            ? TypedResults.Json(run.Tuning.Settings().Select(SettingDto.Of), s_json)
            : TypedResults.Json(Array.Empty<SettingDto>(), s_json));
        app.MapPost("/api/settings", async (HttpRequest request) =>
        {
            SettingChange? change;
            try
            {
                change = await request.ReadFromJsonAsync<SettingChange>(s_json).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
            {
                return Reply(new TuningResult(false, "the body must be JSON {\"key\": \"…\", \"value\": \"…\"}"));
            }

            if (change?.Key is null || change.Value is null)
            {
                return Reply(new TuningResult(false, "the body must be JSON {\"key\": \"…\", \"value\": \"…\"}"));
            }

            return _live.Run is { } run ? Reply(run.Tuning.Set(change.Key, change.Value)) : NotStarted();
        });
        app.MapPost("/api/save", () => _live.Run is { } run ? Reply(run.Tuning.Save()) : NotStarted());
        MapPresets(app);
        MapLearn(app);
    }

    // Presets: built-in and user ones listed, applied, saved ("save as") and deleted; replies like a setting change.
    private void MapPresets(WebApplication app)
    {
        app.MapGet("/api/presets", () => TypedResults.Json(_live.Run?.Tuning.Presets is { } presets
            ? new PresetListDto(TuningPresets.Names, presets.Names, presets.FilePath, presets.Problem)
            : new PresetListDto(TuningPresets.Names, [], null, null), s_json));
        app.MapPost("/api/preset", (HttpRequest request) => OnPreset(request, (tuning, name) => tuning.ApplyPreset(name)));
        app.MapPost("/api/preset/save", (HttpRequest request) => OnPreset(request, (tuning, name) => tuning.SavePreset(name)));
        app.MapPost("/api/preset/delete", (HttpRequest request) => OnPreset(request, (tuning, name) => tuning.DeletePreset(name)));
    }

    private async Task<JsonHttpResult<ReplyDto>> OnPreset(HttpRequest request, Func<LiveTuning, string, TuningResult> action)
    {
        PresetChoice? choice;
        try
        {
            choice = await request.ReadFromJsonAsync<PresetChoice>(s_json).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            choice = null;
        }

        if (choice?.Name is null)
        {
            return Reply(new TuningResult(false, "the body must be JSON {\"name\": \"…\"}"));
        }

        return _live.Run is { } run ? Reply(action(run.Tuning, choice.Name)) : NotStarted();
    }

    private sealed record PresetListDto(IReadOnlyList<string> BuiltIn, IReadOnlyList<string> User, string? File, string? Problem);

    // MIDI learn: POST waits for the note (or the timeout) and answers like a setting change; the page updates the fields.
    private void MapLearn(WebApplication app)
    {
        app.MapGet("/api/learn", () => TypedResults.Json(_live.Run?.Tuning.Learn is { } learn
            ? new LearnStateDto(true, learn.Port, learn.PortState(), learn.Armed, learn.DefaultTimeout.TotalSeconds, learn.Listener.Messages)
            : new LearnStateDto(false, null, "off: MIDI learn needs a MIDI input (Midi:Backend jack or alsa, or Midi:Learn:Backend)", null, null, null), s_json));
        app.MapPost("/api/learn", async (HttpRequest request) =>
        {
            LearnRequest? ask;
            try
            {
                ask = await request.ReadFromJsonAsync<LearnRequest>(s_json).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
            {
                ask = null;
            }

            if (ask?.Sensor is null)
            {
                return Reply(new TuningResult(false, "the body must be JSON {\"sensor\": \"default\" | \"Sensors:N\" | sensor id, \"seconds\": 1..600 (optional)}"));
            }

            if (_live.Run is not { } run)
            {
                return NotStarted();
            }

            if (run.Tuning.Learn is not { } learn)
            {
                return Reply(new TuningResult(false, "MIDI learn is off: it needs a MIDI input (Midi:Backend jack or alsa, or Midi:Learn:Backend)"));
            }

            TimeSpan? timeout = ask.Seconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
            return Reply(await learn.LearnAsync(ask.Sensor, timeout, request.HttpContext.RequestAborted).ConfigureAwait(false));
        });
        app.MapPost("/api/learn/cancel", () => _live.Run?.Tuning.Learn is { } learn ? Reply(learn.Cancel()) : Reply(new TuningResult(true, "no learn in progress")));
    }

    private sealed record LearnRequest(string? Sensor, double? Seconds);

    // MessagesRead: everything the input has read, a note or not, so a connected keyboard shows before any learn.
    private sealed record LearnStateDto(bool Enabled, string? Port, string State, string? Armed, double? TimeoutSeconds, long? MessagesRead);

    private static JsonHttpResult<ReplyDto> Reply(TuningResult result) =>
        TypedResults.Json(new ReplyDto(result.Ok, result.Message, result.Key, result.Value), s_json,
            statusCode: result.Ok ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);

    private static JsonHttpResult<ReplyDto> NotStarted() =>
        TypedResults.Json(new ReplyDto(false, "the run has not started yet", null, null), s_json, statusCode: StatusCodes.Status503ServiceUnavailable);

    private sealed record ReplyDto(bool Ok, string Message, string? Key, string? Value);

    private static IResult Asset(string name, string contentType)
    {
        Stream? stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("IolaEdge.Web." + name);
        return stream is null ? TypedResults.NotFound() : TypedResults.Stream(stream, contentType);
    }

    private sealed record SettingChange(string? Key, string? Value);

    private sealed record PresetChoice(string? Name);

    private sealed record SettingDto(string Key, string Group, string Kind, double? Min, double? Max, IReadOnlyList<string> Choices, string? Value)
    {
        public static SettingDto Of(SettingValue v) =>
            new(v.Setting.Key, v.Setting.Group, v.Setting.Kind.ToString().ToLowerInvariant(), v.Setting.Min, v.Setting.Max, v.Setting.Choices, v.Value);
    }

    /// <summary>The nested app's lifetime: does nothing (the worker's own lifetime handles signals and logs).</summary>
    private sealed class NestedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
