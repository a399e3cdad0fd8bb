"""Recording CSV loading, nearest-sample labelling, features, scaler, splits and windows.

Seed format (Iola Walker app): ``timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType``
with epoch-ms timestamps, comma or tab separated; ``footfall`` rows carry ``FOOTFALL`` in the
acceleration columns and mark a ground-truth footfall at their timestamp.
"""
from __future__ import annotations

import dataclasses
import re

import numpy as np

# Same order and names as the daemon's FeatureLayout (src/IolaEdge.Dsp/Features/FeatureLayout.cs).
FEATURES = ["x", "y", "z", "magnitude", "dt"]
# dt is the gap to the previous sample in seconds (the nominal period for the first sample, as the
# daemon's FeatureExtractor does), clipped: a long gap must not dominate the scaler.
DT_CLIP_S = 0.2
NOMINAL_PERIOD_S = 1.0 / 200.0


@dataclasses.dataclass
class Session:
    """One recording: sample times (ms), accelerations (g), footfall times (ms), labelled sample indices."""

    name: str
    t_ms: np.ndarray  # float64 [N], sample (arrival) times
    acc: np.ndarray  # float32 [N, 3]
    footfall_ms: np.ndarray  # float64 [F]
    labels: np.ndarray  # int64 [F], index of the sample nearest each footfall
    gyro: np.ndarray | None = None  # float32 [N, 3] angular velocity (°/s, sensor frame), None without a gyro
    # float64 [N] true sample times (ms, from ``sensorTimeNs``) when every sample row carries one, else None
    sensor_ms: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.t_ms)

    def slice(self, a: int, b: int, name: str | None = None) -> "Session":
        """Samples [a, b) with the footfalls whose nearest sample falls inside, re-indexed."""
        keep = (self.labels >= a) & (self.labels < b)
        return Session(name or f"{self.name}[{a}:{b}]", self.t_ms[a:b].copy(), self.acc[a:b].copy(),
                       self.footfall_ms[keep].copy(), self.labels[keep] - a,
                       None if self.gyro is None else self.gyro[a:b].copy(),
                       None if self.sensor_ms is None else self.sensor_ms[a:b].copy())


_SPLIT = re.compile(r"[,\t]")


def parse_lines(lines, name: str = "session") -> tuple[Session, int]:
    """Parses seed-format lines (header first). Returns the session and the count of skipped bad lines."""
    it = iter(lines)
    header = [h.strip() for h in _SPLIT.split(next(it).strip())]
    need = ["timestamp", "accelerationX", "accelerationY", "accelerationZ", "eventType"]
    missing = [c for c in need if c not in header]
    if missing:
        raise ValueError(f"{name}: header lacks {missing}; got {header}")
    it_t, ix, iy, iz, ie = (header.index(c) for c in need)
    gyro_cols = ["gyroscopeX", "gyroscopeY", "gyroscopeZ"]
    ig = [header.index(c) for c in gyro_cols] if all(c in header for c in gyro_cols) else None
    isn = header.index("sensorTimeNs") if "sensorTimeNs" in header else None
    t, acc, gyr, sens, ff, bad = [], [], [], [], [], 0
    for line in it:
        line = line.strip()
        if not line:
            continue
        f = [c.strip() for c in _SPLIT.split(line)]
        try:
            kind = f[ie]
            ts = float(f[it_t])
            if kind == "footfall":
                ff.append(ts)
            elif kind == "sample":
                xyz = (float(f[ix]), float(f[iy]), float(f[iz]))
                if ig is not None:
                    # an empty cell is a row without a gyro reading (NaN, as ImuSample without a gyro)
                    gyr.append(tuple(float(f[k]) if k < len(f) and f[k] else float("nan") for k in ig))
                if isn is not None:  # 0 or empty: no sensor time (a live source's raw rows)
                    sens.append(_sensor_ms(f[isn] if isn < len(f) else ""))
                acc.append(xyz)
                t.append(ts)
            else:
                bad += 1
        except (IndexError, ValueError):
            bad += 1
    t_ms = np.asarray(t, np.float64)
    order = np.argsort(t_ms, kind="mergesort")  # stable: keeps burst order of equal timestamps
    t_ms = t_ms[order]
    a = np.asarray(acc, np.float32).reshape(-1, 3)[order]
    ffa = np.sort(np.asarray(ff, np.float64))
    g = np.asarray(gyr, np.float32).reshape(-1, 3)[order] if ig is not None else None
    sn = np.asarray(sens, np.float64)[order] if isn is not None else None
    if sn is not None and not (len(sn) and np.all(sn > 0)):
        sn = None
    return Session(name, t_ms, a, ffa, nearest_sample(t_ms, ffa), g, sn), bad


def _sensor_ms(cell: str) -> float:
    """A ``sensorTimeNs`` cell in ms; 0 when empty or not a number (that column is optional, never fatal)."""
    try:
        return float(cell) * 1e-6 if cell else 0.0
    except ValueError:
        return 0.0


