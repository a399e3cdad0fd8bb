using System.Net;
using System.Text.Json;
using IolaEdge.Web.Tests.Support;
using Microsoft.Playwright;

namespace IolaEdge.Web.Tests;

/// <summary>
/// The tuning page in a real browser (Debian's headless Chromium via Playwright) against the real daemon
/// replaying the bundled walk in real time.
/// </summary>
[Trait("Category", "Peer")]
[Trait("Category", "Slow")]
public sealed class TuningPageBrowserTests : BrowserTest
{
    [Fact]
    public async Task The_scope_updates_at_20_frames_per_second_and_draws_the_detections()
    {
        using PageDaemon daemon = PageDaemon.Start();
        IPage page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 } });
        List<string> errors = [];
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };
        await page.GotoAsync(daemon.Address.ToString() + "?token=" + PageDaemon.Token);

        await page.WaitForFunctionAsync("() => window.iolaedge.frames >= 5", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        double t0 = await page.EvaluateAsync<double>("() => performance.now()");
        int f0 = await page.EvaluateAsync<int>("() => window.iolaedge.frames");
        await page.WaitForTimeoutAsync(3000);
        double t1 = await page.EvaluateAsync<double>("() => performance.now()");
        int f1 = await page.EvaluateAsync<int>("() => window.iolaedge.frames");
        double fps = (f1 - f0) / ((t1 - t0) / 1000);
        Assert.True(fps >= 20, $"the page got {fps:0.0} frames/s");

        // The scope holds samples of sensor 0, and detections arrive and are counted in the figures.
        await page.WaitForFunctionAsync("() => window.iolaedge.detections.length >= 2", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        int points = await page.EvaluateAsync<int>("() => window.iolaedge.sensors.get(0).t.length");
        Assert.True(points > 200, $"the scope holds {points} samples");
        int shown = int.Parse(await page.TextContentAsync("#footfalls") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(shown >= 2, $"the page shows {shown} footfalls");
        // Something was drawn on the canvas.
        bool drawn = await page.EvaluateAsync<bool>(
            "() => { const c = document.getElementById('scope'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true; return false; }");
        Assert.True(drawn);
        Assert.Empty(errors);

        // The bundled walk has no gyroscope: its |ω| channel is all null and neither drawn nor named.
        Assert.True(await page.EvaluateAsync<bool>("() => window.iolaedge.sensors.get(0).v[1].every((v) => v === null)"));
        Assert.DoesNotContain("|ω|", await page.TextContentAsync("#legend") ?? string.Empty, StringComparison.Ordinal);

        string shot = Path.Combine(AppContext.BaseDirectory, "web-ui.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 10_000);
    }

    [Fact]
    public async Task The_scope_draws_the_gyroscope_beside_the_acceleration_when_the_sensor_streams_it()
    {
        using PageDaemon daemon = PageDaemon.Start("127.0.0.1:0", "{}", "--source", "sim:seed=5,minutes=2,gyro=on");
        IPage page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 } });
        await page.GotoAsync(daemon.Address.ToString() + "?token=" + PageDaemon.Token);

        // A walking foot swings at several hundred °/s.
        await page.WaitForFunctionAsync("() => window.iolaedge.sensors.get(0)?.v[1].some((v) => v !== null && v > 100)", null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        await page.WaitForFunctionAsync("() => document.getElementById('legend').textContent.includes('|ω| (°/s)')", null,
            new PageWaitForFunctionOptions { Timeout = 5_000 });
        Assert.Contains("|a| (g)", await page.TextContentAsync("#legend") ?? string.Empty, StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "web-ui-gyro.png"), FullPage = true });
    }

    [Fact]
    public async Task Moving_a_slider_changes_the_running_gate_and_detector()
    {
        using PageDaemon daemon = PageDaemon.Start();
        IPage page = await Browser.NewPageAsync();
        await page.GotoAsync(daemon.Address.ToString() + "?token=" + PageDaemon.Token);
        await page.WaitForSelectorAsync("input[type=range][name='Detector:Gate:MinIntervalMs']", new PageWaitForSelectorOptions { Timeout = 20_000 });

        // Footfalls flow at the walk's pace…
        JsonElement before = await daemon.WaitForStatusAsync(s => PageDaemon.Number(s, "footfalls") >= 3, TimeSpan.FromSeconds(30), "three footfalls");

        // …until the refractory interval is moved to its maximum: then at most one per 5 s.
        await page.FillAsync("input[type=range][name='Detector:Gate:MinIntervalMs']", "5000");
        await page.WaitForFunctionAsync("() => document.getElementById('message').textContent.includes('MinIntervalMs = 5000')");
        JsonElement changed = await daemon.WaitForStatusAsync(s => PageDaemon.Number(s, "gate", "minIntervalMs") == 5000, TimeSpan.FromSeconds(5), "the gate change");
        double footfallsAtChange = PageDaemon.Number(changed, "footfalls");
        await Task.Delay(6000);
        JsonElement after = await daemon.StatusAsync();
        double during = PageDaemon.Number(after, "footfalls") - footfallsAtChange;
        Assert.True(during <= 2, $"{during} footfalls in 6 s with a 5 s refractory interval (before: {before})");
        Assert.True(PageDaemon.Number(after, "samples") > PageDaemon.Number(changed, "samples"), "the run went on");

        // A detector key goes to the pipeline thread, which applies it before its next sample.
        await page.Locator("details").Nth(1).Locator("summary").ClickAsync();
        await page.FillAsync("input[type=range][name='Detector:Dsp:TriggerFraction']", "0.5");
        await daemon.WaitForStatusAsync(s => PageDaemon.Number(s, "detectorChangesApplied") >= 1, TimeSpan.FromSeconds(5), "the detector change applied");
        Assert.Contains("Detector:Dsp:TriggerFraction", (await daemon.StatusAsync()).GetProperty("unsaved").ToString());
    }

    [Fact]
    public async Task A_bad_value_shows_the_error_naming_the_key_and_changes_nothing()
    {
        using PageDaemon daemon = PageDaemon.Start();
        IPage page = await Browser.NewPageAsync();
        await page.GotoAsync(daemon.Address.ToString() + "?token=" + PageDaemon.Token);
        ILocator field = page.Locator("input[type=number][name='Detector:Gate:SampleThreshold']");
        await field.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });

        await field.FillAsync("7");
        await field.DispatchEventAsync("change");
        ILocator message = page.Locator("#message.error");
        await message.WaitForAsync();
        string text = await message.TextContentAsync() ?? "";
        Assert.Contains("Detector:Gate:SampleThreshold", text, StringComparison.Ordinal);
        Assert.Contains("'7' is not valid", text, StringComparison.Ordinal);
        Assert.Equal(1, PageDaemon.Number(await daemon.StatusAsync(), "gate", "sampleThreshold"));

        // A preset changes several mapping keys at once, and the fields follow.
        await page.SelectOptionAsync("#preset", "drum");
        await page.ClickAsync("#preset-apply");
        await page.WaitForFunctionAsync("() => document.getElementById('message').textContent.startsWith('preset drum')");
        await page.WaitForFunctionAsync("() => document.querySelector(\"input[type=number][name='Midi:Mapping:Default:Note']\")?.value === '36'");
    }

    [Fact]
    public async Task Save_writes_the_changed_keys_to_the_start_file_and_keeps_the_previous_one()
    {
        const string original = "{ \"Midi\": { \"Mapping\": { \"Default\": { \"Note\": 60 } } } }";
        using PageDaemon daemon = PageDaemon.Start(configJson: original);
        IPage page = await Browser.NewPageAsync();
        ILocator note = await OpenWithEveryGroupUnfoldedAsync(page, daemon);
        await note.FillAsync("36");
        await note.DispatchEventAsync("change");
        await page.WaitForFunctionAsync("() => document.getElementById('message').textContent.includes('Note = 36')");
        await page.ClickAsync("#save");

        // Wait for the save's reply, whatever it says, so that a refusal fails with its text rather than a timeout.
        await page.WaitForFunctionAsync("() => !document.getElementById('message').textContent.includes('Note = 36')");
        Assert.StartsWith("saved", await page.Locator("#message").TextContentAsync() ?? "", StringComparison.Ordinal);

        using JsonDocument saved = JsonDocument.Parse(await File.ReadAllTextAsync(daemon.ConfigFile));
        Assert.Equal(36, saved.RootElement.GetProperty("Midi").GetProperty("Mapping").GetProperty("Default").GetProperty("Note").GetInt32());
        Assert.Equal(original, await File.ReadAllTextAsync(daemon.ConfigFile + ".bak"));
    }

    [Fact]
    public async Task A_value_typed_and_saved_without_leaving_its_field_is_in_force_before_the_save_writes_the_file()
    {
        const string original = "{ \"Midi\": { \"Mapping\": { \"Default\": { \"Note\": 60 } } } }";
        using PageDaemon daemon = PageDaemon.Start(configJson: original);
        IPage page = await Browser.NewPageAsync();
        // A slow answer to the field's change: without ordering, the save would overtake it and write the old note.
        await page.RouteAsync("**/api/settings", async route =>
        {
            if (route.Request.Method == "POST")
            {
                await Task.Delay(400);
            }

            await route.ContinueAsync();
        });
        ILocator note = await OpenWithEveryGroupUnfoldedAsync(page, daemon);

        // Typed, then Save clicked: the field's change fires as Save takes the focus, just before the click.
        await note.FillAsync("36");
        IResponse save = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#save"), r => r.Url.EndsWith("/api/save", StringComparison.Ordinal));
        Assert.StartsWith("saved 1 setting(s)", (await save.JsonAsync())?.GetProperty("message").GetString() ?? "", StringComparison.Ordinal);
        using JsonDocument saved = JsonDocument.Parse(await File.ReadAllTextAsync(daemon.ConfigFile));
        Assert.Equal(36, saved.RootElement.GetProperty("Midi").GetProperty("Mapping").GetProperty("Default").GetProperty("Note").GetInt32());

        // The save's reply is the message that stays, and nothing is left unsaved.
        await page.WaitForFunctionAsync("() => document.getElementById('message').textContent.startsWith('saved')");
        await page.WaitForTimeoutAsync(500);
        Assert.StartsWith("saved", await page.Locator("#message").TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Empty((await daemon.StatusAsync()).GetProperty("unsaved").EnumerateArray());
    }

    [Fact]
    public async Task Listening_beyond_loopback_every_request_needs_the_token()
    {
        using PageDaemon daemon = PageDaemon.Start(listen: "0.0.0.0:0");
        Uri page = daemon.LoopbackAddress;

        // Without the token: refused, page and stream alike.
        foreach (string path in new[] { "/", "/api/status", "/api/stream", "/api/settings" })
        {
            using HttpResponseMessage refused = await daemon.Http.GetAsync(new Uri(page, path));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        IPage browserPage = await Browser.NewPageAsync();
        IResponse? first = await browserPage.GotoAsync(page.ToString());
        Assert.Equal(401, first!.Status);
        Assert.Contains("token required", await browserPage.ContentAsync(), StringComparison.Ordinal);

        // With it, the page works: the cookie carries the token to the stream.
        await browserPage.GotoAsync(page + "?token=" + PageDaemon.Token);
        await browserPage.WaitForFunctionAsync("() => window.iolaedge.frames >= 3", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        Assert.DoesNotContain("token=", browserPage.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_from_another_origin_is_refused_even_with_the_token()
    {
        using PageDaemon daemon = PageDaemon.Start();
        using HttpRequestMessage request = new(HttpMethod.Post, new Uri(daemon.Address, "/api/settings"))
        {
            Content = JsonContent("{\"key\":\"Detector:Gate:MinIntervalMs\",\"value\":\"900\"}"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PageDaemon.Token);
        request.Headers.Add("Origin", "http://evil.example");
        using HttpResponseMessage response = await daemon.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        using HttpResponseMessage noToken = await daemon.Http.PostAsync(new Uri(daemon.Address, "/api/save"), null);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(250, PageDaemon.Number(await daemon.StatusAsync(), "gate", "minIntervalMs"));
    }

    // Loads the page, waits for its settings and unfolds every group; returns the default mapping's note field.
    private static async Task<ILocator> OpenWithEveryGroupUnfoldedAsync(IPage page, PageDaemon daemon)
    {
        await page.GotoAsync(daemon.Address.ToString() + "?token=" + PageDaemon.Token);
        ILocator note = page.Locator("input[type=number][name='Midi:Mapping:Default:Note']");
        await note.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 20_000 });
        await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)");
        return note;
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
