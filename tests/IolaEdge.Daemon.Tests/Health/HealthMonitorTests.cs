using IolaEdge.Daemon.Health;
using IolaEdge.Daemon.Tests.Support;
using Serilog.Events;

namespace IolaEdge.Daemon.Tests.Health;

public sealed class HealthMonitorTests
{
    [Fact]
    public void A_state_is_logged_once_when_it_changes_and_not_on_every_poll()
    {
        CollectingSerilogSink sink = new();
        ScriptedProbe probe = new();
        List<string> statuses = [];
        using HealthMonitor monitor = new([probe], sink.CreateLogger(), statuses.Add);

        probe.State = new(HealthLevel.Ok, "opening", Transient: true);
        monitor.Poll();
        probe.State = new(HealthLevel.Failing, "not open: no such device; retrying every 1 s");
        for (int i = 0; i < 10; i++)
        {
            monitor.Poll();
        }

        probe.State = new(HealthLevel.Ok, "open");
        monitor.Poll();
        monitor.Poll();

        Assert.Equal(
            [(LogEventLevel.Error, "\"MIDI test\": \"not open: no such device; retrying every 1 s\""), (LogEventLevel.Information, "\"MIDI test\": \"open\"")],
            sink.Lines);
        Assert.Equal(2, monitor.StateChanges);
        Assert.Equal(["MIDI test not open: no such device; retrying every 1 s", ""], statuses); // STATUS= follows the changes only
    }

    [Fact]
    public void The_end_of_run_failure_prefers_an_input_problem_to_an_output_problem()
    {
        ScriptedProbe output = new() { Failure = new HealthFailure(5, "MIDI port never opened") };
        ScriptedProbe input = new() { Failure = new HealthFailure(4, "BLE source delivered no sample") };
        using HealthMonitor monitor = new([output, input], new CollectingSerilogSink().CreateLogger(), null);

        Assert.Equal(new HealthFailure(4, "BLE source delivered no sample"), monitor.EndOfRunFailure());
    }

    [Fact]
    public void Components_give_each_probes_last_read_state_for_the_page_and_metrics()
    {
        ScriptedProbe probe = new();
        using HealthMonitor monitor = new([probe], new CollectingSerilogSink().CreateLogger(), null);
        Assert.Empty(monitor.Components()); // nothing read yet

        probe.State = new(HealthLevel.Failing, "not open: no such device; retrying every 1 s");
        monitor.Poll();
        probe.State = new(HealthLevel.Ok, "open"); // not polled yet: the page shows what the monitor last read
        Assert.Equal([new ComponentHealth("MIDI test", HealthLevel.Failing, "not open: no such device; retrying every 1 s")], monitor.Components());

        monitor.Poll();
        Assert.Equal([new ComponentHealth("MIDI test", HealthLevel.Ok, "open")], monitor.Components());
    }

    private sealed class ScriptedProbe : IHealthProbe
    {
        public HealthState State { get; set; } = new(HealthLevel.Ok, "ok");

        public HealthFailure? Failure { get; init; }

        public string Component => "MIDI test";

        public HealthState Read() => State;

        public IEnumerable<string> SummaryLines() => [];

        public HealthFailure? EndOfRunFailure() => Failure;
    }
}
