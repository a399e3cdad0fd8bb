using Microsoft.Playwright;

namespace IolaEdge.Web.Tests.Support;

/// <summary>Debian's headless Chromium driven by Playwright (no browser download; scripts/deps/web.apt installs it).</summary>
internal static class Browser
{
    public const string ChromiumPath = "/usr/lib/chromium/chromium-headless-shell";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/install-deps.sh (package chromium-headless-shell)");
        }

        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        return (playwright, browser);
    }
}
