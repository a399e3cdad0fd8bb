"""Independent SMF reader for the tests: prints the file as JSON using Debian's python3-mido."""
import json
import sys

import mido

mid = mido.MidiFile(sys.argv[1])
tracks = []
for track in mid.tracks:
    tick = 0
    events = []
    for msg in track:
        tick += msg.time
        if msg.is_meta:
            item = {"tick": tick, "meta": msg.type}
            if msg.type == "set_tempo":
                item["tempo"] = msg.tempo
            events.append(item)
        else:
            events.append({"tick": tick, "bytes": msg.hex()})
    tracks.append(events)
print(json.dumps({"type": mid.type, "ticks_per_beat": mid.ticks_per_beat, "tracks": tracks}))
