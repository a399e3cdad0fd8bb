#!/usr/bin/env bash
# Deployment checks (issue 7), time budget about 4 minutes on 2 cores:
#  1. the systemd unit passes `systemd-analyze verify`, and its `systemd-analyze security` exposure is <= 2.5;
#  2. a self-contained linux-arm64 publish (Windows runtime files trimmed) installs into a temp root
#     with deploy/install.sh, twice (idempotent);
#  3. the arm64 build runs under qemu-aarch64-static with the arm64 cross libc as sysroot and a fake
#     ARM /proc/cpuinfo (ONNX Runtime segfaults at init under qemu without it): `iolaedge --version`,
#     then the bundled walk replayed with each detector, compared with the x64 build: footfall events
#     exactly (dsp) or within one sample (learned), and the MIDI file byte for byte (dsp; learned
#     detectors: byte for byte or every note-on within a sample). onnx-window runs on the walk's first
#     20 s (each window call takes ~2 s under qemu).
# Budget: publish ~2 min, qemu --version ~5 s, replays up to 4 x 240 s worst case (timeouts).
# Packages: scripts/deps/deploy.apt.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
step() { echo "-- 80-deploy: $* (t=$((SECONDS - start)) s)"; }
fail() { echo "80-deploy: FAIL: $*" >&2; exit 1; }

step "publish linux-arm64"
pub="$tmp/publish"
deploy/publish.sh --runtime linux-arm64 --output "$pub" >/dev/null
file "$pub/iolaedge" | grep -q "ARM aarch64" || fail "$pub/iolaedge is not an aarch64 executable"
if find "$pub" -type f \( -iname '*.dll' -o -iname '*.exe' \) -exec file {} + | grep -v 'Mono/.Net assembly' | grep -q 'PE32'; then
  fail "Windows native files left in the linux-arm64 publish"
fi
[[ -f "$pub/data/walks/bundled-walk.csv" ]] || fail "the bundled walk is missing from the publish"
echo "publish: $(du -sm "$pub" | cut -f1) MB, $(find "$pub" -type f | wc -l) files"

step "install.sh into a temp root (twice)"
root="$tmp/root"
mkdir -p "$root/etc"
touch "$root/etc/passwd" "$root/etc/group" "$root/etc/shadow" "$root/etc/gshadow"
deploy/install.sh --published "$pub" --prefix "$root" > "$tmp/install1.log"
deploy/install.sh --published "$pub" --prefix "$root" > "$tmp/install2.log"
cat "$tmp/install1.log"
[[ -x "$root/opt/iolaedge/iolaedge" ]] || fail "daemon not installed"
[[ -f "$root/etc/iolaedge/iolaedge.json" ]] || fail "config not installed"
cmp -s deploy/systemd/iolaedge.service "$root/etc/systemd/system/iolaedge.service" || fail "unit not installed"
grep -q '^iolaedge:' "$root/etc/passwd" || fail "user not created"
for g in bluetooth audio gpio; do
  grep -q "^$g:.*iolaedge" "$root/etc/group" || fail "user not in group $g"
done
grep -q "unchanged" "$tmp/install2.log" || fail "second install re-copied the daemon: $(cat "$tmp/install2.log")"
grep -q "kept existing" "$tmp/install2.log" || fail "second install touched the config"
[[ $(grep -c '^iolaedge:' "$root/etc/passwd") -eq 1 ]] || fail "second install duplicated the user"
deploy/install.sh --dry-run --prefix "$tmp/dry" >/dev/null
[[ ! -e "$tmp/dry" ]] || fail "--dry-run changed the file system"

step "systemd-analyze verify"
# verify resolves ExecStart on this file system: check a copy pointing into the temp root.
sed "s|/opt/iolaedge/|$root/opt/iolaedge/|g" deploy/systemd/iolaedge.service > "$tmp/iolaedge.service"
systemd-analyze verify "$tmp/iolaedge.service"
exposure=$(systemd-analyze security --offline=true "$tmp/iolaedge.service" 2>&1 | sed -n 's/.*Overall exposure level for iolaedge.service: \([0-9.]*\).*/\1/p')
echo "systemd-analyze security: exposure $exposure (goal <= 2.5)"
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.5) }' || fail "exposure '$exposure' above 2.5"

step "arm64 under qemu-aarch64-static"
sysroot="$tmp/sysroot"
mkdir -p "$sysroot/proc"
ln -s /usr/aarch64-linux-gnu/lib "$sysroot/lib"
for ((i = 0; i < $(nproc); i++)); do
  printf 'processor\t: %d\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd08\nCPU revision\t: 3\n\n' "$i"
done > "$sysroot/proc/cpuinfo"
qemu() { QEMU_LD_PREFIX="$sysroot" DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 timeout 120 qemu-aarch64-static -cpu cortex-a72 "$@"; }
t0=$SECONDS
version=$(qemu "$pub/iolaedge" --version)
echo "qemu arm64: iolaedge --version = $version ($((SECONDS - t0)) s)"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "unexpected version output '$version'"

