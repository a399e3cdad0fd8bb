"""Turning per-sample scores into footfall times, and scoring them like tools/score.py.

The decision mirrors the daemon's shared gate: a footfall fires at the first sample whose score
reaches the threshold (and whose window score reaches the window threshold) once the refractory
interval since the previous footfall has passed. ``peak`` mode instead fires at a local maximum above
threshold, confirmed one sample later (one more sample of latency).
"""
from __future__ import annotations

import numpy as np

TOLERANCES_MS = [25, 50, 100, 150]
SWEEP = np.round(np.arange(0.01, 0.905, 0.01), 2)  # the seed's threshold sweep 0.01-0.90


def decide(t_ms: np.ndarray, score: np.ndarray, thr: float, refractory_ms: float = 350.0,
           window_score: np.ndarray | None = None, window_thr: float = 0.0, mode: str = "crossing"):
    """Indices of the samples at which footfalls are placed."""
    out = []
    last = -np.inf
    ok = score >= thr
    if window_score is not None:
        ok &= window_score >= window_thr
    n = len(score)
    for i in np.flatnonzero(ok):
        if t_ms[i] - last < refractory_ms:
            continue
        if mode == "peak":
            # advance to the local maximum of this above-threshold run
            while i + 1 < n and ok[i + 1] and score[i + 1] > score[i]:
                i += 1
            if t_ms[i] - last < refractory_ms:
                continue
        out.append(i)
        last = t_ms[i]
    return np.asarray(out, np.int64)


def match_count(truth: np.ndarray, det: np.ndarray, tol: float) -> tuple[int, np.ndarray]:
    """Maximum-cardinality one-to-one matching (|d - t| <= tol), as score.py's exact count.

    Greedy over sorted events: each truth takes the earliest unused detection in its window; for
    equal-width windows this is maximum-cardinality (score.py proves the same and checks it).
    Returns the count and the signed errors (det - truth) of the pairs.
    """
    truth = np.sort(truth)
    det = np.sort(det)
    j, err = 0, []
    for t in truth:
        while j < len(det) and det[j] < t - tol - 1e-9:
            j += 1
        if j < len(det) and det[j] <= t + tol + 1e-9:
            err.append(det[j] - t)
            j += 1
    return len(err), np.asarray(err)


def score(truth: np.ndarray, det: np.ndarray, tolerances=TOLERANCES_MS) -> dict:
    res = {}
    for tol in tolerances:
        tp, err = match_count(truth, det, tol)
        fp, fn = len(det) - tp, len(truth) - tp
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        res[str(tol)] = {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4),
                         "f1": round(f, 4),
                         "median_signed_err_ms": round(float(np.median(err)), 2) if len(err) else None}
    return res


def sweep(truths, t_list, s_list, tol: float, refractory_ms: float, w_list=None, window_thr: float = 0.0,
          mode: str = "crossing"):
    """The seed's threshold sweep (0.01-0.90): best F1 at ``tol`` over the validation parts."""
    best = (-1.0, 0.5)
    for thr in SWEEP:
        tp = fp = fn = 0
        for k, (truth, t_ms, s) in enumerate(zip(truths, t_list, s_list)):
            w = None if w_list is None else w_list[k]
            idx = decide(t_ms, s, thr, refractory_ms, w, window_thr, mode)
            m, _ = match_count(truth, t_ms[idx], tol)
            tp += m
            fp += len(idx) - m
            fn += len(truth) - m
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[0]:
            best = (f1, float(thr))
    return best
