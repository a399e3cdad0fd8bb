#!/usr/bin/python3
"""Leave-subject-out validation of the dsp detector's tunable thresholds over a corpus index.

For every subject: pick, from a small grid of Detector:Dsp settings, the one with the best pooled F1 at
--select-ms over the OTHER subjects, then score the held-out subject with it. Prints per-fold choices and
the pooled held-out TP/FP/FN and F1 per tolerance, next to the defaults' figures.

usage: scripts/dev/dsp-loso.py --index INDEX.csv [--rate-hz 100] [--bounds-columns a,b] [--select-ms 50] [--grid acceleration|swing|gyro|unreversed|small-step]
--grid swing tunes the swing test's direction alone (the mean cosine to the stance direction, and the moment's);
--grid gyro tunes the gyroscope path's keys instead (walks with gyroscope columns); --grid unreversed its
landings without a pitch reversal (a swing ended by a still foot, an acceleration landing left unclaimed);
--grid small-step the least turn of a small step (a closing or U-turn step the swing level never arms).
Needs a Release build (dotnet build -c Release) and an index CSV with a `subject` column.
"""
import argparse, itertools, json, os, subprocess, sys, tempfile

GRIDS = {"acceleration": {
    "SwingCosine": [0.8, 0.85, 0.9],
    "MinImpactFraction": [0.2, 0.3, 0.4],
    "OnsetFraction": [0.35, 0.45, 0.55],
    "StrongSwingG": [0.4, 0.5, 0.7],
}, "swing": {
    "SwingCosine": [0.8, 0.85, 0.9],
    "SwingMomentCosine": [-1, 0.5, 0.6, 0.7],
}, "gyro": {
    "GyroImpactWaitMs": [40, 50, 60],
    "GyroLateImpactWaitMs": [60, 120],
    "GyroSwingDegrees": [0, 20],
    "GyroStillToMs": [0, 200],
}, "unreversed": {
    "GyroStanceMs": [0, 100, 200, 300],
    "GyroUnreversedLookbackMs": [150, 250],
    "GyroUnreversedWaitMs": [0, 40, 80],
}, "small-step": {
    "GyroSmallStepDegrees": [0, 2, 4, 8, 12],
}}
TOLS = [25, 50, 100]

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--index", required=True)
ap.add_argument("--rate-hz", default=None)
ap.add_argument("--bounds-columns", default=None)
ap.add_argument("--select-ms", type=int, default=50)
ap.add_argument("--grid", choices=sorted(GRIDS), default="acceleration")
ap.add_argument("--cli", default="src/IolaEdge.Daemon/bin/Release/net10.0/iolaedge.dll")
a = ap.parse_args()
GRID = GRIDS[a.grid]


def run(settings):
    """Per-subject TP/FP/FN per tolerance for one setting of the grid."""
    out = os.path.join(tempfile.mkdtemp(prefix="loso-"), "c.json")
    cmd = ["dotnet", a.cli, "eval", "--index", a.index, "--tolerances", ",".join(map(str, TOLS)), "--quiet", "--json", out]
    if a.rate_hz:
        cmd += ["--rate-hz", a.rate_hz]
    if a.bounds_columns:
        cmd += ["--bounds-columns", a.bounds_columns]
    for k, v in settings.items():
        cmd += ["--set", f"Detector:Dsp:{k}={v}"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    groups = json.load(open(out))["groups"]
    return {g["value"]: {r["tolerance_ms"]: (r["tp"], r["fp"], r["fn"]) for r in g["results"]} for g in groups if g["by"] == "subject"}


def f1(tp, fp, fn):
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def pooled(per_subject, subjects, tol):
    s = [sum(per_subject[x][tol][i] for x in subjects) for i in range(3)]
    return s, f1(*s)


keys = list(GRID)
results = {}
for values in itertools.product(*(GRID[k] for k in keys)):
    settings = dict(zip(keys, values))
    results[values] = run(settings)
    print(".", end="", file=sys.stderr, flush=True)
print(file=sys.stderr)
defaults = run({})
subjects = sorted(defaults, key=lambda s: (len(s), s))
held = {t: [0, 0, 0] for t in TOLS}
for s in subjects:
    others = [x for x in subjects if x != s]
    best = max(results, key=lambda v: pooled(results[v], others, a.select_ms)[1])
    for t in TOLS:
        for i in range(3):
            held[t][i] += results[best][s][t][i]
    print(f"subject {s}: chosen on the others {dict(zip(keys, best))}; held out F1 "
          + " / ".join(f"{pooled(results[best], [s], t)[1]:.3f}" for t in TOLS) + f" at {TOLS} ms; defaults "
          + " / ".join(f"{pooled(defaults, [s], t)[1]:.3f}" for t in TOLS))
print("leave-subject-out, pooled held-out: " + ", ".join(f"F1@{t} {f1(*held[t]):.3f} (tp/fp/fn {held[t][0]}/{held[t][1]}/{held[t][2]})" for t in TOLS))
print("defaults on all subjects:          " + ", ".join(f"F1@{t} {pooled(defaults, subjects, t)[1]:.3f}" for t in TOLS))
