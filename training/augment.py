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


# ---------------------------------------------------------------------------------------------------
# Sensor augmentation for the mounting-invariant stream model: what differs between sensors and links.

RATE_RANGE_HZ = (100.0, 205.0)
GYRO_RANGE_DPS = 2000.0  # the MetaMotion's gyroscope range as IolaEdge configures it
# Finer ranges of the same BMI160/BMI270 gyroscopes (another board, another configuration): a walking swing
# of 300-600 °/s clips flat at the lower ones.
GYRO_SMALL_RANGES_DPS = (250.0, 500.0, 1000.0)


def random_rotation(rng: np.random.Generator) -> np.ndarray:
    """A rotation uniform over SO(3) (random unit quaternion): any mounting of the sensor on the foot."""
    q = rng.normal(size=4)
    q /= np.linalg.norm(q)
    w, x, y, z = q
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                     [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                     [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]])


def resample(t_ms: np.ndarray, acc: np.ndarray, rate_hz: float, t0_ms: float | None = None):
    """Linear interpolation onto a regular grid at ``rate_hz`` over the span of ``t_ms`` (gaps filled)."""
    start = t_ms[0] if t0_ms is None else t0_ms
    grid = np.arange(start, t_ms[-1] + 1e-9, 1000.0 / rate_hz)
    a = np.stack([np.interp(grid, t_ms, acc[:, k]) for k in range(acc.shape[1])], axis=1)
    return grid, a


def lowpass(acc: np.ndarray, rate_hz: float, cutoff_hz: float) -> np.ndarray:
    """Causal 2nd-order Butterworth low-pass (a sensor's own filter), started at rest on the first sample."""
    from scipy import signal
    b, a = signal.butter(2, min(cutoff_hz, 0.45 * rate_hz), fs=rate_hz)
    zi = signal.lfilter_zi(b, a)
    return np.stack([signal.lfilter(b, a, acc[:, k], zi=zi * acc[0, k])[0] for k in range(acc.shape[1])], axis=1)


def bursty_arrivals(rng: np.random.Generator, t_ms: np.ndarray) -> np.ndarray:
    """Arrival times of samples delivered in BLE bursts: every ``interval`` ms the samples made since
    the previous burst arrive together (plus a few ms of jitter); never earlier than their sample time."""
    interval = rng.choice([7.5, 15.0, 45.0, 48.75])
    first = t_ms[0] + rng.uniform(0, interval)
    arr = first + np.ceil((t_ms - first) / interval) * interval + rng.uniform(0, 3.0, len(t_ms))
    return np.maximum.accumulate(np.maximum(arr, t_ms))


