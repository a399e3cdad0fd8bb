using System.Text;
using IolaEdge.Dsp.Samples;
using IolaEdge.Recording;
using IolaEdge.Recording.Tests.Support;
using static IolaEdge.Recording.Tests.Support.RecordingCsvText;

namespace IolaEdge.Recording.Tests;

public sealed class RecordingCsvTests
{
    [Fact]
    public void Seed_rows_become_samples_and_footfall_annotations()
    {
        using RecordingCsvReader reader = Reader(SeedHeader + "\n"
            + "1747236808595,0.8630371,0.26794434,0.8446045,0,sample\n"
            + "1747236808645,0.86694336,0.27990723,0.8911133,1,sample\n"
            + "1747236812651,FOOTFALL,FOOTFALL,FOOTFALL,2,footfall\n");
        List<RecordedRow> rows = ReadAll(reader);
        Assert.Equal(3, rows.Count);
        Assert.Equal(RecordedRowKind.Sample, rows[0].Kind);
        Assert.Equal(1747236808595L * 1_000_000, rows[0].Sample.ArrivalTimeNs);
        Assert.Equal(0, rows[0].Sample.SensorTimeNs);
        Assert.Equal(0.8630371f, rows[0].Sample.X);
        Assert.Equal(0.8446045f, rows[0].Sample.Z);
        Assert.Equal(1, rows[1].Sample.Sequence);
        Assert.Equal(RecordedRowKind.Footfall, rows[2].Kind);
        Assert.Equal(1747236812651L * 1_000_000, rows[2].TimeNs);
        Assert.Equal(4, rows[2].LineNumber);
        Assert.Equal(0, reader.MalformedCount);
    }

    [Fact]
    public void Tab_separated_files_with_crlf_and_extra_columns_are_read()
    {
        using RecordingCsvReader reader = Reader(
            "timestamp\taccelerationX\taccelerationY\taccelerationZ\tsequenceNumber\teventType\tsensorTimeNs\tsensorId\r\n"
            + "10\t1\t2\t3\t0\tsample\t9500000\t1\r\n");
        Assert.Equal('\t', reader.Separator);
        Assert.True(reader.TryRead(out RecordedRow r));
        Assert.Equal(9_500_000, r.Sample.SensorTimeNs);
        Assert.Equal(1, r.Sample.SensorId);
        Assert.Equal(3f, r.Sample.Z);
    }

    [Fact]
    public void Malformed_lines_are_counted_and_skipped_with_their_line_numbers()
    {
        List<RecordingCsvMalformedLine> seen = [];
        using RecordingCsvReader reader = Reader(SeedHeader + "\n"
            + "100,1,1,1,0,sample\n"
            + "abc,1,1,1,1,sample\n"          // line 3: bad timestamp
            + "101,1,x,1,2,sample\n"          // line 4: bad acceleration
            + "102,1,1\n"                     // line 5: missing fields
            + "\n"                            // line 6: blank, ignored
            + "103,1,1,1,3,jump\n"            // line 7: unknown event
            + "104,1,1,NaN,4,sample\n"        // line 8: not finite
            + "105,1,1,1,5,sample");          // line 9: no final newline
        reader.MalformedLine += seen.Add;
        List<RecordedRow> rows = ReadAll(reader);
        Assert.Equal(2, rows.Count);
        Assert.Equal(105_000_000, rows[1].TimeNs);
        Assert.Equal(5, reader.MalformedCount);
        Assert.Equal(
            [(3, RecordingCsvError.BadTimestamp), (4, RecordingCsvError.BadAcceleration), (5, RecordingCsvError.MissingFields),
             (7, RecordingCsvError.UnknownEventType), (8, RecordingCsvError.BadAcceleration)],
            reader.MalformedLines.Select(m => (m.LineNumber, m.Error)));
        Assert.Equal(
            ["line 3: timestamp 'abc' is not a time in ms",
             "line 4: accelerationY 'x' is not a finite number of g",
             "line 5: 3 fields, fewer than the header's columns",
             "line 7: eventType 'jump' is not sample, footfall or detection",
             "line 8: accelerationZ 'NaN' is not a finite number of g"],
            reader.MalformedLines.Select(m => m.Describe()));
        Assert.Equal(reader.MalformedLines, seen);
    }

