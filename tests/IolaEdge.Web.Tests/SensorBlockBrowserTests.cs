using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IolaEdge.Bluetooth.Tests.Support;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Web.Tests.Support;
using Microsoft.Playwright;

namespace IolaEdge.Web.Tests;

/// <summary>
/// The page's per-sensor block (link state, battery) in a real browser against the real daemon: replaying the
/// bundled walk (no link: the source kind shows), and streaming from the BlueZ rig's fake MetaWear board (link state,
/// the board's battery, the low-battery and lost-link warnings, and the same figures on <c>/metrics</c>).
/// </summary>
[Trait("Category", "Peer")]
[Trait("Category", "Slow")]
public sealed class SensorBlockBrowserTests : BrowserTest
{
    private const string Mac = "F1:2B:3C:4D:5E:71";
    [Fact]
    public async Task A_replay_shows_its_source_kind_instead_of_a_link_state()
    {
        using PageDaemon daemon = PageDaemon.Start();
        IPage page = await OpenAsync(daemon);

        await page.WaitForSelectorAsync("#sensors .sensor[data-sensor='0'] .link", new PageWaitForSelectorOptions { Timeout = 20_000 });
        Assert.Equal("replayed CSV", await page.TextContentAsync("#sensors .sensor[data-sensor='0'] .link"));
        Assert.Equal("no BLE link, no battery", await page.TextContentAsync("#sensors .sensor[data-sensor='0'] .battery"));
        Assert.Equal(0, await page.Locator("#sensors .sensor.warn").CountAsync());

        JsonElement status = await daemon.StatusAsync();
        Assert.Equal("replay", status.GetProperty("sourceKind").GetString());
        Assert.Equal(0, status.GetProperty("sensors").GetArrayLength());
    }