def load_session(path: str) -> Session:
    """Loads one seed-format CSV (comma or tab)."""
    with open(path, encoding="utf-8") as fh:
        s, bad = parse_lines(fh, name=path)
    if bad:
        print(f"[data] {path}: skipped {bad} malformed lines", flush=True)
    return s


def nearest_sample(t_ms: np.ndarray, events_ms: np.ndarray) -> np.ndarray:
    """Index of the sample nearest in time to each event (ties: the earlier sample)."""
    if len(t_ms) == 0:
        return np.zeros(0, np.int64)
    j = np.searchsorted(t_ms, events_ms, side="left")
    if len(t_ms) == 1:
        return np.zeros(len(events_ms), np.int64)
    j = np.clip(j, 1, len(t_ms) - 1)
    # j-1 is the last sample at or before the event, j the first after it: a burst's samples share
    # one arrival time, so these are the two samples nearest the event on either side.
    left_nearer = np.abs(events_ms - t_ms[j - 1]) <= np.abs(t_ms[j] - events_ms)
    j = np.where(left_nearer, j - 1, j)
    return j.astype(np.int64)


def features(t_ms: np.ndarray, acc: np.ndarray) -> np.ndarray:
    """Per-sample features in FEATURES order, float32 arithmetic as the daemon's FeatureExtractor:
    x, y, z (g), |a| (g), dt (s; nominal period for the first sample; clipped to DT_CLIP_S)."""
    n = len(t_ms)
    out = np.zeros((n, len(FEATURES)), np.float32)
    a = acc.astype(np.float32)
    out[:, 0:3] = a
    out[:, 3] = np.sqrt(a[:, 0] * a[:, 0] + a[:, 1] * a[:, 1] + a[:, 2] * a[:, 2])
    if n:
        out[0, 4] = NOMINAL_PERIOD_S
    if n > 1:
        out[1:, 4] = np.clip((np.diff(t_ms) * 1e6 * 1e-9).astype(np.float32), 0.0, DT_CLIP_S)
    return out


def with_sample_clock(s: Session) -> Session:
    """The session with arrival times replaced by the daemon's reconstructed sample times;
    footfalls are re-labelled to the nearest reconstructed sample (press times stay as recorded)."""
    from .clock import sensor_times_ms
    t = sensor_times_ms(s.t_ms)
    return Session(s.name, t, s.acc, s.footfall_ms, nearest_sample(t, s.footfall_ms), s.gyro)


def label_vector(n: int, labels: np.ndarray) -> np.ndarray:
    y = np.zeros(n, np.float32)
    y[labels] = 1.0
    return y


@dataclasses.dataclass
class Scaler:
    """Standard scaler (z = (f - mean) / scale); fitted on training data only."""

    mean: np.ndarray
    scale: np.ndarray

    @staticmethod
    def fit(feats: list[np.ndarray]) -> "Scaler":
        allf = np.concatenate(feats, axis=0).astype(np.float64)
        mean = allf.mean(axis=0)
        scale = allf.std(axis=0)
        scale[scale < 1e-8] = 1.0
        return Scaler(mean.astype(np.float32), scale.astype(np.float32))

    def transform(self, f: np.ndarray) -> np.ndarray:
        return ((f - self.mean) / self.scale).astype(np.float32)


def split_time_blocks(s: Session, fractions: list[float]) -> list[Session]:
    """Cuts one session into consecutive time blocks (fractions of its duration, summing to 1).

    Blocks never overlap, so no window straddles two parts; windows are cut inside each block.
    """
    if abs(sum(fractions) - 1.0) > 1e-6:
        raise ValueError(f"fractions must sum to 1, got {fractions}")
    t0, t1 = s.t_ms[0], s.t_ms[-1]
    bounds = [t0]
    acc = 0.0
    for fr in fractions[:-1]:
        acc += fr
        bounds.append(t0 + acc * (t1 - t0))
    idx = [0] + [int(np.searchsorted(s.t_ms, b, side="left")) for b in bounds[1:]] + [len(s)]
    return [s.slice(idx[k], idx[k + 1], name=f"{s.name}#block{k}") for k in range(len(fractions))]


def split_sessions(sessions: list[Session], fractions: list[float]) -> list[list[Session]]:
    """Assigns whole sessions to parts in order (for multi-session data sets)."""
    n = len(sessions)
    cuts = np.round(np.cumsum([0.0] + fractions) * n).astype(int)
    return [sessions[cuts[k]:cuts[k + 1]] for k in range(len(fractions))]


def windows(n: int, win: int, stride: int) -> np.ndarray:
    """Start indices of full windows of length ``win`` every ``stride`` samples inside [0, n)."""
    if n < win:
        return np.zeros(0, np.int64)
    return np.arange(0, n - win + 1, stride, dtype=np.int64)
