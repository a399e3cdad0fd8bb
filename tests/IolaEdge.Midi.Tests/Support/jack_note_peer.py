"""Independent sending peer for the MIDI learn tests: Debian's python3-rtmidi (bundling its own RtMidi).

Opens virtual output CLIENT:out on the JACK server named by JACK_DEFAULT_SERVER, prints READY, then reads
commands from stdin, one per line: "note CHANNEL NOTE VELOCITY" (channel 1..16) sends a Note On and prints
SENT, "off CHANNEL NOTE" a Note Off and "cc CHANNEL CONTROL VALUE" a control change likewise; "quit" (or end of input)
closes the port.
"""
import sys

import rtmidi

client = sys.argv[1]
midi_out = rtmidi.MidiOut(rtapi=rtmidi.API_UNIX_JACK, name=client)
midi_out.open_virtual_port("out")
print("READY", flush=True)
for line in sys.stdin:
    words = line.split()
    if not words or words[0] == "quit":
        break
    if words[0] == "note":
        channel, note, velocity = int(words[1]), int(words[2]), int(words[3])
        midi_out.send_message([0x90 | (channel - 1), note, velocity])
        print("SENT", flush=True)
    elif words[0] == "off":
        channel, note = int(words[1]), int(words[2])
        midi_out.send_message([0x80 | (channel - 1), note, 0])
        print("SENT", flush=True)
    elif words[0] == "cc":
        channel, control, value = int(words[1]), int(words[2]), int(words[3])
        midi_out.send_message([0xB0 | (channel - 1), control, value])
        print("SENT", flush=True)
midi_out.close_port()
del midi_out
