using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Web.Tests.Support;

namespace IolaEdge.Web.Tests;

/// <summary>The same changes without a browser: the control socket of the real daemon replaying the bundled walk.</summary>
[Trait("Category", "Slow")]
public sealed class ControlSocketTuningTests
{
    [Fact]
    public async Task Set_get_and_save_on_the_control_socket_change_the_running_session()
    {
        string socketPath = Path.Combine(Path.GetTempPath(), $"iolaedge-web-{Guid.NewGuid():N}.sock");
        using PageDaemon daemon = PageDaemon.Start(configJson: "{}", extra: ["--control-socket", socketPath]);
        await using ControlLine control = await ControlLine.ConnectAsync(socketPath, () => daemon.Output);
        Task<string> Ask(string line) => control.SendAsync(line);

        Assert.Equal("ok Detector:Gate:MinIntervalMs = 1200", await Ask("set Detector:Gate:MinIntervalMs=1200"));
        Assert.Equal(1200, PageDaemon.Number(await daemon.StatusAsync(), "gate", "minIntervalMs"));
        Assert.Equal("ok 1200", await Ask("get Detector:Gate:MinIntervalMs"));
        Assert.StartsWith("error Midi:Mapping:Default:Channel = 17", await Ask("set Midi:Mapping:Default:Channel=17"), StringComparison.Ordinal);
        Assert.StartsWith("error marks need a recording", await Ask("mark"), StringComparison.Ordinal);
        Assert.StartsWith("run samples=", await Ask("status"), StringComparison.Ordinal);
        Assert.StartsWith("ok saved 1 setting(s) to " + daemon.ConfigFile, await Ask("save"), StringComparison.Ordinal);
        Assert.Contains("\"MinIntervalMs\": 1200", await File.ReadAllTextAsync(daemon.ConfigFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Presets_saved_on_the_control_socket_survive_a_restart_and_a_corrupt_file_does_not_stop_the_daemon()
    {
        using TempDirectory state = new();
        string presets = state.File("presets.json");
        string socketPath = Path.Combine(Path.GetTempPath(), $"iolaedge-web-{Guid.NewGuid():N}");
        using (PageDaemon first = PageDaemon.Start("127.0.0.1:0", "{}", "--control-socket", socketPath + "-1.sock", "--set", $"Midi:PresetsFile={presets}"))
        {
            await using ControlLine control = await ControlLine.ConnectAsync(socketPath + "-1.sock", () => first.Output);
            // The example of docs/web.md, "Without a browser".
            Assert.Equal($"ok preset walk-1 saved: 40 setting(s) in {presets}", await control.SendAsync("preset save walk-1"));
            Assert.Equal("ok Midi:Mapping:Default:Note = 50", await control.SendAsync("set Midi:Mapping:Default:Note=50"));
            Assert.Equal("ok preset walk-1: 1 setting(s) changed: Midi:Mapping:Default:Note = 60", await control.SendAsync("preset walk-1"));
            Assert.Equal("error preset name 'drum' is a built-in preset and cannot be overwritten; choose another name", await control.SendAsync("preset save drum"));
            Assert.Equal("ok preset clock-only: Midi:Mapping:SendNotes = false, Midi:Mapping:Clock:Enabled = true", await control.SendAsync("preset clock-only"));
            Assert.Equal($"ok preset clock-walk saved: 40 setting(s) in {presets} (previous file kept as {presets}.bak)", await control.SendAsync("preset save clock-walk"));
        }

        // A restart: both presets are there, and clock-walk brings the clock-only mapping back.
        using (PageDaemon second = PageDaemon.Start("127.0.0.1:0", "{}", "--control-socket", socketPath + "-2.sock", "--set", $"Midi:PresetsFile={presets}"))
        {
            await using ControlLine control = await ControlLine.ConnectAsync(socketPath + "-2.sock", () => second.Output);
            Assert.Equal($"ok built-in: drum, melodic, clock-only; saved: clock-walk, walk-1 ({presets})", await control.SendAsync("preset list"));
            Assert.Equal("ok preset clock-walk: 2 setting(s) changed: Midi:Mapping:Clock:Enabled = true, Midi:Mapping:SendNotes = false", await control.SendAsync("preset clock-walk"));
            Assert.Equal("ok false", await control.SendAsync("get Midi:Mapping:SendNotes"));
        }

        // A corrupt file: one warning naming it, the daemon runs, built-in presets work, saving is refused.
        await File.WriteAllTextAsync(presets, "{ \"presets\": [ ");
        using (PageDaemon third = PageDaemon.Start("127.0.0.1:0", "{}", "--control-socket", socketPath + "-3.sock", "--set", $"Midi:PresetsFile={presets}"))
        {
            await using ControlLine control = await ControlLine.ConnectAsync(socketPath + "-3.sock", () => third.Output);
            Assert.StartsWith("ok preset drum: ", await control.SendAsync("preset drum"), StringComparison.Ordinal);
            Assert.StartsWith($"error preset x not saved: presets file {presets} cannot be read: ", await control.SendAsync("preset save x"), StringComparison.Ordinal);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(third.Output, $@"\[WRN\] presets file {System.Text.RegularExpressions.Regex.Escape(presets)} cannot be read: "));
            Assert.Equal("{ \"presets\": [ ", await File.ReadAllTextAsync(presets));
        }
    }
}
