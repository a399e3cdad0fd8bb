using System.Diagnostics;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Rtmidi;

/// <summary>Servers left by a crashed test host are stopped by the next host; a living host's are not.</summary>
[Collection(JackCollection.Name)]
[Trait("Category", "Peer")]
[Trait("Category", "Slow")]
public sealed class JackServerOrphanTests
{
    [Fact]
    public void A_server_whose_test_host_is_gone_is_stopped_and_one_whose_host_still_runs_is_left_alone()
    {
        using Process orphan = JackServer.Launch($"{JackServer.NamePrefix}{ExitedProcessId()}-orphan", _ => { });
        using Process kept = JackServer.Launch($"{JackServer.NamePrefix}{Environment.ProcessId}-kept", _ => { });
        try
        {
            int stopped = JackServer.StopServersOfGoneHosts();

            Assert.True(orphan.HasExited, "the orphan server still runs");
            Assert.True(stopped >= 1, $"{stopped} stopped");
            Assert.False(kept.HasExited, "the living host's server was stopped");
        }
        finally
        {
            foreach (Process jackd in new[] { orphan, kept }.Where(p => !p.HasExited))
            {
                jackd.Kill();
                jackd.WaitForExit(10_000);
            }
        }
    }

    /// <summary>The id of a process that has just exited: a test host that crashed.</summary>
    private static int ExitedProcessId()
    {
        using Process gone = Process.Start("true")!;
        gone.WaitForExit();
        return gone.Id;
    }
}
