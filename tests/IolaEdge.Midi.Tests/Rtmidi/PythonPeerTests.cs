using System.Diagnostics;
using System.Globalization;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Engine;
using IolaEdge.Midi.Mapping;
using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Rtmidi;
using IolaEdge.Midi.Tests.Support;
using Xunit.Abstractions;

namespace IolaEdge.Midi.Tests.Rtmidi;

/// <summary>The engine's rtmidi output received by an independent peer: python3-rtmidi in another process.</summary>
[Collection(JackCollection.Name)]
[Trait("Category", "Peer")]
[Trait("Category", "Slow")]
public sealed class PythonPeerTests(JackServer jack, ITestOutputHelper log)
{
    [Fact]
    public void A_python_rtmidi_peer_receives_each_note_and_its_latency_stamp_SysEx_exactly()
    {
        jack.Start();
        const int Steps = 20;
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Support", "rtmidi_receiver.py"));
        psi.ArgumentList.Add("iola-py");
        psi.ArgumentList.Add((Steps * 3).ToString(CultureInfo.InvariantCulture)); // note on, SysEx, note off
        psi.ArgumentList.Add("30");
        psi.Environment["JACK_DEFAULT_SERVER"] = jack.ServerName;
        psi.Environment["JACK_NO_START_SERVER"] = "1";
        using Process peer = Process.Start(psi)!;
        var stderr = new System.Text.StringBuilder();
        peer.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        peer.BeginErrorReadLine();
        try
        {
            Assert.Equal("READY", peer.StandardOutput.ReadLine());
            jack.WaitForPort("iola-py:in", TimeSpan.FromSeconds(5));
            using var port = RtMidiOutputPort.Supervised(RtMidiApi.Jack, RtMidiPortSelector.ByName("iola-py:in"), "iola-tx-py");
            Assert.True(port.WaitUntilReady(TimeSpan.FromSeconds(10)), port.LastError);
            var stamped = new List<FootfallEvent>();
            using (var engine = new MidiEngine(port, new MidiMappingOptions
            {
                Default = new SensorMidiMapping { Note = 40, Channel = 3, Velocity = VelocityCurve.Fixed, FixedVelocity = 77, NoteLengthMs = 5 },
                LatencyStamps = true,
            }))
            {
                for (int i = 0; i < Steps; i++)
                {
                    engine.TryEnqueue(new FootfallEvent(2, i, i * 400_000_000L, MonotonicClock.NowNs(), (i * 400_000_000L) + 30_000_000, 1f, 1f));
                    Thread.Sleep(25);
                }

                Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(10)));
                while (engine.Written.TryRead(out FootfallEvent e))
                {
                    stamped.Add(e);
                }
            }

            var lines = new List<(string Hex, long Ns)>();
            string? line;
            while ((line = peer.StandardOutput.ReadLine()) is not null)
            {
                string[] parts = line.Split(' ');
                lines.Add((parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture)));
            }

            Assert.True(peer.WaitForExit(30_000));
            Assert.True(peer.ExitCode == 0, stderr.ToString());
            var noteOns = lines.Where(l => l.Hex == "92284D").ToList();
            Assert.Equal(Steps, noteOns.Count);
            Assert.Equal(Steps, lines.Count(l => l.Hex == "822800"));
            var stamps = lines.Where(l => l.Hex.StartsWith("F07D49", StringComparison.Ordinal)).ToList();
            Assert.Equal(Steps, stamps.Count);
            for (int i = 0; i < Steps; i++)
            {
                Assert.True(MidiMessage.TryParse(Convert.FromHexString(stamps[i].Hex), out MidiMessage sysEx, out string? error), error);
                Assert.True(LatencyStampMessage.TryDecode(sysEx, out int sensor, out long seq, out long algoUs, out long procUs));
                Assert.Equal((2, (long)i, 30_000L), (sensor, seq, algoUs));
                Assert.Equal(stamped[i].ProcessingLatencyNs / 1000, procUs); // up to the rtmidi send, filled in by the sender thread
                Assert.InRange(stamped[i].MidiWriteTimeNs, stamped[i].MidiQueuedTimeNs - 50_000_000, stamped[i].MidiQueuedTimeNs + 500_000_000);
            }

            double[] ms = [.. noteOns.Select((n, i) => (n.Ns - stamped[i].MidiWriteTimeNs) / 1e6).Order()];
            log.WriteLine($"C# rtmidi -> python3-rtmidi over JACK, {Steps} notes: p50 {ms[Steps / 2]:F2} ms, max {ms[^1]:F2} ms");
            Assert.All(ms, v => Assert.InRange(v, -20, 500)); // the sender may be preempted between the send and its stamp
        }
        finally
        {
            if (!peer.HasExited)
            {
                peer.Kill();
                peer.WaitForExit();
            }
        }
    }
}
