using System.Net.Http.Json;
using System.Text.Json;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Web.Tests.Support;
using Microsoft.Playwright;

namespace IolaEdge.Web.Tests;

/// <summary>
/// Presets on the page in a real browser (Debian's headless Chromium via Playwright) against the real daemon replaying the
/// bundled walk: a user preset saved, a value changed, the preset applied and the value restored; bad names refused with
/// the line naming them; clock-only applied; a user preset deleted.
/// </summary>
[Trait("Category", "Peer")]
[Trait("Category", "Slow")]
public sealed class PresetsBrowserTests : BrowserTest
{
    private const string NoteField = "input[type=number][name='Midi:Mapping:Default:Note']";

    [Fact]
    public async Task A_saved_preset_restores_a_changed_value_and_clock_only_turns_the_notes_off_and_the_clock_on()
    {
        using TempDirectory state = new();
        string presetsFile = state.File("presets.json");
        using PageDaemon daemon = PageDaemon.Start("127.0.0.1:0", "{}", "--set", $"Midi:PresetsFile={presetsFile}");
        IPage page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        List<string> errors = [];
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.Contains("400", StringComparison.Ordinal))
            {
                errors.Add(m.Text); // a refused request (400) is an expected answer here
            }
        };
        await page.GotoAsync(daemon.Address.ToString() + "?token=" + PageDaemon.Token);
        await page.Locator(NoteField).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 20_000 });
        await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)");
        Assert.Equal(["drum", "melodic", "clock-only"], await page.Locator("#preset option").AllTextContentsAsync());
        Assert.True(await page.Locator("#preset-delete").IsDisabledAsync()); // built-in presets cannot be deleted

        await SetNoteAsync(page, "41");
        await page.FillAsync("#preset-name", "walk-1");
        await page.ClickAsync("#preset-save");
        await WaitForMessageAsync(page, "preset walk-1 saved: ");
        Assert.Equal("walk-1", await page.Locator("#preset optgroup[label=saved] option").TextContentAsync());
        Assert.Equal("walk-1", await page.InputValueAsync("#preset")); // the new preset is selected
        Assert.False(await page.Locator("#preset-delete").IsDisabledAsync());
        Assert.Contains(presetsFile, await page.TextContentAsync("#preset-file") ?? "", StringComparison.Ordinal);
        Assert.True(File.Exists(presetsFile));

        await SetNoteAsync(page, "50");
        await page.ClickAsync("#preset-apply");
        await WaitForMessageAsync(page, "preset walk-1: 1 setting(s) changed: Midi:Mapping:Default:Note = 41");
        await page.WaitForFunctionAsync($"() => document.querySelector(\"{NoteField}\").value === '41'");
        Assert.Equal("41", await SettingAsync(daemon, "Midi:Mapping:Default:Note")); // the run's mapping, not only the field

        // A name that is not allowed: the line names it, nothing is saved.
        await page.FillAsync("#preset-name", "drum");
        await page.ClickAsync("#preset-save");
        await page.Locator("#message.error").WaitForAsync();
        Assert.Equal("preset name 'drum' is a built-in preset and cannot be overwritten; choose another name", await page.TextContentAsync("#message"));
        await page.FillAsync("#preset-name", "my walk");
        await page.ClickAsync("#preset-save");
        await page.WaitForFunctionAsync("() => document.getElementById('message').textContent.startsWith(\"preset name 'my walk' is not valid\")");

        // Clock-only: the notes off, the clock on, in the page and in the run.
        await page.SelectOptionAsync("#preset", "clock-only");
        await page.ClickAsync("#preset-apply");
        await WaitForMessageAsync(page, "preset clock-only: Midi:Mapping:SendNotes = false, Midi:Mapping:Clock:Enabled = true");
        await page.WaitForFunctionAsync("() => !document.querySelector(\"input[type=checkbox][name='Midi:Mapping:SendNotes']\").checked");
        Assert.True(await page.IsCheckedAsync("input[type=checkbox][name='Midi:Mapping:Clock:Enabled']"));
        Assert.Equal("false", await SettingAsync(daemon, "Midi:Mapping:SendNotes"));
        Assert.Equal("true", await SettingAsync(daemon, "Midi:Mapping:Clock:Enabled"));

        // Delete the user preset: gone from the list and from the file.
        await page.SelectOptionAsync("#preset", "walk-1");
        await page.ClickAsync("#preset-delete");
        await WaitForMessageAsync(page, "preset walk-1 deleted from " + presetsFile);
        Assert.Equal(["drum", "melodic", "clock-only"], await page.Locator("#preset option").AllTextContentsAsync());
        using JsonDocument file = JsonDocument.Parse(await File.ReadAllTextAsync(presetsFile));
        Assert.Empty(file.RootElement.GetProperty("presets").EnumerateObject());
        Assert.Empty(errors);
    }

    private static async Task SetNoteAsync(IPage page, string value)
    {
        await page.FillAsync(NoteField, value);
        await page.DispatchEventAsync(NoteField, "change");
        await WaitForMessageAsync(page, $"Midi:Mapping:Default:Note = {value}");
    }

    private static Task WaitForMessageAsync(IPage page, string start) =>
        page.WaitForFunctionAsync("s => { const m = document.getElementById('message'); return m.className === 'ok' && m.textContent.startsWith(s); }", start);

    private static async Task<string?> SettingAsync(PageDaemon daemon, string key)
    {
        JsonElement settings = await daemon.Http.GetFromJsonAsync<JsonElement>(new Uri(daemon.LoopbackAddress, "/api/settings"));
        return settings.EnumerateArray().Single(s => s.GetProperty("key").GetString() == key).GetProperty("value").GetString();
    }
}
