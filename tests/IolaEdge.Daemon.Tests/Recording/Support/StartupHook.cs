using System.CommandLine;
using IolaEdge.Daemon.Commands;

/// <summary>
/// A .NET startup hook (DOTNET_STARTUP_HOOKS) that runs <c>iolaedge record</c> inside a real
/// <c>iolaedge</c> child process, whether or not the verb is registered in Program.cs yet, so a test
/// can kill -9 it. Does nothing unless IOLAEDGE_TEST_RECORD_ARGS is set.
/// </summary>
#pragma warning disable CA1050 // the runtime requires this exact type name in the global namespace
internal static class StartupHook
#pragma warning restore CA1050
{
    public const string ArgsVariable = "IOLAEDGE_TEST_RECORD_ARGS";

    public static void Initialize()
    {
        string? args = Environment.GetEnvironmentVariable(ArgsVariable);
        if (string.IsNullOrEmpty(args))
        {
            return;
        }

        int code = new RootCommand { new RecordCommand() }.Parse(["record", .. args.Split('\n')]).Invoke();
        Environment.Exit(code);
    }
}
