using System.Text;
using IolaEdge.Dsp.Samples;
using IolaEdge.Recording;
using static IolaEdge.Recording.Tests.Support.RecordingCsvText;

namespace IolaEdge.Recording.Tests;

/// <summary>The optional <c>gyroscopeX,gyroscopeY,gyroscopeZ</c> columns (issue 12).</summary>
public sealed class RecordingCsvGyroscopeTests
{
    private const string GyroHeader = SeedHeader + ",gyroscopeX,gyroscopeY,gyroscopeZ";

    [Fact]
    public void Gyro_rows_in_the_issue_format_carry_angular_velocity_and_footfall_rows_keep_their_seed_form()
    {
        using RecordingCsvReader reader = Reader(GyroHeader + "\n"
            + "1700101000000,0.51891478,0.041702446,0.90967768,0,sample,-0.14341134,0.50815627,-1.0184898\n"
            + "1700101005740,FOOTFALL,FOOTFALL,FOOTFALL,1,footfall,,,\n"
            + "1700101005750,FOOTFALL,FOOTFALL,FOOTFALL,2,footfall\n"
            + "1700101000010,0.5,0.04,0.9,3,sample,12.5,-300,0\n");
        Assert.True(reader.HasAngularVelocityColumns);
        List<RecordedRow> rows = ReadAll(reader);
        Assert.Equal(0, reader.MalformedCount);
        Assert.Equal(4, rows.Count);
        Assert.True(rows[0].Sample.HasAngularVelocity);
        Assert.Equal((-0.14341134f, 0.50815627f, -1.0184898f),
            (rows[0].Sample.AngularVelocityX, rows[0].Sample.AngularVelocityY, rows[0].Sample.AngularVelocityZ));
        Assert.Equal(0.90967768f, rows[0].Sample.Z);
        Assert.Equal((RecordedRowKind.Footfall, 1700101005740L * 1_000_000), (rows[1].Kind, rows[1].TimeNs));
        Assert.Equal(RecordedRowKind.Footfall, rows[2].Kind);
        Assert.Equal((12.5f, -300f, 0f), (rows[3].Sample.AngularVelocityX, rows[3].Sample.AngularVelocityY, rows[3].Sample.AngularVelocityZ));
    }

    [Fact]
    public void Old_six_column_files_read_as_acceleration_only()
    {
        using RecordingCsvReader reader = Reader(SeedHeader + "\n100,0.1,0.2,0.3,0,sample\n110,FOOTFALL,FOOTFALL,FOOTFALL,1,footfall\n");
        Assert.False(reader.HasAngularVelocityColumns);
        List<RecordedRow> rows = ReadAll(reader);
        Assert.Equal(2, rows.Count);
        Assert.False(rows[0].Sample.HasAngularVelocity);
        Assert.True(float.IsNaN(rows[0].Sample.AngularVelocityX));
        Assert.Equal(0, reader.MalformedCount);
    }

    [Fact]
    public void Empty_or_absent_gyro_fields_give_acceleration_only_samples_in_a_mixed_file()
    {
        using RecordingCsvReader reader = Reader(GyroHeader + "\n"
            + "100,0,0,1,0,sample,1,2,3\n"
            + "105,0,0,1,1,sample,,,\n"
            + "110,0,0,1,2,sample\n"
            + "115,0,0,1,3,sample, , , \n"
            + "120,0,0,1,4,sample,4,5,6\n");
        List<RecordedRow> rows = ReadAll(reader);
        Assert.Equal(0, reader.MalformedCount);
        Assert.Equal([true, false, false, false, true], rows.ConvertAll(r => r.Sample.HasAngularVelocity));
        Assert.Equal(6f, rows[4].Sample.AngularVelocityZ);
    }

