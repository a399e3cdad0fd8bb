#!/usr/bin/env bash
# Side by side in one run of the real daemon (simulated walk, real time): its processing latency p99
# without and with the tuning page open, the page's update latency (server snapshot -> DOM) and the RSS
# with the page idle (Kestrel up, no page) and open. Needs the browser tests built (Release) and
# chromium-headless-shell (scripts/deps/web.apt). Usage: scripts/dev/web-measure.sh [SECONDS_PER_PHASE [SPEED]]
set -euo pipefail
cd "$(dirname "$0")/../.."
phase=${1:-60}
speed=${2:-1}
bin=tests/IolaEdge.Web.Tests/bin/Release/net10.0
[[ -f $bin/iolaedge.dll ]] || { echo "build tests/IolaEdge.Web.Tests (Release) first" >&2; exit 1; }
tmp=$(mktemp -d); trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
token=measure-token-0123456789
dotnet "$bin/iolaedge.dll" run --source "sim:minutes=10,seed=3" --speed "$speed" --duration $((2 * phase + 30)) --midi file -o "$tmp/run.mid" \
  --events "$tmp/events.jsonl" --progress 0 --set Events:LogEachFootfall=false --set Web:Enabled=true \
  --set Web:Listen=127.0.0.1:0 --set "Web:Token=$token" > "$tmp/daemon.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "Tuning page on" "$tmp/daemon.log" && break; sleep 0.2; done
url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$tmp/daemon.log" | head -1)
rss() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }

sleep "$phase"
idle_rss=$(rss)
split=$(wc -l < "$tmp/events.jsonl")
page=$("$bin/.playwright/node/linux-x64/node" scripts/dev/web-measure.mjs "$PWD/$bin/.playwright/package" "${url}?token=$token" "$phase" &
  sleep $((phase / 2)); rss > "$tmp/open-rss"; wait)
open_rss=$(cat "$tmp/open-rss")
total=$(wc -l < "$tmp/events.jsonl")
kill -TERM "$pid"; wait "$pid" || true

python3 - "$tmp/events.jsonl" "$split" "$total" "$idle_rss" "$open_rss" "$page" <<'PY'
import json, math, sys
path, split, total, idle_rss, open_rss, page = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], json.loads(sys.argv[6])
events = [json.loads(l) for l in open(path)][:total]
def p(values, q):
    values = sorted(values); return values[max(0, math.ceil(q / 100 * len(values)) - 1)]
def proc(evs): return [(e["midiWriteNs"] - e["arrivalNs"]) / 1e6 for e in evs if e["midiWriteNs"]]
a, b = proc(events[:split]), proc(events[split:])
print(f"{'':34}{'page closed':>14}{'page open':>14}")
print(f"{'footfalls':34}{len(a):>14}{len(b):>14}")
print(f"{'processing latency p50 (ms)':34}{p(a,50):>14.3f}{p(b,50):>14.3f}")
print(f"{'processing latency p99 (ms)':34}{p(a,99):>14.3f}{p(b,99):>14.3f}")
print(f"{'RSS (MiB)':34}{idle_rss:>14}{open_rss:>14}")
print(f"page: {page['frames']} frames, {page['fps']:.1f} frames/s; update latency (snapshot -> DOM) p50 {page['p50']:.1f} ms, p99 {page['p99']:.1f} ms, max {page['max']:.1f} ms")
PY