    [Fact]
    public void Beyond_the_remembered_lines_malformed_lines_are_counted_without_their_text()
    {
        int lines = RecordingCsvReader.MaxRememberedMalformedLines + 50;
        List<RecordingCsvMalformedLine> seen = [];
        using RecordingCsvReader reader = Reader(SeedHeader + "\n"
            + string.Concat(Enumerable.Range(0, lines).Select(i => $"{100 + i},1,1,1,{i},smaple\n")) + "999,1,1,1,0,sample\n");
        reader.MalformedLine += seen.Add;

        Assert.Single(ReadAll(reader));

        Assert.Equal(lines, reader.MalformedCount);
        Assert.Equal(RecordingCsvReader.MaxRememberedMalformedLines, reader.MalformedLines.Count);
        Assert.All(reader.MalformedLines, m => Assert.Equal("smaple", m.Value));
        Assert.Equal(lines, seen.Count);
        Assert.All(seen.Skip(RecordingCsvReader.MaxRememberedMalformedLines), m => Assert.Null(m.Value));
        Assert.Equal($"line {lines + 1}: eventType is not sample, footfall or detection", seen[^1].Describe());
    }

    [Fact]
    public void Whole_numbers_written_as_decimals_are_read_in_the_integer_columns_and_fractions_are_not()
    {
        using RecordingCsvReader reader = Reader(SeedHeader + ",sensorTimeNs,sensorId\n"
            + "100,1,1,1,17.0,sample,9.5e6,2.0\n"
            + "110,FOOTFALL,FOOTFALL,FOOTFALL,18.000,footfall\n"
            + "120,1,1,1,19.5,sample\n"      // line 4: a fraction is no row index
            + "130,1,1,1,20,sample,1e300\n"  // line 5: beyond what a double holds exactly
            + "140,1,1,1,21,sample,,3e9\n"   // line 6: no sensor id
            + "150,1,1,1,22,sample\n");
        List<RecordedRow> rows = ReadAll(reader);
        Assert.Equal((17L, 9_500_000L, 2), (rows[0].Sample.Sequence, rows[0].Sample.SensorTimeNs, rows[0].SensorId));
        Assert.Equal(RecordedRowKind.Footfall, rows[1].Kind);
        Assert.Equal(22L, rows[2].Sample.Sequence);
        Assert.Equal(
            ["line 4: sequenceNumber '19.5' is not a number", "line 5: sensorTimeNs '1e300' is not a number", "line 6: sensorId '3e9' is not a number"],
            reader.MalformedLines.Select(m => m.Describe()));
    }

    [Fact]
    public void A_line_longer_than_the_buffer_is_reported_once_and_reading_goes_on()
    {
        string huge = "1," + new string('9', 200_000) + ",1,1,0,sample\n";
        using RecordingCsvReader reader = Reader(SeedHeader + "\n" + huge + "7,1,1,1,1,sample\n");
        List<RecordedRow> rows = ReadAll(reader);
        Assert.Single(rows);
        Assert.Equal(3, rows[0].LineNumber);
        RecordingCsvMalformedLine tooLong = Assert.Single(reader.MalformedLines);
        Assert.Equal((2, RecordingCsvError.LineTooLong), (tooLong.LineNumber, tooLong.Error));
        Assert.Equal("line 2: longer than the reader's 64 KiB buffer", tooLong.Describe());
    }