    [Fact]
    public void Gyro_columns_may_sit_anywhere_the_header_puts_them()
    {
        using RecordingCsvReader reader = Reader(
            "timestamp\taccelerationX\taccelerationY\taccelerationZ\tsequenceNumber\teventType\tsensorTimeNs\tgyroscopeZ\tgyroscopeY\tgyroscopeX\r\n"
            + "10\t1\t2\t3\t0\tsample\t9500000\t-3\t-2\t-1\r\n");
        Assert.True(reader.TryRead(out RecordedRow r));
        Assert.Equal((-1f, -2f, -3f), (r.Sample.AngularVelocityX, r.Sample.AngularVelocityY, r.Sample.AngularVelocityZ));
        Assert.Equal(9_500_000, r.Sample.SensorTimeNs);
    }

    [Fact]
    public void Malformed_gyro_fields_are_counted_and_skipped_with_their_line_numbers()
    {
        using RecordingCsvReader reader = Reader(GyroHeader + "\n"
            + "100,0,0,1,0,sample,1,2,3\n"
            + "101,0,0,1,1,sample,1,x,3\n"        // line 3: not a number
            + "102,0,0,1,2,sample,1,2\n"          // line 4: one of three missing
            + "103,0,0,1,3,sample,1,,3\n"         // line 5: one of three empty
            + "104,0,0,1,4,sample,NaN,2,3\n"      // line 6: not finite
            + "105,0,0,1,5,sample,1,2,Infinity\n" // line 7: not finite
            + "106,0,0,1,6,sample,,,\n");
        List<RecordedRow> rows = ReadAll(reader);
        Assert.Equal(2, rows.Count);
        Assert.Equal(5, reader.MalformedCount);
        Assert.Equal([3L, 4, 5, 6, 7], reader.MalformedLines.Select(m => m.LineNumber));
        Assert.All(reader.MalformedLines, m => Assert.Equal(RecordingCsvError.BadAngularVelocity, m.Error));
        Assert.Equal(["1,x,3", "1,2,", "1,,3", "NaN,2,3", "1,2,Infinity"], reader.MalformedLines.Select(m => m.Value));
        Assert.Equal("line 4: gyroscopeX/Y/Z '1,2,' must be three finite numbers (°/s) or all three empty", reader.MalformedLines[1].Describe());
    }

    [Fact]
    public void NaN_in_all_three_gyro_fields_is_a_gap_in_the_angular_velocity_and_the_acceleration_is_kept()
    {
        using RecordingCsvReader reader = Reader(GyroHeader + "\n"
            + "100,0,0,1,0,sample,1,2,3\n"
            + "105,0.5,0,1,1,sample,NaN,NaN,NaN\n"
            + "110,0,0,1,2,sample,nan,,NAN\n"
            + "115,0,0,1,3,sample,NaN,2,3\n"     // line 5: one of three missing
            + "120,0,0,1,4,sample,4,5,6\n");
        List<RecordedRow> rows = ReadAll(reader);
        Assert.Equal([true, false, false, true], rows.ConvertAll(r => r.Sample.HasAngularVelocity));
        Assert.Equal(0.5f, rows[1].Sample.X);
        Assert.Equal([(5L, RecordingCsvError.BadAngularVelocity)], reader.MalformedLines.Select(m => (m.LineNumber, m.Error)));
    }

