"""Independent Standard MIDI File reader (Debian python3-mido): prints every channel message as JSON
with its absolute time in seconds, so the daemon's tests do not trust the project's own writer."""
import json
import sys

import mido

midi = mido.MidiFile(sys.argv[1])
notes = []
seconds = 0.0
for message in midi:  # merged tracks, delta times converted to seconds with the file's tempo map
    seconds += message.time
    if message.type in ("note_on", "note_off"):
        notes.append({"type": message.type, "channel": message.channel, "note": message.note,
                      "velocity": message.velocity, "seconds": seconds})
print(json.dumps({"type": midi.type, "notes": notes}))
