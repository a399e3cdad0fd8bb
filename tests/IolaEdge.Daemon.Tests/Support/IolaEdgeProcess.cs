using System.Diagnostics;
using System.Text;

namespace IolaEdge.Daemon.Tests.Support;

/// <summary>Runs the real <c>iolaedge</c> binary (built beside the tests) as a child process.</summary>
internal sealed class IolaEdgeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();

    private IolaEdgeProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet iolaedge.dll ARGS</c> in <paramref name="workingDirectory"/>.</summary>
    public static IolaEdgeProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Start(workingDirectory, environment, [], args);

    /// <summary>Starts <c>WRAPPER… dotnet iolaedge.dll ARGS</c> (e.g. setpriv) in <paramref name="workingDirectory"/>.</summary>
    public static IolaEdgeProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, string[] launcher, params string[] args)
    {
        ProcessStartInfo info = new(launcher.Length > 0 ? launcher[0] : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string part in launcher.Skip(1).Concat(launcher.Length > 0 ? ["dotnet"] : []))
        {
            info.ArgumentList.Add(part);
        }

        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "iolaedge.dll"));
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A developer's own settings must not leak into the test.
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("IOLAEDGE_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        Process process = new() { StartInfo = info };
        IolaEdgeProcess wrapper = new(process);
        process.OutputDataReceived += (_, e) => wrapper.Append(wrapper._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Append(wrapper._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Runs to completion within <paramref name="timeout"/>; returns the exit code.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using IolaEdgeProcess process = Start(workingDirectory, environment, args);
        int code = process.WaitForExit(timeout);
        return (code, process.Stdout, process.Stderr);
    }

    /// <summary>Runs <c>WRAPPER… dotnet iolaedge.dll ARGS</c> to completion within <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunWrapped(string workingDirectory, TimeSpan timeout, string[] launcher, params string[] args)
    {
        using IolaEdgeProcess process = Start(workingDirectory, null, launcher, args);
        int code = process.WaitForExit(timeout);
        return (code, process.Stdout, process.Stderr);
    }

    /// <summary>Waits until stdout or stderr contains <paramref name="text"/>; false on timeout or exit.</summary>
    public bool WaitForOutput(string text, TimeSpan timeout)
    {
        Stopwatch clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Stdout.Contains(text, StringComparison.Ordinal) || Stderr.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            if (_process.HasExited)
            {
                return false;
            }

            Thread.Sleep(50);
        }

        return false;
    }

    /// <summary>Sends a POSIX signal by number (kill(1)).</summary>
    public void Signal(string name)
    {
        using Process kill = Process.Start("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits for exit; kills the process and fails on timeout.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"iolaedge did not exit within {timeout}; stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        _process.WaitForExit(); // flush the asynchronous readers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            target.AppendLine(line);
        }
    }
}
