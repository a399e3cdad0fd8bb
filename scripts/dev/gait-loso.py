#!/usr/bin/python3
"""Leave-subject-out validation of the gait tracker's prediction settings (predict trigger) over a corpus index.

For every subject: pick, from a small grid of Detector:Gait:* settings, the one with the lowest p90 + median |note - footfall|
on steady walking over the OTHER subjects (among settings whose steady notes without a footfall stay <= 2 %), then
score the held-out subject with it. Prints per-fold choices and the pooled held-out figures of both triggers next
to the defaults'.

usage: scripts/dev/gait-loso.py --index INDEX.csv [--rate-hz 100] [--bounds-columns a,b] [--output-latency-ms 20]
Needs a Release build (dotnet build -c Release) and an index CSV with a `subject` column.
"""
import argparse, itertools, json, os, subprocess, sys, tempfile

GRID = {
    "LandingCosine": [0.4, 0.5, 0.6],
    "MaxLeadSpreadMs": [25, 40],
    "PredictionFitFraction": [0.1, 0.15, 0.2],
}
DEFAULTS = {"LandingCosine": 0.5, "MaxLeadSpreadMs": 40, "PredictionFitFraction": 0.15}

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--index", required=True)
ap.add_argument("--rate-hz", default=None)
ap.add_argument("--bounds-columns", default=None)
ap.add_argument("--output-latency-ms", default="20")
ap.add_argument("--cli", default="src/IolaEdge.Daemon/bin/Release/net10.0/iolaedge.dll")
a = ap.parse_args()


def run(settings):
    """Per file: subject, and per trigger the steady counts and errors and the whole-walk tp/fp/fn at 50 ms."""
    out = os.path.join(tempfile.mkdtemp(prefix="gait-loso-"), "c.json")
    cmd = ["dotnet", a.cli, "eval", "--index", a.index, "--tolerances", "50", "--quiet", "--json", out,
           "--output-latency-ms", a.output_latency_ms]
    if a.rate_hz:
        cmd += ["--rate-hz", a.rate_hz]
    if a.bounds_columns:
        cmd += ["--bounds-columns", a.bounds_columns]
    for k, v in settings.items():
        cmd += ["--set", f"Detector:Gait:{k}={v}"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    files = []
    for f in json.load(open(out))["files"]:
        notes = f["eval"]["notes"]
        files.append((f["columns"]["subject"], {m: notes[m] for m in ("detect", "predict")}))
    return files


def pct(xs, p):
    xs = sorted(abs(x) for x in xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def pool(files, subjects, mode):
    sel = [n[mode] for s, n in files if s in subjects]
    errs = [e for n in sel for e in n["steady"]["errors_ms"]]
    notes = sum(n["steady"]["notes"] for n in sel)
    nofoot = sum(n["steady"]["notes_without_footfall"] for n in sel)
    within = sum(1 for e in errs if abs(e) <= 20 + 1e-9)
    tp, fp, fn = (sum(n["results"][0][k] for n in sel) for k in ("tp", "fp", "fn"))
    return {"median": pct(errs, 50), "p90": pct(errs, 90), "within20": within / notes if notes else float("nan"),
            "nofoot": nofoot / notes if notes else float("nan"), "notes": notes,
            "f1_50": 2 * tp / (2 * tp + fp + fn) if tp else 0.0}


keys = list(GRID)
results = {}
for values in itertools.product(*(GRID[k] for k in keys)):
    results[values] = run(dict(zip(keys, values)))
    print(".", end="", file=sys.stderr, flush=True)
print(file=sys.stderr)

subjects = sorted({s for s, _ in next(iter(results.values()))})
held = {"detect": [], "predict": []}
print("fold  chosen " + " ".join(keys))
for s in subjects:
    train = [x for x in subjects if x != s]

    def cost(v):
        p = pool(results[v], train, "predict")
        return (p["nofoot"] > 0.02, p["p90"] + p["median"], -p["f1_50"])

    best = min(results, key=cost)
    print(f"  {s:>3}  " + " ".join(f"{k}={v}" for k, v in zip(keys, best)))
    for mode in held:
        held[mode] += [(x, n) for x, n in results[best] if x == s]

default_key = tuple(DEFAULTS[k] for k in keys)
print("\npooled (steady walking: median / p90 |note - footfall|, within ±20 ms, notes without footfall; whole walks: note F1@50)")
for label, files in (("leave-subject-out", None), ("defaults", results[default_key])):
    for mode in ("detect", "predict"):
        src = [(x, n) for x, n in held[mode]] if files is None else files
        p = pool(src, subjects, mode)
        print(f"  {label:18s} {mode:8s} notes {p['notes']:4d}  median {p['median']:5.1f}  p90 {p['p90']:5.1f}  "
              f"±20 {p['within20']:.3f}  no-footfall {100 * p['nofoot']:.1f} %  F1@50 {p['f1_50']:.3f}")
