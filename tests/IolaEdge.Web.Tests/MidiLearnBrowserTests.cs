using System.Net.Http.Json;
using System.Text.Json;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Midi.Tests.Support;
using IolaEdge.Web.Tests.Support;
using Microsoft.Playwright;

namespace IolaEdge.Web.Tests;

/// <summary>
/// MIDI learn from the page: a real browser clicks Learn, an independent python3-rtmidi "keyboard" on a real JACK server
/// (dummy driver) sends a Note On into the daemon's learn input, and the page's note field changes.
/// </summary>
[Collection(JackCollection.Name)]
[Trait("Category", "Peer")]
[Trait("Category", "Slow")]
public sealed class MidiLearnBrowserTests(JackServer jack) : BrowserTest
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    [Fact]
    public async Task Clicking_Learn_and_pressing_a_key_sets_the_note_field_and_a_learn_without_a_key_times_out_with_a_message()
    {
        jack.Start();
        Dictionary<string, string> environment = new() { ["JACK_DEFAULT_SERVER"] = jack.ServerName, ["JACK_NO_START_SERVER"] = "1" };
        using PageDaemon daemon = PageDaemon.Start("127.0.0.1:0", "{}", environment,
            "--set", "Midi:Learn:Backend=jack", "--set", "Midi:Learn:TimeoutSeconds=5");
        IPage page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        await page.GotoAsync(daemon.Address.ToString() + "?token=" + PageDaemon.Token);
        await page.WaitForSelectorAsync("button.learn[data-learn='Default']", new PageWaitForSelectorOptions { Timeout = 20_000, State = WaitForSelectorState.Attached });
        jack.WaitForPort("iolaedge-learn:in", s_wait);
        using JackPeer keys = JackPeer.Sender(jack.ServerName, "page-keys");
        jack.Connect("page-keys:out", "iolaedge-learn:in");
        Assert.True(await keys.SendUntilReadAsync(async () => (await daemon.Http.GetFromJsonAsync<JsonElement>(new Uri(daemon.LoopbackAddress, "/api/learn")))
            .GetProperty("messagesRead").GetInt64(), s_wait), $"no message reached the learn input in {s_wait.TotalSeconds} s; jackd: {jack.Log}\n{daemon.Output}");
        const string DefaultNote = "input[type=number][name='Midi:Mapping:Default:Note']";
        const string DefaultChannel = "input[type=number][name='Midi:Mapping:Default:Channel']";
        Assert.Equal("60", await page.InputValueAsync(DefaultNote));

        // A write like the others: no token, 401; a foreign page's Origin, 403, even with the token. Neither arms a learn.
        using (HttpResponseMessage noToken = await daemon.Http.PostAsync(new Uri(daemon.Address, "/api/learn"), LearnBody()))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, noToken.StatusCode);
        }

        using (HttpRequestMessage crossOrigin = new(HttpMethod.Post, new Uri(daemon.Address, "/api/learn")) { Content = LearnBody() })
        {
            crossOrigin.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PageDaemon.Token);
            crossOrigin.Headers.Add("Origin", "http://evil.example");
            using HttpResponseMessage refused = await daemon.Http.SendAsync(crossOrigin);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.DoesNotContain("MIDI learn armed", daemon.Output, StringComparison.Ordinal);

        await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)"); // the MIDI groups start folded
        await page.ClickAsync("button.learn[data-learn='Default']");
        Assert.True(SpinWait.SpinUntil(() => daemon.Output.Contains("MIDI learn armed for Midi:Mapping:Default", StringComparison.Ordinal), s_wait), daemon.Output);
        Assert.Equal("Cancel", await page.TextContentAsync("button.learn[data-learn='Default']"));
        await PressUntilPageAsync(page, daemon, () => keys.SendNoteOn(channel: 2, note: 38, velocity: 100),
            $"() => document.querySelector(\"{DefaultNote}\").value === '38'");
        Assert.Equal("2", await page.InputValueAsync(DefaultChannel));
        Assert.StartsWith("learned Midi:Mapping:Default:Note = 38, Midi:Mapping:Default:Channel = 2", await page.TextContentAsync("#message"), StringComparison.Ordinal);
        Assert.Equal("Learn", await page.TextContentAsync("button.learn[data-learn='Default']"));

        // No key pressed: the learn disarms after Midi:Learn:TimeoutSeconds and says so; the field keeps its note.
        await page.ClickAsync("button.learn[data-learn='Sensors:0']");
        await WaitForPageAsync(page, daemon, "() => document.getElementById('message').textContent.includes('timed out')");
        Assert.Equal("learn for Midi:Mapping:Sensors:0 timed out after 5 s: no Note On arrived on jack virtual input iolaedge-learn:in (open); nothing changed",
            await page.TextContentAsync("#message"));
        Assert.Equal("error", await page.GetAttributeAsync("#message", "class"));
        Assert.Equal("62", await page.InputValueAsync("input[type=number][name='Midi:Mapping:Sensors:0:Note']"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "web-learn.png"), FullPage = true });
    }

    // The key is pressed again while the page has not shown it, within the 5 s learn, as a player would: jackd runs without
    // real-time priority here, and a cycle it runs late can lose the one press (seen once, with the daemon's real-time threads busy).
    private static async Task PressUntilPageAsync(IPage page, PageDaemon daemon, Action press, string expression)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            press();
            try
            {
                await page.WaitForFunctionAsync(expression, null, new PageWaitForFunctionOptions { Timeout = 1_200 });
                return;
            }
            catch (TimeoutException)
            {
                // not shown yet: press again
            }
        }

        await WaitForPageAsync(page, daemon, expression);
    }

    // A learn that never ends is explained by the daemon's log (the learn port's state, the note read or not).
    private static async Task WaitForPageAsync(IPage page, PageDaemon daemon, string expression)
    {
        try
        {
            await page.WaitForFunctionAsync(expression, null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the page never got to {expression} (message: {await page.TextContentAsync("#message")}); the daemon's output:\n{daemon.Output}");
        }
    }

    private static StringContent LearnBody() => new("{\"sensor\":\"default\",\"seconds\":5}", System.Text.Encoding.UTF8, "application/json");
}
