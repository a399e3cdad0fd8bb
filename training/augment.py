"""Augmentations applied to raw (time, acceleration, footfall index) crops before features.

Each one models a way a real walk differs from the training walk: sensor mounted at another angle
(rotation), another sensor or shoe (gain), noise, lost BLE packets, another cadence, and a de-jittered
clock (the daemon's SampleClock spreads burst samples evenly, so dt differs from raw arrival gaps).
"""
from __future__ import annotations

import numpy as np


def rotation(rng: np.random.Generator, max_deg: float) -> np.ndarray:
    axis = rng.normal(size=3)
    axis /= np.linalg.norm(axis)
    ang = np.deg2rad(rng.uniform(-max_deg, max_deg))
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + np.sin(ang) * k + (1 - np.cos(ang)) * (k @ k)


def augment(rng: np.random.Generator, t_ms: np.ndarray, acc: np.ndarray, ev: np.ndarray):
    """Returns augmented (t_ms, acc, event indices). Inputs are not modified."""
    t = t_ms.astype(np.float64)
    a = acc.astype(np.float64)
    e = ev.astype(np.float64)
    # cadence stretch: resample on the index axis, stretch time by the same factor
    s = rng.uniform(0.85, 1.15)
    if abs(s - 1.0) > 1e-3 and len(t) > 4:
        src = np.arange(0, len(t) - 1, 1.0 / s)
        base = np.arange(len(t))
        a = np.stack([np.interp(src, base, a[:, k]) for k in range(3)], axis=1)
        t = t[0] + (np.interp(src, base, t) - t[0]) * s
        e = e * s
    # lost packets: drop runs of 3 samples
    keep = np.ones(len(t), bool)
    p = rng.uniform(0.0, 0.15)
    for i in range(0, len(t), 3):
        if rng.random() < p:
            keep[i:i + 3] = False
    keep[0] = True
    idx = np.flatnonzero(keep)
    e = np.searchsorted(idx, np.round(e).astype(np.int64)).clip(0, len(idx) - 1)
    t, a = t[idx], a[idx]
    a = a @ rotation(rng, 45.0).T
    a *= rng.uniform(0.85, 1.15)
    a += rng.normal(0, rng.uniform(0.0, 0.03), size=a.shape)
    if rng.random() < 0.2:
        # an evenly spaced clock over the crop's span (a sensor-time source without grid jumps)
        t = np.linspace(t[0], t[-1], len(t))
    return t, np.clip(a, -4.0, 4.0).astype(np.float32), np.unique(e)