step "replay the bundled walk: x64 build vs arm64 under qemu"
x64="src/IolaEdge.Daemon/bin/Release/net10.0/iolaedge" # built by scripts/test.sh before the hooks
[[ -x "$x64" ]] || dotnet build src/IolaEdge.Daemon -c Release -nologo -clp:ErrorsOnly >/dev/null
walk="data/walks/bundled-walk.csv"
head -n 4001 "$walk" > "$tmp/walk-20s.csv"
compared=0
for detector in dsp onnx-stream onnx-window; do
  input="$walk"
  [[ "$detector" == onnx-window ]] && input="$tmp/walk-20s.csv"
  args=(replay "$(realpath "$input")" --speed max -d "$detector" --midi file --progress 0 --log-level Warning)
  set +e
  (cd "$tmp" && timeout 240 "$OLDPWD/$x64" "${args[@]}" -o "$tmp/$detector-x64.mid" --events "$tmp/$detector-x64.jsonl") > "$tmp/$detector-x64.log" 2>&1
  rc=$?
  set -e
  if ((rc == 4)) && grep -q "is not available in this build" "$tmp/$detector-x64.log"; then
    echo "replay $detector: not built into this iolaedge yet; not compared"
    continue
  fi
  ((rc == 0)) || fail "x64 replay with $detector exited $rc: $(tail -5 "$tmp/$detector-x64.log")"
  t0=$SECONDS
  set +e
  (cd "$tmp" && QEMU_LD_PREFIX="$sysroot" DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 timeout 240 qemu-aarch64-static -cpu cortex-a72 \
    "$pub/iolaedge" "${args[@]}" -o "$tmp/$detector-arm64.mid" --events "$tmp/$detector-arm64.jsonl") > "$tmp/$detector-arm64.log" 2>&1
  rc=$?
  set -e
  ((rc == 0)) || fail "arm64 replay with $detector under qemu exited $rc: $(tail -5 "$tmp/$detector-arm64.log")"
  n=$(wc -l < "$tmp/$detector-x64.jsonl")
  ((n > 0)) || fail "x64 replay with $detector detected nothing"
  # Footfall events (JSON lines, session-clock stamps) must match: exactly for dsp, within one
  # sample (5 ms) for learned detectors.
  tolerance=0
  [[ "$detector" == dsp ]] || tolerance=5000000
  /usr/bin/python3 - "$tmp/$detector-x64.jsonl" "$tmp/$detector-arm64.jsonl" "$tolerance" <<'PY' || fail "detections differ between x64 and arm64 ($detector)"
import json, sys
a, b = ([json.loads(l)["footfallNs"] for l in open(p) if l.strip()] for p in sys.argv[1:3])
worst = max((abs(x - y) for x, y in zip(a, b)), default=0)
print(f"events: {len(a)} vs {len(b)} footfalls, worst footfall time difference {worst / 1e6:.3f} ms")
sys.exit(0 if len(a) == len(b) and worst <= int(sys.argv[3]) else 1)
PY
  if cmp -s "$tmp/$detector-x64.mid" "$tmp/$detector-arm64.mid"; then
    verdict="MIDI files byte-identical ($(stat -c %s "$tmp/$detector-x64.mid") bytes)"
  elif [[ "$detector" == dsp ]]; then
    fail "MIDI files differ between x64 and arm64 (dsp must be byte-identical)"
  else
    # Learned detectors may place a footfall a sample apart on another CPU's float maths: compare
    # every note-on within a few ticks instead.
    /usr/bin/python3 - "$tmp/$detector-x64.mid" "$tmp/$detector-arm64.mid" "$detector" <<'PY' || fail "MIDI note-ons differ between x64 and arm64 ($detector)"
import sys, mido
def note_ons(path):
    t, out = 0, []
    for m in mido.MidiFile(path).tracks[0]:
        t += m.time
        if m.type == "note_on" and m.velocity > 0:
            out.append((t, m.channel, m.note, m.velocity))
    return out
a, b = note_ons(sys.argv[1]), note_ons(sys.argv[2])
tol = 0 if sys.argv[3] == "dsp" else 5  # ticks; 960 per beat at 120 bpm: 5 ticks ~ 2.6 ms
ok = len(a) == len(b) and all(x[1:3] == y[1:3] and abs(x[0] - y[0]) <= tol and (tol or x[3] == y[3]) for x, y in zip(a, b))
print(f"MIDI: {len(a)} vs {len(b)} note-ons, {'identical' if a == b else 'equal within tolerance' if ok else 'DIFFERENT'}")
sys.exit(0 if ok else 1)
PY
    verdict="MIDI note-ons equal within a sample"
  fi
  compared=$((compared + 1))
  echo "replay $detector: $n footfalls; $verdict; qemu $((SECONDS - t0)) s"
done
echo "replay comparisons run: $compared"

step "done"
