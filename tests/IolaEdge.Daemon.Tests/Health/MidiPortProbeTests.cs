using IolaEdge.Daemon.Health;
using IolaEdge.Midi.Outputs;

namespace IolaEdge.Daemon.Tests.Health;

public sealed class MidiPortProbeTests
{
    [Fact]
    public void A_port_that_failed_to_open_and_was_disposed_before_any_poll_still_reads_not_open()
    {
        // A short run on a loaded machine: the port's opens fail and the run ends before the monitor polls.
        var port = new SupervisedPortOutput("raw:/dev/no-such-midi", () => throw new IOException("no such device"));
        Assert.True(SpinWait.SpinUntil(() => port.OpenFailures > 0, TimeSpan.FromSeconds(10)), "no open attempt");
        port.Dispose();

        HealthState state = new MidiPortProbe(port, TimeSpan.FromSeconds(1)).Read();

        Assert.Equal(HealthLevel.Failing, state.Level);
        Assert.False(state.Transient);
        Assert.StartsWith("not open: ", state.Text, StringComparison.Ordinal);
        Assert.Contains("no such device", state.Text, StringComparison.Ordinal);
    }
}
