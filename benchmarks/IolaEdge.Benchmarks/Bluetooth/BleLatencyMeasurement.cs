using System.Globalization;
using IolaEdge.Bluetooth;
using IolaEdge.Bluetooth.Tests.Support;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Benchmarks.Bluetooth;

/// <summary>
/// <c>ble-latency</c>: the live BLE path against the dbusmock rig (private dbus-daemon + python3-dbusmock +
/// the fake MetaWear of the Bluetooth peer tests). Each round streams the packed 200 Hz accelerometer
/// (66.7 notifications/s, as a real board) through the whole <see cref="BleImuSource"/> on a fresh rig and
/// reports notification-to-ring latency (the fake board's CLOCK_MONOTONIC stamp just before it emits the
/// signal → the sample written to the sink) and process-wide allocated bytes per notification over the
/// measured window.
/// </summary>
/// <remarks>
/// Not a BenchmarkDotNet job: a stream paced by the peer cannot be repeated as an operation. The side-by-side
/// comparison with the retired sd-bus transport (sequential and paired rounds) is the <c>ble-transports</c>
/// command at commit e72fc76; its figures are in docs/bluetooth.md.
/// </remarks>
internal static class BleLatencyMeasurement
{
    private const string Mac = "F1:2B:3C:4D:5E:6F";
    private const int WarmupNotifications = 150;

    public static int Run(string[] args)
    {
        int notifications = Option(args, "--notifications", 2000);
        int rounds = Option(args, "--rounds", 2);
        Console.WriteLine($"ble-latency: {rounds} round(s) x {notifications} packed notifications at 66.7/s, {Environment.ProcessorCount} CPUs, {Environment.OSVersion}, .NET {Environment.Version}");
        var results = new List<Result>();
        for (int round = 1; round <= rounds; round++)
        {
            Result r = Measure(notifications);
            results.Add(r with { Round = round });
            Console.WriteLine(Format(results[^1]));
        }

        Console.WriteLine();
        Console.WriteLine("| transport | notifications | p50 µs | p90 µs | p99 µs | max µs | allocated B/notification | gen0 GCs |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        double[] all = results.SelectMany(r => r.LatenciesUs).Order().ToArray();
        long n = results.Sum(r => r.Notifications);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| Tmds.DBus.Protocol | {n} | {P(all, 0.5):F0} | {P(all, 0.9):F0} | {P(all, 0.99):F0} | {all[^1]:F0} | {(double)results.Sum(r => r.AllocatedBytes) / n:F0} | {results.Sum(r => r.Gen0)} |"));

        return 0;
    }

    private static Result Measure(int notifications)
    {
        int total = WarmupNotifications + notifications;
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, Walk.Generate((total + 50) * 3)), intervalMs: 15);
        BleImuSourceOptions options = BleSourceSpec.Parse("ble:" + Mac);
        options.BusAddress = rig.Address;
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
        return new Result(0, to - from, latencies, after - before, gen0);
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
        $"round {r.Round}: {r.Notifications} notifications: p50 {P(r.LatenciesUs, 0.5):F0} µs, p90 {P(r.LatenciesUs, 0.9):F0} µs, p99 {P(r.LatenciesUs, 0.99):F0} µs, max {r.LatenciesUs[^1]:F0} µs; {(double)r.AllocatedBytes / r.Notifications:F0} B/notification, {r.Gen0} gen0 GCs");

    private static double P(double[] sorted, double q) => sorted[(int)Math.Min(sorted.Length - 1, Math.Round(q * (sorted.Length - 1)))];

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Result(int Round, int Notifications, double[] LatenciesUs, long AllocatedBytes, int Gen0);

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