def sensor_augment(rng: np.random.Generator, t_ms: np.ndarray, acc: np.ndarray, ev_ms: np.ndarray,
                   rate_hz: float | None = None, p_lowpass: float = 0.35, p_clip4: float = 0.5,
                   p_bursty: float = 0.4, max_loss: float = 0.08, stretch: tuple = (0.9, 1.1),
                   gyro: np.ndarray | None = None, p_gyro_small_range: float = 0.0):
    """One random sensor and link for a crop: returns (sample times on the daemon's clock (ms),
    acceleration (g, float32), index of the sample nearest each footfall, rate in Hz).

    In order: cadence stretch; resampling to ``rate_hz`` (random in 100-205 Hz when None); a uniform
    random 3-D mounting rotation; per-axis gain and gravity offset (calibration); the sensor's
    low-pass filter (sometimes); noise; clipping at ±4 g or ±16 g; lost samples (single samples and
    3-sample packets); then either true sample times (a sensor-time source, run through the sample
    clock half the time, as eval does) or bursty arrivals reconstructed by the sample clock.
    Footfalls are labelled by true time, so the label stays on the physical sample whatever the clock does.

    With ``gyro`` (°/s, same samples) the angular velocity goes through the same steps beside the
    acceleration: divided by the cadence stretch (a slower stride turns slower), resampled on the same grid,
    the same low-pass, the same lost samples, turned by the same mounting rotation, then its own per-axis
    gain, a zero-rate bias (σ 1.5 °/s), noise up to 1 °/s and clipping at ±2000 °/s, or in
    ``p_gyro_small_range`` of crops (none by default; models/onnx-stream-gyro.md) at ±250, ±500 or ±1000 °/s
    (a finer range) (drawn after everything
    else, so the acceleration is augmented exactly as without a gyro); it is returned as a fifth element
    (float32).
    """
    from . import clock
    t = np.asarray(t_ms, np.float64)
    a = np.asarray(acc, np.float64)
    ev = np.asarray(ev_ms, np.float64)
    s = rng.uniform(*stretch)
    t = t[0] + (t - t[0]) * s
    ev = t[0] + (ev - t_ms[0]) * s
    if rate_hz is None:
        u = rng.random()
        rate_hz = 100.0 if u < 0.3 else (rng.choice([200.0, 204.8]) if u < 0.5 else rng.uniform(*RATE_RANGE_HZ))
    if gyro is None:
        t, a = resample(t, a, rate_hz)
    else:
        t, both = resample(t, np.concatenate([a, np.asarray(gyro, np.float64) / s], axis=1), rate_hz)
        a, w = both[:, :3], both[:, 3:]
    mount = random_rotation(rng)
    a = a @ mount.T
    a = a * rng.uniform(0.9, 1.1) * rng.uniform(0.97, 1.03, size=3) + rng.normal(0, 0.03, size=3)
    if rng.random() < p_lowpass:
        cutoff = rng.uniform(6.0, 30.0)
        a = lowpass(a, rate_hz, cutoff)
        if gyro is not None:
            w = lowpass(w, rate_hz, cutoff)
    a = a + rng.normal(0, rng.uniform(0.0, 0.02), size=a.shape)
    r = 4.0 if rng.random() < p_clip4 else (8.0 if rng.random() < 0.2 else 16.0)
    a = np.clip(a, -r, r)
    # lost samples: single samples and 3-sample packets
    keep = np.ones(len(t), bool)
    p1, p3 = rng.uniform(0, max_loss), rng.uniform(0, max_loss)
    keep &= rng.random(len(t)) >= p1
    for i in np.flatnonzero(rng.random(len(t) // 3 + 1) < p3):
        keep[3 * i:3 * i + 3] = False
    keep[0] = True
    t, a = t[keep], a[keep]
    if gyro is not None:
        w = w[keep]
    labels = data_nearest(t, ev)
    if rng.random() < p_bursty:
        t_out = clock.sensor_times_ms(bursty_arrivals(rng, t), rate_hz)
    elif rng.random() < 0.5:
        t_out = clock.sensor_times_ms(np.round(t), rate_hz)  # whole-ms timestamps through the clock
    else:
        t_out = t
    if gyro is not None:
        # The gyro's own draws come last, so the acceleration of a crop is what it would be without a gyro.
        w = w @ mount.T
        w = w * rng.uniform(0.97, 1.03, size=3) + rng.normal(0, 1.5, size=3)
        # No draw at all when off, so the shipped model's training command still reproduces it step for step.
        small = p_gyro_small_range > 0 and rng.random() < p_gyro_small_range
        r_w = rng.choice(GYRO_SMALL_RANGES_DPS) if small else GYRO_RANGE_DPS
        w = np.clip(w + rng.normal(0, rng.uniform(0.0, 1.0), size=w.shape), -r_w, r_w)
        return t_out, a.astype(np.float32), np.unique(labels), float(rate_hz), w.astype(np.float32)
    return t_out, a.astype(np.float32), np.unique(labels), float(rate_hz)


def data_nearest(t_ms: np.ndarray, ev_ms: np.ndarray) -> np.ndarray:
    """Index of the sample nearest each event inside the crop (events outside it are dropped)."""
    from .data import nearest_sample
    ev = ev_ms[(ev_ms >= t_ms[0]) & (ev_ms <= t_ms[-1])]
    return nearest_sample(t_ms, ev)
