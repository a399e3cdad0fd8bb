using System.Net;
using IolaEdge.Daemon.Configuration;
using Microsoft.Extensions.Options;

namespace IolaEdge.Daemon.Web;

/// <summary>The tuning page (configuration section <c>Web</c>; docs/web.md).</summary>
internal sealed class WebOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Web";

    /// <summary>Serve the page (default false; the installed configuration turns it on).</summary>
    public bool Enabled { get; set; }

    /// <summary>Address and port to listen on (default <c>127.0.0.1:8080</c>; port 0 picks a free one). Any non-loopback address requires the token on every request.</summary>
    public string Listen { get; set; } = "127.0.0.1:8080";

    /// <summary>The access token (at least 16 characters); empty: read <see cref="TokenFile"/>, or generate one there at first start and print it once.</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>Where a generated token is kept (mode 0600); empty: <c>$STATE_DIRECTORY/web-token</c>, else <c>~/.local/state/iolaedge/web-token</c>.</summary>
    public string TokenFile { get; set; } = string.Empty;

    /// <summary>Frames per second sent to each open page, 1..60 (default 30: at least 20 reach a page on a busy machine).</summary>
    public int FramesPerSecond { get; set; } = 30;

    /// <summary>Frames a page may fall behind before its oldest are dropped (and counted), 1..1024 (default 32).</summary>
    public int ClientQueueFrames { get; set; } = 32;

    /// <summary>The <see cref="Listen"/> endpoint (validated at start).</summary>
    public IPEndPoint Endpoint => IPEndPoint.Parse(Listen);

    /// <summary>The effective token file path.</summary>
    public string EffectiveTokenFile
    {
        get
        {
            if (TokenFile.Length > 0)
            {
                return Path.GetFullPath(TokenFile);
            }

            return StatePaths.Default("web-token");
        }
    }
}

/// <summary>Validates <see cref="WebOptions"/> at start.</summary>
internal sealed class WebOptionsValidator : IValidateOptions<WebOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        ConfigurationProblems problems = new();
        if (!IPEndPoint.TryParse(options.Listen, out IPEndPoint? endpoint) || endpoint.Port is < 0 or > 65535 || !options.Listen.Contains(':', StringComparison.Ordinal))
        {
            problems.Add("Web:Listen", options.Listen, "ADDRESS:PORT, e.g. 127.0.0.1:8080, 0.0.0.0:8080 or [::]:8080");
        }

        if (options.Token.Length is > 0 and < 16)
        {
            problems.Add("Web:Token", "(hidden)", "empty (generated) or at least 16 characters");
        }

        problems.RequireRange("Web:FramesPerSecond", options.FramesPerSecond, 1, 60);
        problems.RequireRange("Web:ClientQueueFrames", options.ClientQueueFrames, 1, 1024);
        return problems.ToResult();
    }
}
