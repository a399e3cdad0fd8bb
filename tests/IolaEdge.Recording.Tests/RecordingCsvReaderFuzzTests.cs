using System.Text;
using IolaEdge.Recording;

namespace IolaEdge.Recording.Tests;

/// <summary>
/// Randomised (seeded, reproducible) mangling of recording CSV lines: the reader never throws past its header,
/// and every line is accounted for as a record, a blank line or a counted malformed line.
/// </summary>
public sealed class RecordingCsvReaderFuzzTests
{
    private const string Header = "timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType,gyroscopeX,gyroscopeY,gyroscopeZ";

    private static readonly string[] s_tokens =
    [
        "", " ", "NaN", "nan", "Infinity", "-Infinity", "1e39", "-1e400", "1e20", "0x1F", "+", "-", ".", "1.2.3", "١٢", "∞", "\t",
        "sample", "footfall", "FOOTFALL", "detection", "SAMPLE", "\"quoted\"", "9223372036854775808", "-9223372036854775809", "0", "-0", "1e-320",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Mangled_lines_are_read_or_counted_never_thrown(int seed)
    {
        Random rng = new(seed);
        List<string> lines = [];
        for (int i = 0; i < 2500; i++)
        {
            lines.Add(Mangle(ValidLine(rng, i), rng));
        }

        byte[] file = Encoding.UTF8.GetBytes(Header + "\n" + string.Join("\n", lines) + "\n");
        int blank = lines.Count(l => l.Trim(' ', '\t', '\r').Length == 0);
        using RecordingCsvReader reader = new(new MemoryStream(file));
        long records = 0;
        while (reader.TryRead(out RecordedRow r))
        {
            records++;
            if (r.Kind == RecordedRowKind.Sample)
            {
                Assert.True(float.IsFinite(r.Sample.X) && float.IsFinite(r.Sample.Y) && float.IsFinite(r.Sample.Z), $"line {reader.LineNumber}");
                Assert.True(!r.Sample.HasAngularVelocity || float.IsFinite(r.Sample.AngularVelocityX + r.Sample.AngularVelocityY + r.Sample.AngularVelocityZ), $"line {reader.LineNumber}");
            }
        }

        Assert.Equal(lines.Count, records + blank + reader.MalformedCount);
        Assert.InRange(reader.MalformedCount, 1, lines.Count);
        Assert.True(records > 0);
    }

    [Fact]
    public void Mangled_headers_are_read_or_refused_with_a_clear_error()
    {
        Random rng = new(7);
        for (int i = 0; i < 2000; i++)
        {
            string header = Mangle(Header, rng);
            byte[] file = Encoding.UTF8.GetBytes(header + "\n" + ValidLine(rng, 0) + "\n");
            try
            {
                using RecordingCsvReader reader = new(new MemoryStream(file));
                while (reader.TryRead(out _))
                {
                }
            }
            catch (InvalidDataException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                Assert.DoesNotContain('\n', ex.Message);
            }
        }
    }

    private static string ValidLine(Random rng, int i)
    {
        long ms = 1_700_000_000_000 + (i * 5);
        return rng.Next(10) switch
        {
            0 => $"{ms},FOOTFALL,FOOTFALL,FOOTFALL,{i},footfall,,,",
            1 => $"{ms},0.1,0.2,0.98,{i},sample,,,",
            _ => $"{ms},{Num(rng)},{Num(rng)},{Num(rng)},{i},sample,{Num(rng) * 100},{Num(rng) * 100},{Num(rng) * 100}",
        };
    }

    private static double Num(Random rng) => Math.Round((rng.NextDouble() * 4) - 2, 5);

    /// <summary>One to three random edits: drop, duplicate or swap a field, replace it with a nasty token, cut, insert bytes.</summary>
    private static string Mangle(string line, Random rng)
    {
        int edits = rng.Next(0, 4);
        for (int e = 0; e < edits; e++)
        {
            List<string> fields = [.. line.Split(',')];
            int f = rng.Next(fields.Count);
            switch (rng.Next(8))
            {
                case 0:
                    fields.RemoveAt(f);
                    line = string.Join(',', fields);
                    break;
                case 1:
                    fields.Insert(f, fields[f]);
                    line = string.Join(',', fields);
                    break;
                case 2:
                    fields[f] = s_tokens[rng.Next(s_tokens.Length)];
                    line = string.Join(',', fields);
                    break;
                case 3:
                    line = line[..rng.Next(line.Length + 1)];
                    break;
                case 4:
                    line = line.Insert(rng.Next(line.Length + 1), ((char)rng.Next(0x20, 0x2FF)).ToString());
                    break;
                case 5:
                    line = line.Replace(',', rng.Next(2) == 0 ? ';' : '\t');
                    break;
                case 6:
                    line = new string('9', rng.Next(1, 5000)) + line;
                    break;
                default:
                    int a = rng.Next(fields.Count), b = rng.Next(fields.Count);
                    (fields[a], fields[b]) = (fields[b], fields[a]);
                    line = string.Join(',', fields);
                    break;
            }
        }

        return line;
    }
}
