using IolaEdge.Daemon.Realtime;
using IolaEdge.Daemon.Tests.Support;

namespace IolaEdge.Daemon.Tests.Realtime;

/// <summary>The real-time owner, checked against what the kernel reports in /proc for each thread it creates.</summary>
public sealed class RealtimeThreadsTests
{
    private const int SchedOther = 0;
    private const int SchedFifo = 1;
    private const int SchedRr = 2;

    [Fact]
    public void Each_thread_runs_under_its_configured_policy_and_priority_or_the_refusal_names_the_missing_capability()
    {
        RealtimeThreads owner = new(new RealtimeOptions { Policy = SchedulingPolicy.Fifo, PipelinePriority = 7, MidiPriority = 9 }, new CollectingSerilogSink().CreateLogger());
        using Started pipeline = Started.On(owner, RealtimeRole.Pipeline);
        using Started midi = Started.On(owner, RealtimeRole.Midi);
        Assert.True(owner.WaitUntilApplied(TimeSpan.FromSeconds(5)));

        var pipelineKernel = KernelThreadView.Read(pipeline.Tid)!.Value;
        var midiKernel = KernelThreadView.Read(midi.Tid)!.Value;
        Assert.Equal([pipeline.Tid, midi.Tid], owner.Threads.Select(t => t.Tid)); // pipeline first, with the kernel's tids
        if (KernelThreadView.MayUseRealtime(9))
        {
            Assert.Equal((SchedFifo, 7), (pipelineKernel.Policy, pipelineKernel.Priority));
            Assert.Equal((SchedFifo, 9), (midiKernel.Policy, midiKernel.Priority));
            Assert.Null(owner.Problem);
            Assert.Equal("iolaedge-midi", owner.Threads[1].Name);
            Assert.Contains($"iolaedge-midi (tid {midi.Tid}): SCHED_FIFO priority 9, CPUs ", owner.Threads[1].Describe(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal((SchedOther, 0), (pipelineKernel.Policy, pipelineKernel.Priority));
            Assert.Equal((SchedOther, 0), (midiKernel.Policy, midiKernel.Priority));
            string problem = Assert.IsType<string>(owner.Problem);
            Assert.Contains("CAP_SYS_NICE", problem, StringComparison.Ordinal);
            Assert.Contains("LimitRTPRIO=9", problem, StringComparison.Ordinal); // the highest priority asked
            Assert.Contains("(asked SCHED_FIFO priority 9: refused)", owner.Threads[1].Describe(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Round_robin_is_applied_as_SCHED_RR_or_refused_the_same_way()
    {
        RealtimeThreads owner = new(new RealtimeOptions { Policy = SchedulingPolicy.RoundRobin, MidiPriority = 4 }, new CollectingSerilogSink().CreateLogger());
        using Started midi = Started.On(owner, RealtimeRole.Midi);
        Assert.True(owner.WaitUntilApplied(TimeSpan.FromSeconds(5)));

        var kernel = KernelThreadView.Read(midi.Tid)!.Value;
        Assert.Equal(KernelThreadView.MayUseRealtime(4) ? (SchedRr, 4) : (SchedOther, 0), (kernel.Policy, kernel.Priority));
        Assert.Equal(KernelThreadView.MayUseRealtime(4), owner.Problem is null);
    }

    [Fact]
    public void A_thread_that_a_realtime_thread_creates_starts_under_SCHED_OTHER()
    {
        RealtimeThreads owner = new(new RealtimeOptions { Policy = SchedulingPolicy.Fifo, MidiPriority = 6 }, new CollectingSerilogSink().CreateLogger());
        (int Policy, int Priority)? parent = null;
        (int Policy, int Priority)? child = null;
        Thread thread = owner.Create(RealtimeRole.Midi, () =>
        {
            var self = KernelThreadView.Read(KernelTid())!.Value;
            parent = (self.Policy, self.Priority);
            Thread inner = new(() =>
            {
                var me = KernelThreadView.Read(KernelTid())!.Value;
                child = (me.Policy, me.Priority);
            });
            inner.Start();
            inner.Join();
        });
        thread.Start();
        thread.Join();

        Assert.Equal((SchedOther, 0), child); // SCHED_RESET_ON_FORK: a port sender or pool worker never inherits the priority
        if (KernelThreadView.MayUseRealtime(6))
        {
            Assert.Equal((SchedFifo, 6), parent);
        }
        else
        {
            Assert.Equal((SchedOther, 0), parent);
            Assert.Contains("CAP_SYS_NICE", owner.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Policy_Other_keeps_the_threads_under_SCHED_OTHER_with_the_configured_CPUs_and_no_problem()
    {
        RealtimeThreads owner = new(new RealtimeOptions { Policy = SchedulingPolicy.Other, MidiCpus = "0" }, new CollectingSerilogSink().CreateLogger());
        using Started midi = Started.On(owner, RealtimeRole.Midi);
        using Started pipeline = Started.On(owner, RealtimeRole.Pipeline);
        Assert.True(owner.WaitUntilApplied(TimeSpan.FromSeconds(5)));

        Assert.Equal(SchedOther, KernelThreadView.Read(midi.Tid)!.Value.Policy);
        Assert.Equal(SchedOther, KernelThreadView.Read(pipeline.Tid)!.Value.Policy);
        Assert.Equal("0", KernelThreadView.CpusAllowed(midi.Tid)); // affinity needs no privilege on one's own threads
        Assert.Equal("0", owner.Threads[1].Cpus.ToString());
        Assert.Null(owner.Problem);
    }

    [Fact]
    public void A_cpu_the_machine_does_not_have_is_refused_and_named()
    {
        RealtimeThreads owner = new(new RealtimeOptions { Policy = SchedulingPolicy.Other, PipelineCpus = "63" }, new CollectingSerilogSink().CreateLogger());
        using Started pipeline = Started.On(owner, RealtimeRole.Pipeline);
        Assert.True(owner.WaitUntilApplied(TimeSpan.FromSeconds(5)));

        Assert.True(Environment.ProcessorCount < 64, "this test needs a machine with fewer than 64 CPUs");
        Assert.Contains("iolaedge-pipeline: sched_setaffinity(CPUs 63) failed: Invalid argument (errno 22); a CPU that is not online", owner.Problem, StringComparison.Ordinal);
        Assert.NotEqual("63", KernelThreadView.CpusAllowed(pipeline.Tid));
    }

    [Theory]
    [InlineData("", "any")]
    [InlineData("1", "1")]
    [InlineData("0-1", "0-1")]
    [InlineData(" 3, 0-1 ", "0-1,3")]
    [InlineData("0,2-3,5", "0,2-3,5")]
    [InlineData("63", "63")]
    public void Cpu_lists_parse_and_print_as_the_kernel_writes_them(string text, string expected)
    {
        Assert.True(CpuSet.TryParse(text, out CpuSet set));
        Assert.Equal(expected, set.ToString());
    }

    [Theory]
    [InlineData("x")]
    [InlineData("3-1")]
    [InlineData("64")]
    [InlineData("1-")]
    [InlineData("-1")]
    [InlineData("1,,2")]
    public void Bad_cpu_lists_are_rejected(string text) => Assert.False(CpuSet.TryParse(text, out _));

    // The calling thread's kernel id: the first field of /proc/thread-self/stat.
    private static int KernelTid() => int.Parse(File.ReadAllText("/proc/thread-self/stat").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    // A thread of the owner that records its kernel tid and blocks until disposed, so /proc can be read while it lives.
    private sealed class Started : IDisposable
    {
        private readonly ManualResetEventSlim _ready = new();
        private readonly ManualResetEventSlim _release = new();
        private readonly Thread _thread;

        private Started(RealtimeThreads owner, RealtimeRole role)
        {
            _thread = owner.Create(role, () =>
            {
                Tid = KernelTid();
                _ready.Set();
                _release.Wait();
            });
            _thread.Start();
            Assert.True(_ready.Wait(TimeSpan.FromSeconds(5)));
        }

        public int Tid { get; private set; }

        public static Started On(RealtimeThreads owner, RealtimeRole role) => new(owner, role);

        public void Dispose()
        {
            _release.Set();
            _thread.Join();
            _ready.Dispose();
            _release.Dispose();
        }
    }
}
