using System.CommandLine;
using IolaEdge.Daemon.Commands;
using IolaEdge.Recording;

namespace IolaEdge.Daemon.Tests.Cli;

/// <summary><c>iolaedge simulate</c> writes the gyroscope columns unless the spec says <c>gyro=off</c>.</summary>
public sealed class SimulateCommandGyroscopeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-sim-gyro-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<int> Simulate(params string[] args) =>
        new RootCommand { new SimulateCommand() }.Parse(["simulate", .. args]).InvokeAsync();

    private static List<RecordedRow> Read(string path, out bool gyroColumns)
    {
        using RecordingCsvReader reader = RecordingCsvReader.Open(path);
        gyroColumns = reader.HasAngularVelocityColumns;
        List<RecordedRow> rows = [];
        while (reader.TryRead(out RecordedRow r))
        {
            rows.Add(r);
        }

        Assert.Equal(0, reader.MalformedCount);
        return rows;
    }

    [Fact]
    public async Task A_simulated_walk_is_written_with_angular_velocity_on_every_sample()
    {
        string path = Path.Combine(_dir, "walk.csv");
        Assert.Equal(0, await Simulate("--source", "sim:seed=3,minutes=0.2", "--out", path));
        Assert.StartsWith("timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType,gyroscopeX,gyroscopeY,gyroscopeZ,",
            File.ReadLines(path).First(), StringComparison.Ordinal);
        List<RecordedRow> rows = Read(path, out bool gyro);
        Assert.True(gyro);
        Assert.All(rows.Where(r => r.Kind == RecordedRowKind.Sample), r => Assert.True(r.Sample.HasAngularVelocity));
        Assert.Contains(rows, r => r.Kind == RecordedRowKind.Footfall);
        Assert.Contains(File.ReadLines(path), l => l.Contains(",FOOTFALL,FOOTFALL,FOOTFALL,", StringComparison.Ordinal) && l.Contains(",footfall,,,,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gyro_off_writes_the_acceleration_only_format()
    {
        string path = Path.Combine(_dir, "walk-acc.csv");
        Assert.Equal(0, await Simulate("--source", "sim:seed=3,minutes=0.2,gyro=off", "--out", path));
        Assert.Equal("timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType,sensorTimeNs,sensorId,score", File.ReadLines(path).First());
        List<RecordedRow> rows = Read(path, out bool gyro);
        Assert.False(gyro);
        Assert.All(rows, r => Assert.False(r.Sample.HasAngularVelocity));
    }
}
