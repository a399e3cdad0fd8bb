using System.Collections.Concurrent;
using System.Globalization;
using Serilog;

namespace IolaEdge.Daemon.Realtime;

/// <summary>
/// The one owner of the daemon's real-time threads: creates the pipeline and MIDI threads (<see cref="Create"/>), puts each
/// under <c>Realtime:Policy</c> with its priority and CPUs as its first act, locks memory when asked, and sets threads that
/// inherited a real-time policy from the launcher (<c>chrt</c>, a unit's <c>CPUSchedulingPolicy=</c>) back to SCHED_OTHER,
/// so the log sinks, event writer, recorder, web frames, watchdog and port senders never compete with the hot path.
/// </summary>
/// <remarks>
/// <para>Threads: <see cref="Create"/>, <see cref="Prepare"/> and <see cref="LogApplied"/> run on the session's thread; the
/// policy is applied on each real-time thread before its body (it may allocate there, before the body's allocation
/// accounting starts); the health probe reads <see cref="Threads"/> and <see cref="Problem"/> from its timer.</para>
/// <para>Real-time policies carry SCHED_RESET_ON_FORK: a thread a real-time thread creates (a MIDI port's sender, a pool
/// worker) starts under SCHED_OTHER.</para>
/// </remarks>
internal sealed class RealtimeThreads
{
    // Live real-time threads of every owner in this process (tests run several sessions at once): never demoted.
    private static readonly ConcurrentDictionary<int, RealtimeRole> s_owned = new();
    private static readonly Lock s_memoryLock = new();
    private static bool s_memoryTried;
    private static SchedulingFailure? s_memoryFailure;

    private readonly RealtimeOptions _options;
    private readonly ILogger _log;
    private readonly object _lock = new(); // a monitor: WaitUntilApplied waits on it
    private readonly List<RealtimeThreadState> _threads = []; // guarded by _lock
    private int _created; // guarded by _lock
    private int _inheritedPolicy; // the SchedulingPolicy the process started under when real-time, else 0 (Other)
    private long _demoted; // threads set back to SCHED_OTHER because they inherited the launcher's policy
    private long _demoteFailures;

    /// <summary>Creates the owner; nothing is applied until <see cref="Prepare"/> and <see cref="Create"/>.</summary>
    public RealtimeThreads(RealtimeOptions options, ILogger log)
    {
        _options = options;
        _log = log;
    }

    /// <summary>The options applied.</summary>
    public RealtimeOptions Options => _options;

    /// <summary>Whether mlockall succeeded in this process (false when not asked or refused).</summary>
    public static bool MemoryLocked
    {
        get
        {
            lock (s_memoryLock)
            {
                return s_memoryTried && s_memoryFailure is null;
            }
        }
    }

    /// <summary>The threads that have applied their policy so far, pipeline first.</summary>
    public IReadOnlyList<RealtimeThreadState> Threads
    {
        get
        {
            lock (_lock)
            {
                return [.. _threads.OrderBy(t => t.Role)];
            }
        }
    }

    /// <summary>True once every thread created so far has applied its policy.</summary>
    public bool AllApplied
    {
        get
        {
            lock (_lock)
            {
                return _threads.Count == _created;
            }
        }
    }

    /// <summary>What the process inherited from its launcher and what was done about it, or null when it started under SCHED_OTHER.</summary>
    public string? Inherited
    {
        get
        {
            SchedulingPolicy policy = (SchedulingPolicy)Volatile.Read(ref _inheritedPolicy);
            if (!policy.IsRealtime())
            {
                return null;
            }

            long failures = Interlocked.Read(ref _demoteFailures);
            return string.Create(CultureInfo.InvariantCulture,
                $"the process started under {policy.KernelName()} (inherited from its launcher: chrt, or CPUSchedulingPolicy= in a systemd unit); {Interlocked.Read(ref _demoted)} threads set back to SCHED_OTHER{(failures > 0 ? $", {failures} refused" : string.Empty)}; only the pipeline and MIDI threads follow Realtime:Policy");
        }
    }

