using IolaEdge.Daemon.Configuration;
using Microsoft.Extensions.Options;

namespace IolaEdge.Daemon.Realtime;

/// <summary>How the daemon schedules its real-time threads (configuration section <c>Realtime</c>); applied by <see cref="RealtimeThreads"/>.</summary>
internal sealed class RealtimeOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Realtime";

    /// <summary>Policy of the pipeline and MIDI threads: <c>Fifo</c>, <c>RoundRobin</c> or <c>Other</c> (default; the shipped
    /// configuration says <c>Fifo</c>). Every other thread stays under SCHED_OTHER.</summary>
    public SchedulingPolicy Policy { get; set; } = SchedulingPolicy.Other;

    /// <summary>Real-time priority of the pipeline thread, 1..98 (default 20); used by Fifo and RoundRobin.</summary>
    public int PipelinePriority { get; set; } = 20;

    /// <summary>Real-time priority of the MIDI thread, 1..98 (default 30: above the pipeline, so a footfall's note goes out
    /// before the pipeline reads the next packet).</summary>
    public int MidiPriority { get; set; } = 30;

    /// <summary>CPUs the pipeline thread may run on (<c>1</c>, <c>0-1</c>); empty: any.</summary>
    public string PipelineCpus { get; set; } = string.Empty;

    /// <summary>CPUs the MIDI thread may run on; empty: any.</summary>
    public string MidiCpus { get; set; } = string.Empty;

    /// <summary>mlockall(MCL_CURRENT|MCL_FUTURE) at start, so no page fault waits for the SD card (needs CAP_IPC_LOCK or a
    /// large enough RLIMIT_MEMLOCK; default false).</summary>
    public bool LockMemory { get; set; }

    /// <summary>The priority of <paramref name="role"/>'s thread.</summary>
    public int PriorityOf(RealtimeRole role) => role == RealtimeRole.Midi ? MidiPriority : PipelinePriority;

    /// <summary>The CPUs of <paramref name="role"/>'s thread (validated at start; empty when unparsable).</summary>
    public CpuSet CpusOf(RealtimeRole role)
    {
        return CpuSet.TryParse(role == RealtimeRole.Midi ? MidiCpus : PipelineCpus, out CpuSet cpus) ? cpus : default;
    }
}

/// <summary>Validates <see cref="RealtimeOptions"/> at start.</summary>
internal sealed class RealtimeOptionsValidator : IValidateOptions<RealtimeOptions>
{
    /// <summary>What <c>Realtime:Policy</c> accepts.</summary>
    public const string AllowedPolicies = "Fifo, RoundRobin or Other";

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, RealtimeOptions options)
    {
        ConfigurationProblems problems = new();
        if (!Enum.IsDefined(options.Policy))
        {
            problems.Add("Realtime:Policy", options.Policy.ToString(), AllowedPolicies);
        }

        // 99 is left to the kernel's own watchdog and migration threads.
        problems.RequireRange("Realtime:PipelinePriority", options.PipelinePriority, 1, 98);
        problems.RequireRange("Realtime:MidiPriority", options.MidiPriority, 1, 98);
        if (!CpuSet.TryParse(options.PipelineCpus, out _))
        {
            problems.Add("Realtime:PipelineCpus", options.PipelineCpus, CpuSet.Allowed);
        }

        if (!CpuSet.TryParse(options.MidiCpus, out _))
        {
            problems.Add("Realtime:MidiCpus", options.MidiCpus, CpuSet.Allowed);
        }

        return problems.ToResult();
    }
}
