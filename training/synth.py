"""Synthetic walks in the seed CSV format, for CI smoke tests and pretraining.

Not a physical model: a foot-mounted accelerometer seen as gravity in a random sensor frame, a swing
oscillation per stride, and a damped impact transient at each heel strike. Delivery mimics the seed
recording: 200 Hz sampling, bursts arriving every ~45 ms, lost packets, button presses with human jitter.
The project's own simulator (``iolaedge simulate``) is the richer source when it is available.
"""
from __future__ import annotations

import numpy as np

from .data import Session, nearest_sample


def random_rotation(rng: np.random.Generator) -> np.ndarray:
    q = rng.normal(size=4)
    q /= np.linalg.norm(q)
    w, x, y, z = q
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                     [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                     [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]])


def synth_walk(seed: int, seconds: float = 60.0, rate_hz: float = 200.0, loss: float = 0.3,
               t0_ms: float = 1.7e12) -> Session:
    """One synthetic walk; footfall times are the annotated (jittered) button times."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate_hz)
    ts = np.arange(n) / rate_hz
    period = rng.uniform(0.95, 1.25)  # s per stride of the instrumented foot
    strikes = []
    t = rng.uniform(0.3, 1.0)
    while t < seconds - 0.3:
        strikes.append(t)
        t += period * rng.uniform(0.93, 1.07)
    strikes = np.asarray(strikes)
    world = np.zeros((n, 3))
    world[:, 2] = 1.0  # gravity, g
    phase = np.zeros(n)
    for k, s in enumerate(strikes):
        nxt = strikes[k + 1] if k + 1 < len(strikes) else s + period
        m = (ts >= s) & (ts < nxt)
        phase[m] = (ts[m] - s) / (nxt - s)
    swing = (phase > 0.55) & (phase < 0.95)
    world[swing, 0] += 0.8 * np.sin(np.pi * (phase[swing] - 0.55) / 0.4) * rng.uniform(0.7, 1.3)
    world[swing, 2] += 0.3 * np.sin(2 * np.pi * (phase[swing] - 0.55) / 0.4)
    for s in strikes:
        d = ts - s
        m = (d >= 0) & (d < 0.12)
        amp = rng.uniform(1.2, 2.8)
        world[m, 2] += amp * np.exp(-d[m] / 0.02) * np.cos(2 * np.pi * 25 * d[m])
        world[m, 0] -= 0.5 * amp * np.exp(-d[m] / 0.03) * np.sin(2 * np.pi * 18 * d[m])
    world += rng.normal(0, 0.03, size=world.shape)
    mount = random_rotation(rng)
    acc = (world @ mount.T).astype(np.float32)
    gyro = (foot_rotation(seed, ts, strikes, phase) @ mount.T).astype(np.float32)
    acc = np.clip(acc, -4.0, 4.0)  # the MetaMotion's +/-4 g range
    # Delivery: packets of 3 samples, some lost, arriving in bursts every ~45 ms.
    keep = np.ones(n, bool)
    for p in range(0, n, 3):
        if rng.random() < loss:
            keep[p:p + 3] = False
    burst = 0.045
    arrival = (np.floor(ts / burst) + 1) * burst + rng.uniform(0.0, 0.004, n)
    arrival = np.maximum.accumulate(np.where(keep, arrival, 0.0))
    t_ms = np.round(t0_ms + 1000 * arrival[keep])
    acc = acc[keep]
    gyro = gyro[keep]
    press_ms = t0_ms + 1000 * (strikes + rng.normal(0, 0.012, len(strikes)))
    # Truth and samples share the arrival clock, as in the seed recording.
    press_ms = np.round(press_ms + 1000 * burst / 2)
    return Session(f"synth{seed}", t_ms, acc, press_ms, nearest_sample(t_ms, press_ms), gyro)


def foot_rotation(seed: int, ts: np.ndarray, strikes: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """Angular velocity of the foot (°/s, world frame: x forward, y medio-lateral, z up) in the gait above.

    Pitch about y, positive toe-up, as a foot-mounted gyroscope sees a stride: after the heel strike the
    forefoot comes down (a short negative lobe), flat foot (near zero), push-off rolls the foot over the
    toes (a short negative lobe), then the swing rotates it toe-up until the next landing (the long
    positive lobe, 300-450 ms). Small roll (x) and yaw (z) and white noise ride on top. Its own random
    stream (seed + 7919), so the acceleration of a given seed is what it was before the gyro existed.
    """
    rng = np.random.default_rng(seed + 7919)
    w = np.zeros((len(ts), 3))
    after = rng.uniform(120, 200)
    push = rng.uniform(200, 320)
    swing = rng.uniform(300, 450)
    lobe = lambda a, b: np.where((phase >= a) & (phase < b), np.sin(np.pi * (phase - a) / (b - a)), 0.0)
    w[:, 1] = -after * lobe(0.0, 0.12) - push * lobe(0.45, 0.62) + swing * lobe(0.62, 0.99)
    w[:, 0] = 40 * lobe(0.45, 0.99) * np.sin(2 * np.pi * 2 * phase)
    w[:, 2] = 25 * lobe(0.55, 0.99)
    return w + rng.normal(0, 2.0, size=w.shape)


def write_csv(s: Session, path: str, sep: str = ",") -> None:
    """Writes a session in the seed format, footfall rows merged in time order."""
    rows = [(t, 0, f"{a[0]:.6g}{sep}{a[1]:.6g}{sep}{a[2]:.6g}") for t, a in zip(s.t_ms, s.acc)]
    rows += [(t, 1, f"FOOTFALL{sep}FOOTFALL{sep}FOOTFALL") for t in s.footfall_ms]
    rows.sort(key=lambda r: (r[0], r[1]))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(sep.join(["timestamp", "accelerationX", "accelerationY", "accelerationZ",
                           "sequenceNumber", "eventType"]) + "\n")
        for i, (t, kind, xyz) in enumerate(rows):
            fh.write(f"{int(t)}{sep}{xyz}{sep}{i}{sep}{'footfall' if kind else 'sample'}\n")