    /// <summary>One sentence naming what was refused and the capability or limit that would grant it, or null when all was applied.</summary>
    public string? Problem
    {
        get
        {
            List<string> problems = [];
            IReadOnlyList<RealtimeThreadState> threads = Threads;
            RealtimeThreadState[] refused = [.. threads.Where(t => t.PolicyFailure is not null)];
            if (refused.Length > 0)
            {
                problems.Add(DescribePolicyRefusal(refused));
            }

            foreach (RealtimeThreadState thread in threads.Where(t => t.AffinityFailure is not null))
            {
                string hint = thread.AffinityFailure!.Errno == SchedulingFailure.EINVAL
                    ? $"; a CPU that is not online or outside the process's cpuset (the process may use CPUs {ThreadScheduling.ReadAffinity(0)})"
                    : string.Empty;
                problems.Add($"{thread.Name}: {thread.AffinityFailure}{hint}");
            }

            lock (s_memoryLock)
            {
                if (_options.LockMemory && s_memoryFailure is { } memory)
                {
                    problems.Add(DescribeMemoryRefusal(memory));
                }
            }

            return problems.Count == 0 ? null : string.Join("; ", problems);
        }
    }

    /// <summary>Before any real-time thread starts: locks memory when <see cref="RealtimeOptions.LockMemory"/> asks, and sets
    /// threads that inherited a real-time policy back to SCHED_OTHER.</summary>
    public void Prepare()
    {
        if (_options.LockMemory)
        {
            LockMemory();
        }

        DemoteInherited();
    }

    /// <summary>Creates (does not start) the thread of <paramref name="role"/>: named, background, and put under the configured
    /// policy, priority and CPUs before <paramref name="body"/> runs.</summary>
    public Thread Create(RealtimeRole role, ThreadStart body)
    {
        ArgumentNullException.ThrowIfNull(body);
        lock (_lock)
        {
            _created++;
        }

        return new Thread(() => Run(role, body)) { IsBackground = true, Name = NameOf(role) };
    }

    /// <summary><see cref="Create"/> for one role, for components that create their own thread (the MIDI engine).</summary>
    public Func<ThreadStart, Thread> For(RealtimeRole role) => body => Create(role, body);

