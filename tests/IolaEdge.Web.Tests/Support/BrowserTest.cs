using Microsoft.Playwright;

namespace IolaEdge.Web.Tests.Support;

/// <summary>A test class with its own headless Chromium, launched before its tests and closed after them.</summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private IPlaywright _playwright = null!;

    /// <summary>The browser (Debian's chromium-headless-shell).</summary>
    protected IBrowser Browser { get; private set; } = null!;

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        (IPlaywright playwright, IBrowser browser) = await Support.Browser.LaunchAsync();
        _playwright = playwright;
        Browser = browser;
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
