using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using IolaEdge.Daemon.Tests.Support;

namespace IolaEdge.Web.Tests.Support;

/// <summary>The real daemon replaying the bundled walk in real time with the tuning page on, and an HTTP client for it.</summary>
internal sealed partial class PageDaemon : IDisposable
{
    public const string Token = "test-token-0123456789abcdef";

    private readonly IolaEdgeProcess _process;

    private PageDaemon(IolaEdgeProcess process, TempDirectory directory, Uri address, string configFile)
    {
        _process = process;
        Directory = directory;
        Address = address;
        ConfigFile = configFile;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public TempDirectory Directory { get; }

    /// <summary>The page's address as the daemon logged it.</summary>
    public Uri Address { get; }

    /// <summary>The configuration file the daemon was started with.</summary>
    public string ConfigFile { get; }

    /// <summary>A client without the token.</summary>
    public HttpClient Http { get; }

    public string Output => _process.Stdout + _process.Stderr;

    /// <summary>Starts <c>iolaedge run -c FILE</c> with the page on <paramref name="listen"/> and waits for its address.</summary>
    public static PageDaemon Start(string listen = "127.0.0.1:0", string configJson = "{}", params string[] extra) =>
        Start(listen, configJson, null, extra);

    /// <summary>As <see cref="Start(string, string, string[])"/>, with environment variables for the daemon (e.g. its JACK server).</summary>
    public static PageDaemon Start(string listen, string configJson, IReadOnlyDictionary<string, string>? environment, params string[] extra)
    {
        TempDirectory directory = new();
        string config = directory.File("iolaedge.json");
        File.WriteAllText(config, configJson);
        // A test naming its own MIDI output (--midi ...) replaces the default Standard MIDI File.
        string[] midi = extra.Contains("--midi") ? [] : ["--midi", "file", "-o", directory.File("run.mid")];
        string[] args =
        [
            "run", "--config", config, "--speed", "1", "--duration", "80", .. midi, "--progress", "0",
            "--set", "Events:LogEachFootfall=false", "--set", "Web:Enabled=true", "--set", $"Web:Listen={listen}", "--set", $"Web:Token={Token}",
            .. extra,
        ];
        IolaEdgeProcess process = IolaEdgeProcess.Start(directory.Path, environment, args);
        if (!process.WaitForOutput("Tuning page on ", TimeSpan.FromSeconds(60)))
        {
            string output = process.Stdout + process.Stderr;
            process.Dispose();
            directory.Dispose();
            throw new InvalidOperationException("the daemon did not serve the page:\n" + output);
        }

        Match address = PageAddress().Match(process.Stdout + process.Stderr);
        return new PageDaemon(process, directory, new Uri(address.Groups["url"].Value), config);
    }

    /// <summary>The page's address on loopback (a listener on 0.0.0.0 logs the host name).</summary>
    public Uri LoopbackAddress => new($"http://127.0.0.1:{Address.Port}/");

    /// <summary>GET /api/status with the token.</summary>
    public async Task<JsonElement> StatusAsync()
    {
        using HttpRequestMessage request = new(HttpMethod.Get, new Uri(LoopbackAddress, "/api/status"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        using HttpResponseMessage response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the status, or fails with the last one.</summary>
    public async Task<JsonElement> WaitForStatusAsync(Func<JsonElement, bool> condition, TimeSpan timeout, string what)
    {
        DateTime end = DateTime.UtcNow + timeout;
        JsonElement status = default;
        while (DateTime.UtcNow < end)
        {
            try
            {
                status = await StatusAsync();
                if (condition(status))
                {
                    return status;
                }
            }
            catch (HttpRequestException)
            {
                // the run is starting
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"timed out waiting for {what}; last status: {status}\n{Output}");
    }

    public static double Number(JsonElement status, params string[] path)
    {
        JsonElement e = status;
        foreach (string p in path)
        {
            e = e.GetProperty(p);
        }

        return e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.Parse(e.GetString()!, CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        Http.Dispose();
        _process.Signal("TERM");
        try
        {
            _process.WaitForExit(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
        Directory.Dispose();
    }

    [GeneratedRegex(@"Tuning page on (?<url>http://\S+/)")]
    private static partial Regex PageAddress();
}