    /// <summary>Waits until every created thread has applied its policy (they do so first thing) or <paramref name="timeout"/> passes.</summary>
    public bool WaitUntilApplied(TimeSpan timeout)
    {
        lock (_lock)
        {
            DateTime deadline = DateTime.UtcNow + timeout;
            while (_threads.Count < _created)
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_lock, left))
                {
                    return _threads.Count == _created;
                }
            }

            return true;
        }
    }

    /// <summary>Logs one line per thread: name, tid, policy and priority the kernel reports, CPUs. The warning for a refusal is
    /// the health monitor's (once, with <see cref="Problem"/>), not repeated here.</summary>
    public void LogApplied()
    {
        foreach (RealtimeThreadState thread in Threads)
        {
            _log.Information("Real-time thread {RealtimeThread}", thread.Describe());
        }
    }

    /// <summary>The name of <paramref name="role"/>'s thread.</summary>
    public static string NameOf(RealtimeRole role) => role == RealtimeRole.Midi ? "iolaedge-midi" : "iolaedge-pipeline";

    private void Run(RealtimeRole role, ThreadStart body)
    {
        int tid = ThreadScheduling.CurrentThreadId();
        s_owned[tid] = role;
        try
        {
            Apply(role, tid);
            body();
        }
        finally
        {
            s_owned.TryRemove(tid, out _);
        }
    }

    private void Apply(RealtimeRole role, int tid)
    {
        SchedulingPolicy asked = _options.Policy;
        int priority = asked.IsRealtime() ? _options.PriorityOf(role) : 0;
        SchedulingFailure? policyFailure = ThreadScheduling.TrySet(tid, asked, priority);
        CpuSet cpus = _options.CpusOf(role);
        SchedulingFailure? affinityFailure = cpus.IsEmpty ? null : ThreadScheduling.TrySetAffinity(tid, cpus);
        (SchedulingPolicy Policy, int Priority) applied = ThreadScheduling.Read(tid) ?? (SchedulingPolicy.Other, 0);
        RealtimeThreadState state = new(NameOf(role), role, tid, asked, priority, applied.Policy, applied.Priority,
            ThreadScheduling.ReadAffinity(tid), policyFailure, affinityFailure);
        lock (_lock)
        {
            _threads.Add(state);
            Monitor.PulseAll(_lock);
        }
    }

    private static string DescribePolicyRefusal(RealtimeThreadState[] refused)
    {
        SchedulingFailure failure = refused[0].PolicyFailure!;
        string threads = string.Join(", ", refused.Select(t => t.Name));
        if (failure.Errno != SchedulingFailure.EPERM)
        {
            return $"{threads}: {failure}";
        }

        // EPERM: neither CAP_SYS_NICE nor a high enough RLIMIT_RTPRIO. Name both, with the number the configuration needs.
        int needed = refused.Max(t => t.AskedPriority);
        ulong limit = ThreadScheduling.RealtimePriorityLimit();
        string capability = ProcessCapabilities.HasEffective(ProcessCapabilities.SysNice) ? "CAP_SYS_NICE is effective but the kernel refused" : "no CAP_SYS_NICE";
        return string.Create(CultureInfo.InvariantCulture,
            $"{threads}: {failure}; it needs CAP_SYS_NICE or an RLIMIT_RTPRIO of at least {needed} ({capability}, RLIMIT_RTPRIO {limit}); systemd: LimitRTPRIO={needed}; shell: ulimit -r {needed}; these threads run under SCHED_OTHER");
    }

    private static string DescribeMemoryRefusal(SchedulingFailure failure)
    {
        if (failure.Errno is not (SchedulingFailure.EPERM or SchedulingFailure.ENOMEM or SchedulingFailure.EAGAIN))
        {
            return failure.ToString();
        }

        ulong limit = ThreadScheduling.MemoryLockLimit();
        string limitText = limit == ulong.MaxValue ? "unlimited" : string.Create(CultureInfo.InvariantCulture, $"{limit / (1024 * 1024)} MiB");
        string capability = ProcessCapabilities.HasEffective(ProcessCapabilities.IpcLock) ? "CAP_IPC_LOCK is effective" : "no CAP_IPC_LOCK";
        return string.Create(CultureInfo.InvariantCulture,
            $"{failure}; it needs CAP_IPC_LOCK or an RLIMIT_MEMLOCK above the process's mapped size ({capability}, RLIMIT_MEMLOCK {limitText}); systemd: LimitMEMLOCK=infinity; memory is not locked");
    }

    private void LockMemory()
    {
        lock (s_memoryLock)
        {
            if (s_memoryTried)
            {
                return; // process-wide: one call per process
            }

            s_memoryTried = true;
            s_memoryFailure = ThreadScheduling.TryLockMemory();
        }

        if (MemoryLocked)
        {
            _log.Information("Memory locked: mlockall(MCL_CURRENT|MCL_FUTURE)");
        }
    }

    /// <summary>When the process inherited a real-time policy: sets every thread it does not own that runs real-time back to
    /// SCHED_OTHER, and returns how many it changed. The health probe calls it on every poll (every 250 ms), because the
    /// runtime re-applies the launcher's policy to threads it creates later (glibc caches the policy a thread was created with,
    /// and .NET's thread priorities are computed in that policy's range: a pool worker comes up SCHED_RR 50).</summary>
    public int DemoteStrays()
    {
        if (Volatile.Read(ref _inheritedPolicy) == 0)
        {
            return 0;
        }

        int demoted = 0;
        foreach (int tid in TaskIds())
        {
            if (s_owned.ContainsKey(tid) || ThreadScheduling.Read(tid) is not { Policy: not SchedulingPolicy.Other })
            {
                continue;
            }

            if (ThreadScheduling.TrySet(tid, SchedulingPolicy.Other, 0) is null)
            {
                demoted++;
            }
            else
            {
                Interlocked.Increment(ref _demoteFailures);
            }
        }

        Interlocked.Add(ref _demoted, demoted);
        return demoted;
    }

    // A launcher that put the whole process under a real-time policy made every thread real-time, slow ones included.
    private void DemoteInherited()
    {
        if (ThreadScheduling.Read(ThreadScheduling.CurrentThreadId()) is not { Policy: not SchedulingPolicy.Other } inherited)
        {
            return;
        }

        Volatile.Write(ref _inheritedPolicy, (int)inherited.Policy);
        for (int pass = 0; pass < 3 && DemoteStrays() > 0; pass++)
        {
            // a thread created during a pass by a not yet demoted one is caught by the next
        }

        _log.Information("Real-time scheduling: {Inherited}", Inherited);
    }

    private static IEnumerable<int> TaskIds()
    {
        foreach (string directory in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int tid))
            {
                yield return tid;
            }
        }
    }
}