    [Fact]
    public void A_missing_header_column_fails_at_open_naming_the_header()
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Reader("timestamp,x,y,z\n1,2,3,4\n"));
        Assert.Contains("accelerationX", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => Reader(""));
    }

    [Fact]
    public void Writer_output_reads_back_identically_including_detections()
    {
        MemoryStream ms = new();
        using (RecordingCsvWriter w = new(ms, leaveOpen: true))
        {
            w.WriteSample(new ImuSample(1, 0, 1_000_000_123, 1_002_000_000, 0.25f, -1.5f, 3.125e-3f));
            w.WriteFootfall(1, 1_010_500_000);
            w.WriteDetection(1, 1_011_000_000, 0.75f);
            Assert.Equal(3, w.Rows);
        }

        string text = Encoding.UTF8.GetString(ms.ToArray());
        Assert.StartsWith(SeedHeader + ",sensorTimeNs,sensorId,score\n", text, StringComparison.Ordinal);
        Assert.Contains("1010.5,FOOTFALL,FOOTFALL,FOOTFALL,1,footfall,1010500000,1,1\n", text, StringComparison.Ordinal);

        ms.Position = 0;
        using RecordingCsvReader reader = new(ms);
        List<RecordedRow> rows = ReadAll(reader);
        Assert.Equal(new ImuSample(1, 0, 1_000_000_123, 1_002_000_000, 0.25f, -1.5f, 3.125e-3f), rows[0].Sample);
        Assert.Equal((RecordedRowKind.Footfall, 1_010_500_000L, 1), (rows[1].Kind, rows[1].TimeNs, rows[1].SensorId));
        Assert.Equal((RecordedRowKind.Detection, 1_011_000_000L, 0.75f), (rows[2].Kind, rows[2].TimeNs, rows[2].Score));
        Assert.Equal(0, reader.MalformedCount);
    }

    [Theory]
    [InlineData(1_747_236_808_595_000_000L, "1747236808595")]
    [InlineData(1_500_000L, "1.5")]
    [InlineData(1_000_001L, "1.000001")]
    [InlineData(-1_500_000L, "-2.5")]
    public void Milliseconds_are_formatted_exactly(long ns, string expected)
    {
        Span<byte> buf = stackalloc byte[64];
        int n = RecordingCsvWriter.FormatMs(ns, buf);
        Assert.Equal(expected, Encoding.ASCII.GetString(buf[..n]));
    }

    [Fact]
    public void Writing_many_samples_allocates_nothing_per_row()
    {
        using RecordingCsvWriter w = new(Stream.Null);
        ImuSample s = new(0, 1, 5_000_000_000, 5_000_000_000, 0.123456f, 1.5f, -0.75f);
        w.WriteSample(s);
        ThreadAllocations allocations = ThreadAllocations.Start();
        for (int i = 0; i < 100_000; i++)
        {
            w.WriteSample(s);
        }

        Assert.Equal(0, allocations.Bytes);
    }

    [Fact]
    public async Task Csv_source_replays_samples_and_annotations_in_file_order()
    {
        string path = Path.Combine(Path.GetTempPath(), $"iolaedge-{Guid.NewGuid():N}.csv");
        try
        {
            await File.WriteAllTextAsync(path, SeedHeader + "\n100,0,0,1,0,sample\nbad\n120,FOOTFALL,FOOTFALL,FOOTFALL,1,footfall\n130,0,0,1,2,sample\n");
            CsvImuSource source = new(path);
            CollectingSink sink = new();
            await source.RunAsync(sink, CancellationToken.None);
            Assert.Equal([100_000_000L, 130_000_000L], sink.Samples.ConvertAll(s => s.ArrivalTimeNs));
            Assert.Equal([(0, 120_000_000L)], sink.Annotations);
            Assert.Equal(1, source.MalformedLines);

            CsvImuSource paced = new(path, speedFactor: 10);
            CollectingSink sink2 = new();
            await paced.RunAsync(sink2, CancellationToken.None);
            Assert.Equal(2, sink2.Samples.Count);
            Assert.Contains("x10", paced.Description, StringComparison.Ordinal);
            Assert.Throws<ArgumentOutOfRangeException>(() => new CsvImuSource(path, -1));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