    [Fact]
    public void A_header_naming_only_some_gyro_columns_fails_at_open()
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Reader(SeedHeader + ",gyroscopeX,gyroscopeY\n"));
        Assert.Contains("gyroscopeZ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gyro_writer_round_trips_samples_with_and_without_angular_velocity_footfalls_and_detections()
    {
        ImuSample gyro = new(1, 0, 1_000_000_123, 1_002_000_000, 0.25f, -1.5f, 3.125e-3f, 123.456f, -1999.5f, 1e-3f);
        ImuSample plain = new(1, 1, 1_005_000_000, 1_006_000_000, 0.5f, 0.5f, 0.5f);
        MemoryStream ms = new();
        using (RecordingCsvWriter w = new(ms, leaveOpen: true, angularVelocity: true))
        {
            Assert.True(w.HasAngularVelocityColumns);
            w.WriteSample(gyro);
            w.WriteSample(plain);
            w.WriteFootfall(1, 1_010_500_000);
            w.WriteDetection(1, 1_011_000_000, 0.75f);
        }

        string text = Encoding.UTF8.GetString(ms.ToArray());
        Assert.StartsWith(GyroHeader + ",sensorTimeNs,sensorId,score\n", text, StringComparison.Ordinal);
        Assert.Contains(",sample,123.456,-1999.5,0.001,1000000123,1,0\n", text, StringComparison.Ordinal);
        Assert.Contains(",sample,,,,1005000000,1,0\n", text, StringComparison.Ordinal);
        Assert.Contains("1010.5,FOOTFALL,FOOTFALL,FOOTFALL,2,footfall,,,,1010500000,1,1\n", text, StringComparison.Ordinal);

        ms.Position = 0;
        using RecordingCsvReader reader = new(ms);
        Assert.True(reader.HasAngularVelocityColumns);
        List<RecordedRow> rows = ReadAll(reader);
        Assert.Equal(0, reader.MalformedCount);
        Assert.Equal(gyro, rows[0].Sample);
        Assert.Equal(plain, rows[1].Sample);
        Assert.Equal((RecordedRowKind.Footfall, 1_010_500_000L), (rows[2].Kind, rows[2].TimeNs));
        Assert.Equal((RecordedRowKind.Detection, 0.75f), (rows[3].Kind, rows[3].Score));
    }

    [Fact]
    public void An_acceleration_only_writer_writes_todays_format_byte_for_byte()
    {
        MemoryStream ms = new();
        using (RecordingCsvWriter w = new(ms, leaveOpen: true))
        {
            w.WriteSample(new ImuSample(0, 0, 5_000_000, 6_000_000, 1f, 2f, 3f));
            w.WriteFootfall(0, 7_000_000);
            w.WriteDetection(0, 8_000_000, 0.5f);
        }

        Assert.Equal(
            SeedHeader + ",sensorTimeNs,sensorId,score\n"
            + "6,1,2,3,0,sample,5000000,0,0\n"
            + "7,FOOTFALL,FOOTFALL,FOOTFALL,1,footfall,7000000,0,1\n"
            + "8,DETECTION,DETECTION,DETECTION,2,detection,8000000,0,0.5\n",
            Encoding.UTF8.GetString(ms.ToArray()));
    }

    [Fact]
    public void An_acceleration_only_writer_refuses_a_gyro_sample_rather_than_lose_its_angular_velocity()
    {
        using RecordingCsvWriter w = new(Stream.Null);
        Assert.Throws<InvalidOperationException>(() => w.WriteSample(new ImuSample(0, 0, 0, 0, 0f, 0f, 1f, 1f, 2f, 3f)));
    }

    [Fact]
    public void Writing_many_gyro_samples_allocates_nothing_per_row()
    {
        using RecordingCsvWriter w = new(Stream.Null, angularVelocity: true);
        ImuSample s = new(0, 1, 5_000_000_000, 5_000_000_000, 0.123456f, 1.5f, -0.75f, 250.125f, -3.5f, 0.25f);
        w.WriteSample(s);

        // The least of three passes: a one-off allocation on the test thread under a loaded full run (8 KB once) is
        // not the writer's, while a per-row allocation would show in every pass as at least 100 000 objects.
        long least = long.MaxValue;
        for (int pass = 0; pass < 3; pass++)
        {
            ThreadAllocations allocations = ThreadAllocations.Start();
            for (int i = 0; i < 100_000; i++)
            {
                w.WriteSample(s);
            }

            least = Math.Min(least, allocations.Bytes);
        }

        Assert.Equal(0, least);
    }
}
