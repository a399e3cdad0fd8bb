using IolaEdge.Daemon.Systemd;
using IolaEdge.Daemon.Tests.Recording.Support;
using IolaEdge.Daemon.Tests.Systemd.Support;
using Microsoft.Extensions.Logging;

namespace IolaEdge.Daemon.Tests.Systemd;

[CollectionDefinition("NativeEnvironment", DisableParallelization = true)]
public sealed class NativeEnvironmentGroup;

[Collection("NativeEnvironment")]
[Trait("Category", "Peer")]
public sealed class SystemdNotifierTests : NotifySocketTest
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void Ready_status_watchdog_and_stopping_reach_the_notify_socket()
    {
        SystemdNotifier n = new();
        Assert.True(n.IsUnderSystemd);
        Assert.True(n.Ready("pipeline running\nsensor 0"));
        Assert.Equal("READY=1\nSTATUS=pipeline running sensor 0", Socket.Receive(Wait));
        Assert.True(n.Status("3 footfalls"));
        Assert.Equal("STATUS=3 footfalls", Socket.Receive(Wait));
        Assert.True(n.Watchdog());
        Assert.Equal("WATCHDOG=1", Socket.Receive(Wait));
        Assert.True(n.Stopping());
        Assert.Equal("STOPPING=1", Socket.Receive(Wait));
    }

    [Fact]
    public void Outside_systemd_every_call_is_a_no_op()
    {
        Env.Set("NOTIFY_SOCKET", null);
        SystemdNotifier n = new();
        Assert.False(n.IsUnderSystemd);
        Assert.False(n.Ready());
        Assert.False(n.Watchdog());
        Assert.Null(n.WatchdogInterval());
    }

    [Fact]
    public void A_notify_socket_nobody_listens_on_fails_naming_the_socket_and_the_native_error()
    {
        Env.Set("NOTIFY_SOCKET", Socket.Path + ".missing");
        var ex = Assert.Throws<SystemdException>(() => new SystemdNotifier().Ready());
        Assert.Equal("NOTIFY_SOCKET", ex.Call);
        Assert.Equal(2, ex.Errno); // ENOENT
        Assert.Contains("No such file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_watchdog_interval_comes_from_systemd_and_a_bad_value_fails_naming_the_call()
    {
        Env.Set("WATCHDOG_USEC", "4000000");
        Env.Set("WATCHDOG_PID", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromSeconds(4), new SystemdNotifier().WatchdogInterval());

        Env.Set("WATCHDOG_PID", "1"); // meant for another process
        Assert.Null(new SystemdNotifier().WatchdogInterval());

        Env.Set("WATCHDOG_PID", null);
        Env.Set("WATCHDOG_USEC", "soon");
        var ex = Assert.Throws<SystemdException>(() => new SystemdNotifier().WatchdogInterval());
        Assert.Equal("WATCHDOG_USEC", ex.Call);
        Assert.Equal(22, ex.Errno); // EINVAL, as sd_watchdog_enabled

        Env.Set("WATCHDOG_USEC", "4000000");
        Env.Set("WATCHDOG_PID", "me");
        Assert.Equal("WATCHDOG_PID", Assert.Throws<SystemdException>(() => new SystemdNotifier().WatchdogInterval()).Call);
    }

    [Fact]
    public void An_abstract_notify_socket_receives_the_messages_too()
    {
        // systemd may hand out an abstract socket ("@name"); Microsoft's notifier maps "@" to the leading NUL.
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        string name = "iolaedge-notify-" + Guid.NewGuid().ToString("N")[..8];
        listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint("\0" + name));
        Env.Set("NOTIFY_SOCKET", "@" + name);
        Assert.True(new SystemdNotifier().Status("abstract"));
        listener.ReceiveTimeout = 10_000;
        byte[] buffer = new byte[256];
        int n = listener.Receive(buffer);
        Assert.Equal("STATUS=abstract", System.Text.Encoding.UTF8.GetString(buffer, 0, n));
    }

    [Fact]
    public void The_watchdog_pings_only_when_the_heartbeat_advanced()
    {
        CapturingLogger log = new();
        using PipelineWatchdog dog = new(new SystemdNotifier(), log, checkInterval: TimeSpan.FromHours(1)); // steps driven below
        dog.Beat();
        Assert.True(dog.CheckOnce());
        Assert.Equal("WATCHDOG=1", Socket.Receive(Wait));

        Assert.False(dog.CheckOnce()); // stalled: no beat since
        Assert.False(dog.CheckOnce());
        Assert.Null(Socket.Receive(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(2, dog.Missed);
        Assert.Single(log.Lines, l => l.Level == LogLevel.Error);

        dog.Beat();
        Assert.True(dog.CheckOnce());
        Assert.Equal("WATCHDOG=1", Socket.Receive(Wait));
        Assert.Single(log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("resumed", StringComparison.Ordinal));
        Assert.Equal(2, dog.Pings);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_stalled_pipeline_thread_stops_the_timer_threads_pings()
    {
        Env.Set("WATCHDOG_USEC", "100000"); // 100 ms: checks every 50 ms
        Env.Set("WATCHDOG_PID", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using PipelineWatchdog dog = new(new SystemdNotifier(), new CapturingLogger());
        Assert.True(dog.IsActive);
        using CancellationTokenSource stall = new();
        Thread pipeline = new(() =>
        {
            while (!stall.IsCancellationRequested)
            {
                dog.Beat();
                Thread.Sleep(1);
            }
        });
        pipeline.Start();
        Assert.Equal("WATCHDOG=1", Socket.Receive(Wait));
        stall.Cancel();
        pipeline.Join();
        while (Socket.Receive(TimeSpan.FromMilliseconds(300)) is not null)
        {
            // drain pings for beats made before the stall
        }

        long pings = dog.Pings;
        Assert.True(SpinWait.SpinUntil(() => dog.Missed >= 3, Wait));
        Assert.Equal(pings, dog.Pings);
        Assert.Null(Socket.Receive(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public void Beat_allocates_nothing()
    {
        using PipelineWatchdog dog = new(new SystemdNotifier(), new CapturingLogger(), checkInterval: TimeSpan.FromHours(1));
        dog.Beat();
        ThreadAllocations allocations = ThreadAllocations.Start();
        for (int i = 0; i < 100_000; i++)
        {
            dog.Beat();
        }

        Assert.Equal(0, allocations.Bytes);
    }
}
