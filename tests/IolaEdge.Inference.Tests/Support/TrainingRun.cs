using System.Diagnostics;

namespace IolaEdge.Inference.Tests.Support;

/// <summary>Runs <c>/usr/bin/python3 -m training ...</c> from the repository root with a bounded timeout.</summary>
internal static class TrainingRun
{
    public const string Python = "/usr/bin/python3";

    public static void Run(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(Python)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-m");
        psi.ArgumentList.Add("training");
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            Assert.Fail($"training {string.Join(' ', args)} did not finish in {timeout}");
        }

        Assert.True(p.ExitCode == 0, $"training exited {p.ExitCode}\n{stdout.Result}\n{stderr.Result}");
    }
}
