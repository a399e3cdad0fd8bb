"""Mounting-invariant per-sample features of the stream model (Python twin of the C# encoder,
src/IolaEdge.Inference/Features/InvariantFeatureEncoder.cs).

A foot-mounted sensor can sit at any angle, so the model does not see x, y, z. It sees, per sample:

- ``magnitude``: |a| in g;
- ``vertical``: a · ĝ, the component along the gravity direction ĝ estimated causally (an exponential
  moving average of a with time constant ``GRAVITY_TAU_S``, seeded with the first sample);
- ``horizontal``: sqrt(max(|a|² − vertical², 0)), the rest of |a|;
- ``jerk``: |a − a_prev| per 10 ms (the difference divided by max(dt, ``JERK_MIN_DT_S``), times 0.01 s;
  0 for the first sample), so that it reads alike at 100 and 200 Hz;
- ``dt``: seconds since the previous sample (the nominal period for the first), clipped to [0, DT_CLIP_S].

All four acceleration features are unchanged by any rotation of the sensor frame.
"""
from __future__ import annotations

import numpy as np

FEATURES = ["magnitude", "vertical", "horizontal", "jerk", "dt"]
GRAVITY_TAU_S = 1.0
JERK_MIN_DT_S = 0.0025
JERK_PER_S = 0.01  # jerk is reported per 10 ms
DT_CLIP_S = 0.2
GRAVITY_MIN_G = 1e-3


def invariant_features(t_ms: np.ndarray, acc: np.ndarray, nominal_rate_hz: float) -> np.ndarray:
    """[N, 5] float32 rows in FEATURES order; the state starts fresh at the first sample (as after a reset)."""
    n = len(t_ms)
    out = np.zeros((n, len(FEATURES)), np.float32)
    if n == 0:
        return out
    a = np.asarray(acc, np.float32).astype(np.float64)
    t = np.asarray(t_ms, np.float64)
    dt = np.empty(n)
    dt[0] = np.float32(1.0 / nominal_rate_hz)
    if n > 1:
        dt[1:] = np.clip(np.diff(t) * 1e-3, 0.0, DT_CLIP_S)
    dt = dt.astype(np.float32).astype(np.float64)
    # gravity EMA: g_i = g_{i-1} + alpha_i (a_i - g_{i-1}), alpha = dt / (tau + dt); g_0 = a_0
    g = np.empty_like(a)
    gx, gy, gz = a[0]
    ax, ay, az = a[:, 0].tolist(), a[:, 1].tolist(), a[:, 2].tolist()
    dts = dt.tolist()
    for i in range(n):
        if i:
            al = dts[i] / (GRAVITY_TAU_S + dts[i])
            gx += al * (ax[i] - gx)
            gy += al * (ay[i] - gy)
            gz += al * (az[i] - gz)
        g[i, 0], g[i, 1], g[i, 2] = gx, gy, gz
    m = np.sqrt((a * a).sum(axis=1))
    gn = np.maximum(np.sqrt((g * g).sum(axis=1)), GRAVITY_MIN_G)
    v = (a * g).sum(axis=1) / gn
    h = np.sqrt(np.maximum(m * m - v * v, 0.0))
    j = np.zeros(n)
    if n > 1:
        d = np.diff(a, axis=0)
        j[1:] = np.sqrt((d * d).sum(axis=1)) * JERK_PER_S / np.maximum(dt[1:], JERK_MIN_DT_S)
    out[:, 0] = m
    out[:, 1] = v
    out[:, 2] = h
    out[:, 3] = j
    out[:, 4] = dt
    return out

