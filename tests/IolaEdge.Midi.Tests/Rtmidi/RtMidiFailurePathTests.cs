using IolaEdge.Midi.Rtmidi;

namespace IolaEdge.Midi.Tests.Rtmidi;

/// <summary>Failure paths of the rtmidi binding that need no JACK server.</summary>
[Trait("Category", "Peer")]
public class RtMidiFailurePathTests
{
    [Fact]
    public void ALSA_without_a_sequencer_device_fails_with_a_message_naming_the_missing_sequencer()
    {
        if (File.Exists("/dev/snd/seq"))
        {
            // A machine with a sequencer: the same calls must succeed instead.
            Assert.NotNull(RtMidiSystem.ListOutputPorts(RtMidiApi.Alsa));
            return;
        }

        var outEx = Assert.Throws<RtMidiException>(() => RtMidiOutputPort.Open(RtMidiApi.Alsa, RtMidiPortSelector.Virtual("out")));
        Assert.Equal("rtmidi_out_create", outEx.Call);
        Assert.Contains("ALSA sequencer device /dev/snd/seq does not exist", outEx.Message, StringComparison.Ordinal);
        var inEx = Assert.Throws<RtMidiException>(() => RtMidiSystem.ListInputPorts(RtMidiApi.Alsa));
        Assert.Equal("rtmidi_in_create", inEx.Call);
        Assert.Contains("/dev/snd/seq", inEx.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_and_empty_names_are_refused_before_reaching_the_library()
    {
        // librtmidi aborts the process on a null name; the binding must never pass one.
        Assert.Throws<ArgumentException>(() => RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.ByIndex(0), clientName: null!));
        Assert.Throws<ArgumentException>(() => RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.ByIndex(0), clientName: ""));
        Assert.Throws<ArgumentException>(() => RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.ByIndex(0), portName: null!));
        Assert.Throws<ArgumentException>(() => RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.ByIndex(0), portName: "a\0b"));
        Assert.ThrowsAny<ArgumentException>(() => RtMidiPortSelector.Virtual(null!));
        Assert.ThrowsAny<ArgumentException>(() => RtMidiSystem.ListOutputPorts(RtMidiApi.Jack, ""));
    }

    [Fact]
    public void An_API_that_is_neither_alsa_nor_jack_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RtMidiSystem.ListOutputPorts((RtMidiApi)0));
        var ex = Assert.Throws<ArgumentException>(() => RtMidiApiNames.Parse("core"));
        Assert.Contains("Midi:Rtmidi:Api = 'core'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(RtMidiApi.Jack, RtMidiApiNames.Parse("JACK"));
        Assert.Equal(RtMidiApi.Alsa, RtMidiApiNames.Parse("alsa"));
    }

    [Fact]
    public void The_library_reports_alsa_and_jack_compiled_in()
    {
        Assert.Equal(["alsa", "jack"], RtMidiSystem.CompiledApis());
    }

    [Theory]
    [InlineData("virtual:walk", RtMidiPortSelectorKind.Virtual, "walk")]
    [InlineData("index:2", RtMidiPortSelectorKind.Index, "2")]
    [InlineData("regex:^synth:.*in$", RtMidiPortSelectorKind.Regex, "^synth:.*in$")]
    [InlineData("name:USB MIDI", RtMidiPortSelectorKind.Name, "USB MIDI")]
    [InlineData("Fluid", RtMidiPortSelectorKind.Name, "Fluid")]
    public void Port_selectors_parse_from_configuration_text(string text, RtMidiPortSelectorKind kind, string value)
    {
        RtMidiPortSelector s = RtMidiPortSelector.Parse(text);
        Assert.Equal(kind, s.Kind);
        Assert.Equal(value, s.Text);
    }

    [Theory]
    [InlineData("index:-1")]
    [InlineData("regex:(")]
    [InlineData("virtual:")]
    [InlineData("  ")]
    public void Bad_port_selectors_fail_naming_the_key_and_the_allowed_forms(string text)
    {
        var ex = Assert.Throws<ArgumentException>(() => RtMidiPortSelector.Parse(text));
        Assert.Contains("Midi:Rtmidi:Port", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Selectors_find_ports_by_index_substring_and_regex()
    {
        string[] names = ["system:midi_playback_1", "fluidsynth:midi_00", "walk-rx:in"];
        Assert.Equal(1, RtMidiPortSelector.ByName("FLUID").FindIn(names));
        Assert.Equal(2, RtMidiPortSelector.ByRegex("^walk-.*:in$").FindIn(names));
        Assert.Equal(0, RtMidiPortSelector.ByIndex(0).FindIn(names));
        Assert.Equal(-1, RtMidiPortSelector.ByIndex(3).FindIn(names));
        Assert.Equal(-1, RtMidiPortSelector.ByName("absent").FindIn(names));
    }

    [Fact]
    public void The_auto_selector_takes_the_first_port_of_another_client_skipping_ours_and_midi_through()
    {
        string[] alsa = ["Midi Through:Midi Through Port-0 14:0", "iolaedge-learn:in 128:0", "iolaedge:out 129:0", "microKORG XL:microKORG XL MIDI 1 24:0"];
        Assert.Equal(3, RtMidiPortSelector.Parse("auto").FindIn(alsa));
        string[] jack = ["iolaedge-learn:in", "a2j:Midi Through [14] (playback): Midi Through Port-0", "IolaEdge-01:in", "system:midi_playback_1"];
        Assert.Equal(3, RtMidiPortSelector.Parse("AUTO").FindIn(jack));
        Assert.Equal(-1, RtMidiPortSelector.Auto().FindIn(["iolaedge-learn:in"]));
        Assert.Equal("auto", RtMidiPortSelector.Auto().ToString());
    }

    [Fact]
    public void The_input_opener_refuses_bad_names_at_once_and_opens_nothing_once_disposed()
    {
        RtMidiPortSelector keys = RtMidiPortSelector.ByName("keys:out");
        Assert.Equal("clientName", Assert.Throws<ArgumentException>(() => new RtMidiInputOpener(RtMidiApi.Jack, keys, "")).ParamName);
        Assert.Equal("portName", Assert.Throws<ArgumentException>(() => new RtMidiInputOpener(RtMidiApi.Jack, keys, "learn", "a\0b")).ParamName);

        RtMidiInputOpener opener = new(RtMidiApi.Jack, keys, "learn");
        opener.Dispose();
        Assert.Throws<ObjectDisposedException>(() => opener.Open());
        Assert.Equal(0, opener.ClientsCreated);
    }

    [Fact]
    public void The_input_opener_without_an_ALSA_sequencer_fails_naming_it_and_keeps_nothing()
    {
        if (File.Exists("/dev/snd/seq"))
        {
            return; // a machine with a sequencer: the failure cannot happen here
        }

        using RtMidiInputOpener opener = new(RtMidiApi.Alsa, RtMidiPortSelector.Auto(), "learn");
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var ex = Assert.Throws<RtMidiException>(() => opener.Open());
            Assert.Equal("rtmidi_in_create", ex.Call);
            Assert.Contains("/dev/snd/seq", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, opener.ClientsCreated);
    }
}
