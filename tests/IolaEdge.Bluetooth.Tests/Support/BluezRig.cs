using System.Diagnostics;
using System.Text.Json;

namespace IolaEdge.Bluetooth.Tests.Support;

/// <summary>
/// A private system bus (dbus-daemon from a config file in a temp dir, address read from its
/// output) with BlueZ's API served by python3-dbusmock's bluez5 template, plus the fake MetaWear
/// controller (<c>fake_metawear.py</c>). Kills its processes by pid and deletes the temp dir on dispose.
/// </summary>
public sealed class BluezRig : IDisposable
{
    private const string Python = "/usr/bin/python3"; // Debian's: the pyenv one on PATH cannot see dbusmock
    private readonly string _dir;
    private readonly int _daemonPid;
    private Process? _mock;

    private BluezRig(string dir, string address, int daemonPid)
    {
        _dir = dir;
        Address = address;
        _daemonPid = daemonPid;
    }

    /// <summary>Bus address (unix:path=…,guid=…).</summary>
    public string Address { get; }

    /// <summary>Temp dir of this rig (walk CSVs go here).</summary>
    public string Directory => _dir;

    public static BluezRig Start()
    {
        string dir = Path.Combine(Path.GetTempPath(), "iolaedge-bt-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(dir);
        string conf = Path.Combine(dir, "bus.conf");
        File.WriteAllText(conf, $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>system</type>
              <listen>unix:path={dir}/system_bus_socket</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
              </policy>
            </busconfig>
            """);
        var psi = new ProcessStartInfo("dbus-daemon", ["--config-file=" + conf, "--fork", "--nopidfile", "--print-address=1", "--print-pid=1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process p = Process.Start(psi)!;
        string address = p.StandardOutput.ReadLine() ?? throw new InvalidOperationException("dbus-daemon printed no address");
        int pid = int.Parse(p.StandardOutput.ReadLine() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        if (!p.WaitForExit(10_000) || p.ExitCode != 0 || pid == 0)
        {
            throw new InvalidOperationException("dbus-daemon failed: " + p.StandardError.ReadToEnd());
        }

        var rig = new BluezRig(dir, address, pid);
        try
        {
            rig.StartMock();
            return rig;
        }
        catch
        {
            rig.Dispose();
            throw;
        }
    }

    /// <summary>Starts (or restarts) the BlueZ mock; it owns org.bluez.</summary>
    public void StartMock()
    {
        var psi = new ProcessStartInfo(Python, ["-m", "dbusmock", "--system", "--template", "bluez5", "-l", Path.Combine(_dir, "mock.log")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["DBUS_SYSTEM_BUS_ADDRESS"] = Address;
        _mock = Process.Start(psi)!;
        _mock.OutputDataReceived += (_, _) => { };
        _mock.ErrorDataReceived += (_, _) => { };
        _mock.BeginOutputReadLine();
        _mock.BeginErrorReadLine();
        Run("wait");
    }

    /// <summary>Kills the mock: org.bluez loses its owner (as when bluetoothd stops).</summary>
    public void StopMock()
    {
        if (_mock is { HasExited: false })
        {
            _mock.Kill();
            _mock.WaitForExit(5000);
        }

        _mock?.Dispose();
        _mock = null;
    }

    /// <summary>Adds a MetaWear device (adapter hci0 created on first use) with its GATT objects.</summary>
    /// <param name="intervalMs">Tick of the board: one packet per tick, or with the packer+accounter chain one sample per tick (a notification every second one).</param>
    /// <param name="drop">What the board counts but never sends (lost over the air): walk indices with the single accounter, notification indices with the chain.</param>
    /// <param name="countStart">The board's count at its first output (the counter is a u32: near 2³² tests the wrap).</param>
    /// <param name="gyro">The board has a gyroscope (module 0x13: BMI160 on MMR, BMI270 on MMS); absent otherwise.</param>
    /// <param name="gyroDelay">Ticks between the gyroscope's start and its first sample.</param>
    /// <param name="gyroDrop">Gyroscope notification indices the board counts but never sends.</param>
    /// <param name="battery">The board's answer to the battery read <c>11 8c</c>: <c>PCT:MV</c> (default <c>100:4150</c>), <c>off</c> (never answers) or <c>hex:…</c> (a raw reply).</param>
    public void AddMetaWear(string address, string? walkCsv = null, string model = "MMR", int intervalMs = 15, int perTick = 1, string name = "MetaWear",
        IEnumerable<int>? drop = null, long countStart = 0, bool gyro = false, int gyroDelay = 0, IEnumerable<int>? gyroDrop = null, string battery = "100:4150") =>
        Run("setup", $"address={address}", $"walk={walkCsv ?? string.Empty}", $"model={model}", $"interval_ms={intervalMs}", $"per_tick={perTick}", $"name={name}",
            $"drop={string.Join(':', drop ?? [])}", $"count_start={countStart}", $"gyro={(gyro ? 1 : 0)}", $"gyro_delay={gyroDelay}",
            $"gdrop={string.Join(':', gyroDrop ?? [])}", $"battery={battery}");

    /// <summary>The board's gyroscope: notifications sent, dropped samples, samples taken, its config bytes, and the walk row of its first sample.</summary>
    public (long Sent, long Dropped, long Samples, int[] Config, long? Start) GyroscopeStats(string address)
    {
        using JsonDocument doc = JsonDocument.Parse(Run("stats", $"address={address}"));
        JsonElement r = doc.RootElement;
        JsonElement start = r.GetProperty("gstart");
        return (r.GetProperty("gsent").GetInt64(), r.GetProperty("gdropped").GetInt64(), r.GetProperty("gsamples").GetInt64(),
            r.GetProperty("gcfg").EnumerateArray().Select(e => e.GetInt32()).ToArray(), start.ValueKind == JsonValueKind.Null ? null : start.GetInt64());
    }

    /// <summary>Removes the device and its GATT objects (InterfacesRemoved), stopping the board.</summary>
    public void RemoveDevice(string address) => Run("remove", $"address={address}");

    /// <summary>Drops the link (Connected=false) but keeps the device object.</summary>
    public void DropLink(string address) => Run("disconnect", $"address={address}");

    /// <summary>Calls logged by the mock on the device, command or notify object: (method, args as text / hex bytes).</summary>
    public List<(string Method, string[] Args)> Calls(string address, string obj)
    {
        using JsonDocument doc = JsonDocument.Parse(Run("calls", $"address={address}", $"object={obj}"));
        var result = new List<(string, string[])>();
        foreach (JsonElement call in doc.RootElement.EnumerateArray())
        {
            string[] args = call[1].EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString()! : a.GetRawText()).ToArray();
            result.Add((call[0].GetString()!, args));
        }

        return result;
    }

    /// <summary>Hex of every WriteValue on the command characteristic, in order.</summary>
    public List<string> WrittenCommands(string address) =>
        Calls(address, "command").Where(c => c.Method == "WriteValue").Select(c => c.Args[0]).ToList();

    /// <summary>Board statistics: packets sent, samples taken (sent or dropped), CLOCK_MONOTONIC ns of each emit.</summary>
    public (long Packets, long Samples, long[] EmitNs) Stats(string address)
    {
        using JsonDocument doc = JsonDocument.Parse(Run("stats", $"address={address}"));
        JsonElement r = doc.RootElement;
        return (r.GetProperty("sent").GetInt64(), r.GetProperty("samples").GetInt64(), r.GetProperty("emit_ns").EnumerateArray().Select(e => e.GetInt64()).ToArray());
    }

    /// <summary>Battery reads (<c>11 8c</c>) the board received.</summary>
    public long BatteryReads(string address)
    {
        using JsonDocument doc = JsonDocument.Parse(Run("stats", $"address={address}"));
        return doc.RootElement.GetProperty("battery_reads").GetInt64();
    }

    /// <summary>Ids of the data processors the board holds (created and not yet removed).</summary>
    public int[] BoardProcessors(string address)
    {
        using JsonDocument doc = JsonDocument.Parse(Run("stats", $"address={address}"));
        return doc.RootElement.GetProperty("procs").EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }

    /// <summary>Runs the controller; returns its stdout; throws with stderr on failure.</summary>
    public string Run(params string[] args)
    {
        var psi = new ProcessStartInfo(Python, [Path.Combine(AppContext.BaseDirectory, "fake_metawear.py"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["DBUS_SYSTEM_BUS_ADDRESS"] = Address;
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000))
        {
            p.Kill();
            throw new TimeoutException($"fake_metawear.py {string.Join(' ', args)} timed out");
        }

        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"fake_metawear.py {string.Join(' ', args)} failed: {stderr.Result}");
        }

        return stdout.Result;
    }

    /// <summary>Kills the dbus-daemon: every client connection is reset.</summary>
    public void StopDaemon()
    {
        try
        {
            using Process daemon = Process.GetProcessById(_daemonPid);
            daemon.Kill();
            daemon.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        StopMock();
        StopDaemon();

        try
        {
            System.IO.Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
