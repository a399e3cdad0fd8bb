"""Independent receiving peer for the JACK tests: Debian's python3-rtmidi (bundling its own RtMidi).

Opens virtual input CLIENT:in on the JACK server named by JACK_DEFAULT_SERVER, prints READY, then one
line per message: hex bytes and time.monotonic_ns() at receipt (CLOCK_MONOTONIC, as the C# side).
Exits after COUNT messages or TIMEOUT seconds.
"""
import sys
import time

import rtmidi

client, count, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
midi_in = rtmidi.MidiIn(rtapi=rtmidi.API_UNIX_JACK, name=client)
midi_in.ignore_types(sysex=False, timing=False, active_sense=False)
midi_in.open_virtual_port("in")
print("READY", flush=True)
received = 0
deadline = time.monotonic() + timeout
while received < count and time.monotonic() < deadline:
    item = midi_in.get_message()
    if item is None:
        time.sleep(0.001)
        continue
    message, _delta = item
    print("".join(f"{b:02X}" for b in message), time.monotonic_ns(), flush=True)
    received += 1
midi_in.close_port()
del midi_in
