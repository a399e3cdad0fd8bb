using System.Globalization;
using IolaEdge.Bluetooth;
using IolaEdge.Bluetooth.BlueZ;
using IolaEdge.Bluetooth.Tests.Support;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Benchmarks.Bluetooth;

/// <summary>
/// <c>ble-transports</c>: the BlueZ transports side by side in one process against the dbusmock rig
/// (private dbus-daemon + python3-dbusmock + the fake MetaWear of the Bluetooth peer tests). Each round
/// streams the packed 200 Hz accelerometer (66.7 notifications/s, as a real board) through the whole
/// <see cref="BleImuSource"/> for each transport in turn, on a fresh rig, and reports
/// notification-to-ring latency (the fake board's CLOCK_MONOTONIC stamp just before it emits the signal →
/// the sample written to the sink) and process-wide allocated bytes per notification over the measured window.
/// </summary>
/// <remarks>
/// Not a BenchmarkDotNet job: a stream paced by the peer cannot be repeated as an operation, and both
/// transports must share one process and machine state to be compared. Rounds alternate the order.
/// </remarks>
internal static class BlueZTransportComparison
{
    private const string Mac = "F1:2B:3C:4D:5E:6F";
    private const int WarmupNotifications = 150;

    public static int Run(string[] args)
    {
        int notifications = Option(args, "--notifications", 2000);
        int rounds = Option(args, "--rounds", 2);
        Console.WriteLine($"ble-transports: {rounds} round(s) x {notifications} packed notifications at 66.7/s per transport, {Environment.ProcessorCount} CPUs, {Environment.OSVersion}, .NET {Environment.Version}");
        var results = new List<Result>();
        for (int round = 1; round <= rounds; round++)
        {
            BlueZTransport[] order = round % 2 == 1 ? [BlueZTransport.SdBus, BlueZTransport.Tmds] : [BlueZTransport.Tmds, BlueZTransport.SdBus];
            foreach (BlueZTransport transport in order)
            {
                Result r = Measure(transport, notifications);
                results.Add(r with { Round = round });
                Console.WriteLine(Format(results[^1]));
            }
        }

        Console.WriteLine();
        Console.WriteLine("Sequential rounds (each transport runs the whole source alone; latency and process-wide allocation):");
        Console.WriteLine("| transport | notifications | p50 µs | p90 µs | p99 µs | max µs | allocated B/notification | gen0 GCs |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (IGrouping<BlueZTransport, Result> g in results.GroupBy(r => r.Transport))
        {
            double[] all = g.SelectMany(r => r.LatenciesUs).Order().ToArray();
            long n = g.Sum(r => r.Notifications);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Name(g.Key)} | {n} | {P(all, 0.5):F0} | {P(all, 0.9):F0} | {P(all, 0.99):F0} | {all[^1]:F0} | {(double)g.Sum(r => r.AllocatedBytes) / n:F0} | {g.Sum(r => r.Gen0)} |"));
        }

        // Paired rounds: both transports listen to the same notifications at the same time (dbus-daemon
        // sends each signal to both connections), so machine load hits both alike; the session that drives
        // the board alternates between them.
        var paired = new List<(double SdBus, double Tmds)>();
        for (int round = 1; round <= rounds; round++)
        {
            BlueZTransport active = round % 2 == 1 ? BlueZTransport.SdBus : BlueZTransport.Tmds;
            List<(double SdBus, double Tmds)> r = MeasurePaired(active, notifications);
            paired.AddRange(r);
            Console.WriteLine(DescribePaired($"paired round {round} (session on {Name(active)})", r));
        }

        Console.WriteLine();
        Console.WriteLine("Paired rounds (the same notifications received by both transports at once):");
        Console.WriteLine("| transport | notifications | p50 µs | p90 µs | p99 µs | max µs |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach ((string name, double[] v) in new[] { (Name(BlueZTransport.SdBus), paired.Select(p => p.SdBus).Order().ToArray()), (Name(BlueZTransport.Tmds), paired.Select(p => p.Tmds).Order().ToArray()) })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {v.Length} | {P(v, 0.5):F0} | {P(v, 0.9):F0} | {P(v, 0.99):F0} | {v[^1]:F0} |"));
        }

        double[] diff = paired.Select(p => p.Tmds - p.SdBus).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| Tmds − sd-bus, per notification | {diff.Length} | {P(diff, 0.5):F0} | {P(diff, 0.9):F0} | {P(diff, 0.99):F0} | {diff[^1]:F0} |"));
        return 0;
    }

    private static List<(double SdBus, double Tmds)> MeasurePaired(BlueZTransport active, int notifications)
    {
        const string NotifyPath = "/org/bluez/hci0/dev_F1_2B_3C_4D_5E_6F/service000a/char000d";
        int total = WarmupNotifications + notifications;
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, Walk.Generate((total + 50) * 3)), intervalMs: 15);

        // Passive listeners, subscribed before the session starts the board: listener index = board index.
        var listeners = new Dictionary<BlueZTransport, (IBlueZClient Client, StampingSink Sink, IAsyncDisposable Match)>();
        foreach (BlueZTransport t in new[] { BlueZTransport.SdBus, BlueZTransport.Tmds })
        {
            IBlueZClient client = BlueZTransports.ConnectAsync(t, rig.Address, TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            var sink = new StampingSink((total + 50) * 3);
            var decoder = new IolaEdge.Bluetooth.MetaWear.AccelerationDecoder(0);
            decoder.Configure(sink, 0x1c, 16, TimeSpan.FromMilliseconds(60)); // BMI160 packed, as the MMR fake sends
            IAsyncDisposable match = client.WatchNotificationsAsync(NotifyPath, new IolaEdge.Bluetooth.MetaWear.NotificationHandler(decoder)).GetAwaiter().GetResult();
            listeners[t] = (client, sink, match);
        }

        BleImuSourceOptions options = BleSourceSpec.Parse("ble:" + Mac);
        options.BusAddress = rig.Address;
        options.Transport = active;
        options.SampleCounter = false;
        var source = new BleImuSource(options);
        var sessionSink = new StampingSink((total + 50) * 3);
        using var cts = new CancellationTokenSource();
        Task run = source.RunAsync(sessionSink, cts.Token);
        foreach ((_, StampingSink sink, _) in listeners.Values)
        {
            WaitFor(sink, total * 3, run);
        }

        cts.Cancel();
        run.Wait(TimeSpan.FromSeconds(20));
        long[] emitNs = rig.Stats(Mac).EmitNs;
        var result = new List<(double, double)>(notifications);
        for (int k = WarmupNotifications; k < total; k++)
        {
            result.Add(((listeners[BlueZTransport.SdBus].Sink.StampNs(3 * k) - emitNs[k]) / 1000.0, (listeners[BlueZTransport.Tmds].Sink.StampNs(3 * k) - emitNs[k]) / 1000.0));
        }

        foreach ((IBlueZClient client, _, IAsyncDisposable match) in listeners.Values)
        {
            match.DisposeAsync().AsTask().Wait();
            client.DisposeAsync().AsTask().Wait();
        }

        return result;
    }

    private static string DescribePaired(string title, List<(double SdBus, double Tmds)> r)
    {
        double[] a = r.Select(p => p.SdBus).Order().ToArray();
        double[] b = r.Select(p => p.Tmds).Order().ToArray();
        double[] d = r.Select(p => p.Tmds - p.SdBus).Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"{title}: sd-bus p50 {P(a, 0.5):F0} µs p99 {P(a, 0.99):F0} µs; Tmds p50 {P(b, 0.5):F0} µs p99 {P(b, 0.99):F0} µs; Tmds − sd-bus p50 {P(d, 0.5):F0} µs p99 {P(d, 0.99):F0} µs");
    }

    private static Result Measure(BlueZTransport transport, int notifications)
    {
        int total = WarmupNotifications + notifications;
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, Walk.Generate((total + 50) * 3)), intervalMs: 15);
        BleImuSourceOptions options = BleSourceSpec.Parse("ble:" + Mac);
        options.BusAddress = rig.Address;
        options.Transport = transport;
        options.SampleCounter = false; // the packed stream: 3 samples per notification, 66.7 notifications/s
        var source = new BleImuSource(options);
        var sink = new StampingSink((total + 50) * 3);
        using var cts = new CancellationTokenSource();
        Task run = source.RunAsync(sink, cts.Token);

        WaitFor(sink, WarmupNotifications * 3, run);
        int gen0 = GC.CollectionCount(0);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        int from = sink.Count / 3;
        WaitFor(sink, total * 3, run);
        long after = GC.GetTotalAllocatedBytes(precise: true);
        int to = sink.Count / 3;
        gen0 = GC.CollectionCount(0) - gen0;

        cts.Cancel();
        run.Wait(TimeSpan.FromSeconds(20));
        long[] emitNs = rig.Stats(Mac).EmitNs;
        var latencies = new double[to - from];
        for (int k = from; k < to; k++)
        {
            latencies[k - from] = (sink.StampNs(3 * k) - emitNs[k]) / 1000.0; // the first sample of notification k
        }

        Array.Sort(latencies);
        return new Result(transport, 0, to - from, latencies, after - before, gen0);
    }

    private static void WaitFor(StampingSink sink, int samples, Task run)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(120);
        while (sink.Count < samples)
        {
            if (run.IsCompleted || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"stream stalled at {sink.Count} of {samples} samples");
            }

            Thread.Sleep(20);
        }
    }

    private static string Format(Result r) => string.Create(CultureInfo.InvariantCulture,
        $"round {r.Round} {Name(r.Transport),-22} {r.Notifications} notifications: p50 {P(r.LatenciesUs, 0.5):F0} µs, p90 {P(r.LatenciesUs, 0.9):F0} µs, p99 {P(r.LatenciesUs, 0.99):F0} µs, max {r.LatenciesUs[^1]:F0} µs; {(double)r.AllocatedBytes / r.Notifications:F0} B/notification, {r.Gen0} gen0 GCs");

    private static string Name(BlueZTransport t) => t == BlueZTransport.SdBus ? "sd-bus (libsystemd)" : "Tmds.DBus.Protocol";

    private static double P(double[] sorted, double q) => sorted[(int)Math.Min(sorted.Length - 1, Math.Round(q * (sorted.Length - 1)))];

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Result(BlueZTransport Transport, int Round, int Notifications, double[] LatenciesUs, long AllocatedBytes, int Gen0);

    /// <summary>Stamps each sample's arrival at the sink (monotonic ns) into a preallocated array: no allocation, no consumer.</summary>
    private sealed class StampingSink(int capacity) : IImuSampleSink
    {
        private readonly long[] _stampNs = new long[capacity];
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public long StampNs(int index) => _stampNs[index];

        public bool OnSample(in ImuSample sample)
        {
            int i = _count;
            if (i >= _stampNs.Length)
            {
                return false;
            }

            _stampNs[i] = MonotonicClock.NowNs();
            Volatile.Write(ref _count, i + 1);
            return true;
        }

        public void OnFootfallAnnotation(int sensorId, long timeNs)
        {
        }
    }
}