    [Fact]
    public async Task The_midi_port_state_shows_and_a_port_that_does_not_open_is_marked_failing()
    {
        // A raw MIDI device that is not there: the supervisor keeps retrying, the page and /metrics say so.
        using TempDirectory missing = new();
        string device = Path.Combine(missing.Path, "midiC9D0");
        using PageDaemon daemon = PageDaemon.Start("127.0.0.1:0", "{}", "--midi", "raw", "--midi-device", device);
        IPage page = await OpenAsync(daemon);

        string row = $"#components .component[data-component='MIDI raw:{device}']";
        await page.WaitForSelectorAsync(row + ".failing", new PageWaitForSelectorOptions { Timeout = 20_000 });
        Assert.StartsWith("not open: ", await page.TextContentAsync(row + " span"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#components .component[data-component='real-time scheduling']").CountAsync());

        JsonElement midi = (await daemon.StatusAsync()).GetProperty("components").EnumerateArray()
            .Single(c => c.GetProperty("component").GetString() == $"MIDI raw:{device}");
        Assert.Equal("failing", midi.GetProperty("level").GetString());
        string metrics = await daemon.Http.GetStringAsync(new Uri(daemon.Address, "/metrics"));
        Assert.Contains($"iolaedge_component_state{{component=\"MIDI raw:{device}\",level=\"failing\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"iolaedge_component_state{{component=\"MIDI raw:{device}\",level=\"ok\"}} 0", metrics, StringComparison.Ordinal);

        // The device appears (a FIFO with a reader): the supervisor opens it and the row turns ok.
        using (System.Diagnostics.Process mkfifo = System.Diagnostics.Process.Start("mkfifo", device))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Opened read-write a FIFO never blocks and counts as its reader; the run's few notes fit its buffer.
        using FileStream reader = new(device, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
        await page.WaitForSelectorAsync(row + ".ok", new PageWaitForSelectorOptions { Timeout = 20_000 });
        Assert.StartsWith("open", await page.TextContentAsync(row + " span"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ble_sensor_shows_its_link_state_and_the_boards_battery_and_warns_when_low_or_lost()
    {
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, Walk.Generate(16_000)), intervalMs: 5, battery: "15:3550");
        Dictionary<string, string> environment = new() { ["DBUS_SYSTEM_BUS_ADDRESS"] = rig.Address };
        using PageDaemon daemon = PageDaemon.Start("127.0.0.1:0", "{}", environment, "--source", $"ble:left={Mac}");
        IPage page = await OpenAsync(daemon);

        // Streaming, with the board's battery (15 %, 3.55 V): low, so the sensor is in the warning colour.
        const string row = "#sensors .sensor[data-sensor='0']";
        await page.WaitForFunctionAsync(
            "() => document.querySelector(\"#sensors .sensor[data-sensor='0'] .battery\")?.textContent.startsWith('battery 15 %')", null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        Assert.Equal("left", await page.TextContentAsync(row + " b"));
        Assert.Equal("streaming", await page.TextContentAsync(row + " .link"));
        Assert.Matches(@"^battery 15 % · 3\.55 V · \d+ s ago$", await page.TextContentAsync(row + " .battery"));
        Assert.Equal(1, await page.Locator(row + ".warn .battery.low").CountAsync());
        Assert.Equal(0, await page.Locator(row + " .link.lost").CountAsync());

        JsonElement sensor = (await daemon.StatusAsync()).GetProperty("sensors")[0];
        Assert.Equal(("streaming", 15, 3.55, true), (sensor.GetProperty("link").GetString(), sensor.GetProperty("batteryPercent").GetInt32(),
            sensor.GetProperty("batteryVolts").GetDouble(), sensor.GetProperty("batteryLow").GetBoolean()));

        // The same on /metrics.
        string metrics = await daemon.Http.GetStringAsync(new Uri(daemon.Address, "/metrics"));
        Assert.Equal(15, Value(metrics, "iolaedge_ble_battery_percent{sensor=\"0\",name=\"left\"}"));
        Assert.Equal(3.55, Value(metrics, "iolaedge_ble_battery_volts{sensor=\"0\",name=\"left\"}"), 6);
        Assert.Equal(1, Value(metrics, "iolaedge_ble_link_state{sensor=\"0\",name=\"left\",state=\"streaming\"}"));
        Assert.Equal(0, Value(metrics, "iolaedge_ble_link_state{sensor=\"0\",name=\"left\",state=\"lost\"}"));

        // The daemon warned once about the battery (log; STATUS= carries it with the rate).
        const string lowWarning = "[WRN] BLE: every sensor streaming; battery below 20 %: left";
        for (int i = 0; i < 100 && !daemon.Output.Contains(lowWarning, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100); // the health monitor polls once a second
        }

        Assert.Single(Regex.Matches(daemon.Output, Regex.Escape(lowWarning)));

        // The sensor goes out of range: the link shows as lost, in the warning colour, the last battery reading kept with its age.
        rig.RemoveDevice(Mac);
        await page.WaitForSelectorAsync(row + " .link.lost", new PageWaitForSelectorOptions { Timeout = 20_000 });
        Assert.Equal("lost", await page.TextContentAsync(row + " .link"));
        Assert.Equal(1, await page.Locator(row + ".warn").CountAsync());
        Assert.StartsWith("battery 15 %", await page.TextContentAsync(row + " .battery"), StringComparison.Ordinal);
        metrics = await daemon.Http.GetStringAsync(new Uri(daemon.Address, "/metrics"));
        Assert.Equal(1, Value(metrics, "iolaedge_ble_link_state{sensor=\"0\",name=\"left\",state=\"lost\"}"));
        Assert.Equal(1, Value(metrics, "iolaedge_ble_link_losses_total{sensor=\"0\",name=\"left\"}"));

        // The log and the BLE component (STATUS=) name the state after the loss with the words the page and /metrics use.
        const string lostLine = "[WRN] BLE sensor 0 left: retrying: link lost: ";
        for (int i = 0; i < 100 && !daemon.Output.Contains(lostLine, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        Assert.Contains(lostLine, daemon.Output, StringComparison.Ordinal);
        await page.WaitForFunctionAsync(
            "() => /^left (retrying|scanning|connecting|configuring)$/.test(document.querySelector(\"#components .component[data-component='BLE'] span\")?.textContent ?? '')",
            null, new PageWaitForFunctionOptions { Timeout = 20_000 });

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "web-ui-sensors.png"), FullPage = true });
    }

    [Fact]
    public async Task A_board_that_does_not_answer_the_battery_read_shows_it_unknown_not_as_an_error()
    {
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, Walk.Generate(16_000)), intervalMs: 5, battery: "off");
        Dictionary<string, string> environment = new() { ["DBUS_SYSTEM_BUS_ADDRESS"] = rig.Address };
        using PageDaemon daemon = PageDaemon.Start("127.0.0.1:0", "{}", environment, "--source", $"ble:{Mac},battery=1");

        // Each unanswered read waits for the response timeout (5 s).
        JsonElement status = await daemon.WaitForStatusAsync(
            s => s.GetProperty("sensors")[0].GetProperty("batteryNote").GetString()?.StartsWith("the board did not answer", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(40), "an unanswered battery read");
        JsonElement sensor = status.GetProperty("sensors")[0];
        Assert.Equal("streaming", sensor.GetProperty("link").GetString());
        Assert.Equal(JsonValueKind.Null, sensor.GetProperty("batteryPercent").ValueKind);
        Assert.False(sensor.GetProperty("warning").GetBoolean());
        Assert.Equal(JsonValueKind.Null, sensor.GetProperty("lastError").ValueKind);

        IPage page = await OpenAsync(daemon);
        await page.WaitForSelectorAsync("#sensors .sensor[data-sensor='0'] .battery", new PageWaitForSelectorOptions { Timeout = 20_000 });
        Assert.StartsWith("battery unknown (the board did not answer", await page.TextContentAsync("#sensors .sensor[data-sensor='0'] .battery"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#sensors .sensor.warn").CountAsync());
        string metrics = await daemon.Http.GetStringAsync(new Uri(daemon.Address, "/metrics"));
        Assert.DoesNotContain("iolaedge_ble_battery_percent{", metrics, StringComparison.Ordinal); // absent while unknown
    }

    private async Task<IPage> OpenAsync(PageDaemon daemon)
    {
        IPage page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 } });
        await page.GotoAsync(daemon.Address.ToString() + "?token=" + PageDaemon.Token);
        return page;
    }

    private static double Value(string exposition, string series)
    {
        Match m = Regex.Match(exposition, "^" + Regex.Escape(series) + " (\\S+)$", RegexOptions.Multiline);
        Assert.True(m.Success, $"{series} not in:\n{exposition}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
