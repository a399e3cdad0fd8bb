"""Shared plumbing for the training commands: data sources, splits, progress output, seeding."""
from __future__ import annotations

import json
import os
import random
import sys
import time

import numpy as np
import torch

from . import data, synth


def seed_all(seed: int, threads: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)


class Progress:
    def __init__(self, tag: str):
        self.tag = tag
        self.t0 = time.time()

    def __call__(self, msg: str) -> None:
        print(f"[{self.tag} {time.time() - self.t0:6.1f}s] {msg}", flush=True)


def parse_split(spec: str) -> tuple[str, list[float]]:
    """``time:0.6,0.15,0.25`` (time blocks of each session) or ``session:0.6,0.15,0.25`` (whole sessions)."""
    kind, _, fr = spec.partition(":")
    fractions = [float(x) for x in fr.split(",")]
    if kind not in ("time", "session") or len(fractions) != 3:
        raise SystemExit(f"--split must be time:A,B,C or session:A,B,C (train,val,test); got {spec!r}")
    return kind, fractions


class Part:
    """One evaluation part: a whole session (for context) and the time range scored."""

    def __init__(self, session: data.Session, from_ms: float, to_ms: float):
        self.session = session
        self.from_ms = from_ms
        self.to_ms = to_ms

    def truth(self):
        f = self.session.footfall_ms
        return f[(f >= self.from_ms) & (f < self.to_ms)]


def load_sources(csvs: list[str], n_synth: int, synth_seconds: float, seed: int):
    # Every session is put on the daemon's reconstructed sample clock (training/clock.py).
    real = [data.with_sample_clock(data.load_session(p)) for p in csvs]
    sim = [data.with_sample_clock(synth.synth_walk(seed * 1000 + k, seconds=synth_seconds)) for k in range(n_synth)]
    return real, sim


def split(real: list[data.Session], spec: str):
    """Returns (train sessions, val parts, test parts). Val/test parts keep the whole session for
    context but are scored only inside their time block; training never sees those blocks."""
    kind, fr = parse_split(spec)
    train, val, test = [], [], []
    if kind == "time":
        for s in real:
            b = data.split_time_blocks(s, fr)
            train.append(b[0])
            edges = [b[1].t_ms[0] if len(b[1]) else s.t_ms[-1], b[2].t_ms[0] if len(b[2]) else s.t_ms[-1]]
            val.append(Part(s, edges[0], edges[1]))
            test.append(Part(s, edges[1], s.t_ms[-1] + 1))
    else:
        tr, va, te = data.split_sessions(real, fr)
        train = tr
        val = [Part(s, s.t_ms[0], s.t_ms[-1] + 1) for s in va]
        test = [Part(s, s.t_ms[0], s.t_ms[-1] + 1) for s in te]
    return train, val, test


def describe(real, sim, spec, csvs) -> dict:
    return {"csv": [os.path.basename(p) for p in csvs],
            "real_samples": int(sum(len(s) for s in real)),
            "real_footfalls": int(sum(len(s.footfall_ms) for s in real)),
            "synthetic_walks": len(sim), "split": spec,
            "split_rule": "time blocks in order (train, validation, test); windows cut inside blocks; "
                          "val/test scored only inside their block, with earlier samples as context"}


def write_json(path: str, obj) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, indent=2)
        fh.write("\n")


def command_line() -> str:
    return "/usr/bin/python3 -m training " + " ".join(sys.argv[1:])
