using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IolaEdge.Midi.Tests.Support;

/// <summary>
/// A private headless JACK server (dummy backend, period 256) for the test process, started per
/// midi-platform.md §1: unique JACK_DEFAULT_SERVER, JACK_NO_START_SERVER=1, long options, readiness
/// by polling jack_lsp, kill and wait at teardown. Shared by the tests of <see cref="JackCollection"/>.
/// </summary>
public sealed partial class JackServer : IDisposable
{
    /// <summary>Every server's name starts so, followed by the test host's process id.</summary>
    public const string NamePrefix = "iola-test-";

    private readonly Queue<string> _log = new();
    private Process? _jackd;
    private long _lateCycles;

    public JackServer()
    {
        StopServersOfGoneHosts();
        ServerName = $"{NamePrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..32];
        NativeLibc.SetEnv("JACK_DEFAULT_SERVER", ServerName);
        NativeLibc.SetEnv("JACK_NO_START_SERVER", "1");
        Start();
    }

    public string ServerName { get; }

    public bool IsRunning => _jackd is { HasExited: false };

    /// <summary>The last lines jackd printed (for failure messages: a client kicked out, a server that stalled).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    /// <summary>
    /// Cycles in which jackd (not real-time here) reported a process error because a client had not finished: in such a
    /// cycle the MIDI events between two clients can be lost, on any JACK server that runs late.
    /// </summary>
    public long LateCycles => Interlocked.Read(ref _lateCycles);

    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        _jackd = Launch(ServerName, Keep);
        for (int i = 0; i < 200; i++)
        {
            if (Run("jack_lsp").ExitCode == 0)
            {
                return;
            }

            if (_jackd.HasExited)
            {
                // Its words say why (e.g. "Too many servers already active": servers of other names killed with SIGKILL
                // keep their entries in JACK's shared registry, which holds 8).
                _jackd.WaitForExit(); // the output read to its end
                throw new InvalidOperationException($"jackd exited with {_jackd.ExitCode} during start-up: {Log}");
            }

            Thread.Sleep(50);
        }

        Kill();
        throw new TimeoutException("jackd was not ready within 10 s");
    }

    /// <summary>SIGKILL (a crash), then wait for the process.</summary>
    public void Kill()
    {
        if (_jackd is null)
        {
            return;
        }

        if (!_jackd.HasExited)
        {
            _jackd.Kill();
            _jackd.WaitForExit(10_000);
        }

        _jackd.Dispose();
        _jackd = null;
    }

    /// <summary>SIGTERM (clean stop: removes its /dev/shm files), then wait.</summary>
    public void Stop()
    {
        if (_jackd is null)
        {
            return;
        }

        Terminate(_jackd);
        _jackd.Dispose();
        _jackd = null;
    }

    /// <summary>
    /// Stops the servers a crashed test host left behind: nothing ends a child with its parent, and an orphan spinning
    /// at its 5 ms period steals the CPU the next runs' servers need. A server is an orphan when the host whose id its
    /// name carries is gone; returns how many were stopped.
    /// </summary>
    public static int StopServersOfGoneHosts()
    {
        int stopped = 0;
        foreach (string process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                || ReadOrNull(Path.Combine(process, "comm"))?.Trim() != "jackd"
                || ReadOrNull(Path.Combine(process, "environ")) is not { } environment
                || HostOfServer().Match(environment) is not { Success: true } host
                || Directory.Exists($"/proc/{host.Groups["host"].Value}"))
            {
                continue;
            }

            try
            {
                using Process orphan = Process.GetProcessById(pid);
                Terminate(orphan);
                stopped++;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // gone meanwhile, or not ours to stop
            }
        }

        return stopped;
    }

    /// <summary>Lists JACK ports (jack_lsp).</summary>
    public IReadOnlyList<string> Ports()
    {
        (int code, string output) = Run("jack_lsp");
        return code == 0 ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
    }

    /// <summary>Connects two ports (jack_connect); throws with its output on failure.</summary>
    public void Connect(string source, string destination)
    {
        (int code, string output) = Run("jack_connect", source, destination);
        if (code != 0)
        {
            throw new InvalidOperationException($"jack_connect {source} {destination} failed ({code}): {output}; ports: {string.Join(", ", Ports())}");
        }
    }

    /// <summary>Waits until a port whose name ends with <paramref name="suffix"/> is listed; returns its full name.</summary>
    public string WaitForPort(string suffix, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            string? found = Ports().FirstOrDefault(p => p.EndsWith(suffix, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"JACK port *{suffix} did not appear; ports: {string.Join(", ", Ports())}");
    }

    /// <summary>Waits until no port is named <paramref name="name"/>.</summary>
    public void WaitForPortGone(string name, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (Ports().Contains(name))
        {
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"JACK port {name} is still listed");
            }

            Thread.Sleep(20);
        }
    }

    public void Dispose() => Stop();

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.Contains("Process error", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _lateCycles);
        }

        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > 200)
            {
                _log.Dequeue();
            }
        }
    }

    /// <summary>Starts <c>jackd</c> (dummy backend, no real-time) as server <paramref name="serverName"/>; each line it prints goes to <paramref name="output"/>.</summary>
    public static Process Launch(string serverName, Action<string?> output)
    {
        ProcessStartInfo info = new("jackd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "--no-realtime", "--port-max", "64", "-d", "dummy", "--rate", "48000", "--period", "256", "--capture", "0", "--playback", "0" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["JACK_DEFAULT_SERVER"] = serverName;
        info.Environment["JACK_NO_START_SERVER"] = "1";
        Process jackd = Process.Start(info) ?? throw new InvalidOperationException("jackd did not start");
        jackd.OutputDataReceived += (_, e) => output(e.Data);
        jackd.ErrorDataReceived += (_, e) => output(e.Data);
        jackd.BeginOutputReadLine();
        jackd.BeginErrorReadLine();
        return jackd;
    }

    /// <summary>SIGTERM, so the server removes its /dev/shm files; SIGKILL if it has not gone within 10 s.</summary>
    private static void Terminate(Process jackd)
    {
        if (jackd.HasExited)
        {
            return;
        }

        using Process? kill = Process.Start("kill", ["-TERM", jackd.Id.ToString(CultureInfo.InvariantCulture)]);
        kill?.WaitForExit(5_000);
        if (!jackd.WaitForExit(10_000))
        {
            jackd.Kill();
            jackd.WaitForExit(5_000);
        }
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // exited, or another user's
        }
    }

    [GeneratedRegex(@"(?:^|\0)JACK_DEFAULT_SERVER=" + NamePrefix + @"(?<host>\d+)-")]
    private static partial Regex HostOfServer();

    private (int ExitCode, string Output) Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["JACK_DEFAULT_SERVER"] = ServerName;
        psi.Environment["JACK_NO_START_SERVER"] = "1";
        using Process p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(10_000))
        {
            p.Kill();
            p.WaitForExit();
        }

        return (p.ExitCode, stdout + stderr.Result);
    }
}

/// <summary>Tests that share the process's JACK server run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class JackCollection : ICollectionFixture<JackServer>
{
    public const string Name = "jack";
}
