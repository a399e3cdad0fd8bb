#!/usr/bin/env bash
# Processing latency of one real-time run of the real daemon, both definitions side by side from the same events:
# queued (packet arrival -> the MIDI thread handed the note to its output; the definition before issue 14) and sent
# (packet arrival -> the bytes left: write(2) or the rtmidi send returned on the port's sender thread).
# Usage: scripts/dev/midi-stamps.sh [--midi raw|jack|file ...extra daemon arguments]
# Default: --midi raw --midi-device /dev/null. Prefix with `chrt -r 10` to run as the systemd unit does.
# For jack, start a server first (docs/midi.md) and pass --midi jack --midi-port virtual:out.
set -euo pipefail
cd "$(dirname "$0")/../.."
dll=src/IolaEdge.Daemon/bin/Release/net10.0/iolaedge.dll
[[ -f $dll ]] || { echo "build src/IolaEdge.Daemon (Release) first" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
args=("$@"); [[ ${#args[@]} -gt 0 ]] || args=(--midi raw --midi-device /dev/null)
dotnet "$dll" run --source "${SOURCE:-sim:seed=21,minutes=1}" "${args[@]}" --events "$tmp/events.jsonl" \
  --set Events:LogEachFootfall=false > "$tmp/daemon.log" 2>&1 || { cat "$tmp/daemon.log" >&2; exit 1; }
grep -E "MIDI stamps:|^MIDI |\] MIDI " "$tmp/daemon.log" || true
/usr/bin/python3 - "$tmp/events.jsonl" <<'PY'
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
evs = [e for e in evs if e["kind"] == "detected" and e["trigger"] == "detected"]
def pct(v, p):
    v = sorted(v); return v[min(len(v) - 1, max(0, round(p / 100 * len(v) + 0.5) - 1))] if v else float("nan")
queued = [(e["midiQueuedNs"] - e["arrivalNs"]) / 1e6 for e in evs if e["midiQueuedNs"]]
sent = [(e["midiWriteNs"] - e["arrivalNs"]) / 1e6 for e in evs if e["midiWriteNs"]]
gap = [(e["midiWriteNs"] - e["midiQueuedNs"]) / 1e6 for e in evs if e["midiWriteNs"] and e["midiQueuedNs"]]
print(f"{len(evs)} detected notes; {len(sent)} with a sent time")
print(f"{'ms':28}{'p50':>8}{'p90':>8}{'p99':>8}{'max':>8}")
for name, v in (("queued - arrival (old)", queued), ("sent - arrival (new)", sent), ("sent - queued", gap)):
    print(f"{name:28}" + "".join(f"{pct(v, p):8.3f}" for p in (50, 90, 99, 100)))
if gap and min(gap) < 0:
    print(f"sent - queued min {min(gap):.3f} ms (negative: the port's thread wrote before the MIDI thread, busy waking it, read the clock)")
PY
