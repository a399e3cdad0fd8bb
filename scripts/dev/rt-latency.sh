#!/usr/bin/env bash
# Processing latency (MIDI write - packet arrival) of the whole daemon under CPU load, with and without
# real-time scheduling, side by side: stress-ng keeps W CPU hogs running at normal priority while the
# daemon replays a simulated walk at real-time pace (sped up S times, fast cadence, no pauses, so that
# enough footfalls arrive), alternately with Realtime:Policy=Other and Realtime:Policy=Fifo, R rounds
# of N seconds each (alternating rounds spread the neighbours' load over both). Every footfall's
# processingLatencyMs comes from the JSON-lines event stream; p50/p99/max are nearest-rank over all
# rounds. Prints a Markdown table (docs/figures.md, "Real-time scheduling under CPU load").
#
# usage: scripts/dev/rt-latency.sh [--seconds N] [--rounds R] [--cpu W] [--speed S] [--no-load]
#   defaults: N=60 R=3 W=2 S=4. Fifo needs root, CAP_SYS_NICE or RLIMIT_RTPRIO >= 30; when refused the
#   table says so (those rows then ran under SCHED_OTHER). --no-load: the same pair without stress-ng too.
# Packages: stress-ng (scripts/deps/realtime.apt), python3, the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=60 rounds=3 workers=2 speed=4 noload=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --cpu) workers=$2; shift 2 ;;
    --speed) speed=$2; shift 2 ;;
    --no-load) noload=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "rt-latency.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
command -v stress-ng >/dev/null || { echo "rt-latency.sh: stress-ng is missing (apt-get install stress-ng; scripts/install-deps.sh)" >&2; exit 2; }

dll=src/IolaEdge.Daemon/bin/Release/net10.0/iolaedge.dll
dotnet build src/IolaEdge.Daemon -c Release -nologo -clp:ErrorsOnly >/dev/null
tmp=$(mktemp -d)
stress_pid=""
cleanup() { [[ -n "$stress_pid" ]] && kill "$stress_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

minutes=$(python3 -c "print(round($seconds * $speed / 60 + 1, 2))")
run() { # label policy round
  local label=$1 policy=$2 round=$3 out="$tmp/$1-$3"
  dotnet "$dll" run --source "sim:seed=$round,minutes=$minutes,cadence=160-171.4,pauses=off" --speed "$speed" \
    --duration "$seconds" --midi-file "$out.mid" --events "$out.jsonl" --progress 0 \
    --set Events:LogEachFootfall=false --set Realtime:Policy="$policy" > "$out.log" 2>&1 \
    || { echo "rt-latency.sh: the daemon failed ($label, round $round):" >&2; tail -5 "$out.log" >&2; exit 1; }
}
pair() { # load-label
  for round in $(seq 1 "$rounds"); do
    echo "-- $1, round $round/$rounds: SCHED_OTHER, then SCHED_FIFO (${seconds} s each)" >&2
    run "$1-other" Other "$round"
    run "$1-fifo" Fifo "$round"
  done
}

if [[ $noload -eq 1 ]]; then pair idle; fi
stress-ng --cpu "$workers" --timeout 0 --quiet & stress_pid=$!
sleep 2
pair "stress"
kill "$stress_pid"; wait "$stress_pid" 2>/dev/null || true; stress_pid=""

python3 - "$tmp" "$workers" "$speed" "$seconds" "$rounds" <<'PY'
import glob, json, os, re, sys
tmp, workers, speed, seconds, rounds = sys.argv[1:]
def rank(values, p):
    values = sorted(values)
    return values[max(0, -(-len(values) * p // 100) - 1)]
print(f"| load | policy of pipeline + MIDI threads | footfalls | p50 ms | p99 ms | max ms |")
print(f"|---|---|---|---|---|---|")
for load in ("idle", "stress"):
    for policy in ("other", "fifo"):
        label = f"{load}-{policy}"
        files = sorted(glob.glob(os.path.join(tmp, label + "-*.jsonl")))
        if not files:
            continue
        latencies, applied = [], set()
        for f in files:
            with open(f) as events:
                latencies += [json.loads(l)["processingLatencyMs"] for l in events if l.strip()]
            log = open(f[:-len(".jsonl")] + ".log").read()
            applied |= set(re.findall(r"Real-time thread iolaedge-(?:pipeline|midi) \(tid \d+\): (SCHED_\w+(?: priority \d+)?)", log))
        load_text = "none" if load == "idle" else f"stress-ng --cpu {workers}"
        policy_text = ", ".join(sorted(applied)) or "?"
        if policy == "fifo" and not any(a.startswith("SCHED_FIFO") for a in applied):
            policy_text += " (FIFO refused: no CAP_SYS_NICE / RLIMIT_RTPRIO)"
        print(f"| {load_text} | {policy_text} | {len(latencies)} | {rank(latencies, 50):.3f} | {rank(latencies, 99):.3f} | {max(latencies):.3f} |")
print(f"\n{rounds} rounds x {seconds} s per row, simulated walk at {speed}x real time; load average at the end: {os.getloadavg()[0]:.1f}")
PY
