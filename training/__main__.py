"""CLI: ``/usr/bin/python3 -m training {train-stream,train-window,detect,synth}``."""
from __future__ import annotations

import argparse
import os
import sys


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m training", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    from . import detect, stream, window
    stream.add_args(sub.add_parser("train-stream", help="train + export the causal streaming GRU"))
    window.add_args(sub.add_parser("train-window", help="train + export the seed's Conv-BiLSTM"))
    detect.add_args(sub.add_parser("detect", help="detections of a trained model on a CSV (for tools/score.py)"))
    p = sub.add_parser("synth", help="write synthetic walks (seed CSV format)")
    p.add_argument("--out", required=True, help="directory")
    p.add_argument("--count", type=int, default=2)
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tab", action="store_true", help="tab-separated")
    a = ap.parse_args(argv)
    if a.cmd == "train-stream":
        return stream.run(a)
    if a.cmd == "train-window":
        return window.run(a)
    if a.cmd == "detect":
        return detect.run(a)
    from . import synth
    os.makedirs(a.out, exist_ok=True)
    for k in range(a.count):
        path = os.path.join(a.out, f"synth{a.seed + k}.csv")
        synth.write_csv(synth.synth_walk(a.seed + k, a.seconds), path, "\t" if a.tab else ",")
        print(f"[synth] wrote {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
