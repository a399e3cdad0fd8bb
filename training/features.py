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

With a gyroscope (the six-channel model, ``GYRO_FEATURES`` after the five above):

- ``gyro_magnitude``: |ω| in °/s;
- ``pitch_rate``: the angular velocity about the foot's medio-lateral axis (°/s), signed so the swing
  before a landing is positive: ``PitchRateTracker``, the twin of the dsp detector's pitch-axis tracker
  (src/IolaEdge.Dsp/Detection/PitchRate.cs; docs/detector.md "With a gyroscope");
- ``pitch_ready``: 1 once that tracker's axis and sign are settled, else 0.

Both are unchanged by a rotation of the sensor frame once the tracker's axis has converged (it starts on
the sensor's y axis and follows the principal axis of the angular velocity's second moment).
"""
from __future__ import annotations

import numpy as np

import math

FEATURES = ["magnitude", "vertical", "horizontal", "jerk", "dt"]
GYRO_FEATURES = ["gyro_magnitude", "pitch_rate", "pitch_ready"]
FEATURES_GYRO = FEATURES + GYRO_FEATURES
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



# PitchRate's options (DspDetectorOptions defaults; recorded in the six-channel model's metadata).
PITCH_AXIS_TAU_MS = 4000.0
PITCH_MIN_LOBES = 2
PITCH_SIGN_MARGIN = 0.3


class PitchRateTracker:
    """Python twin of src/IolaEdge.Dsp/Detection/PitchRate.cs, step for step.

    Axis: one power iteration per sample on an exponentially weighted second moment of ω (time constant
    ``axis_tau_ms``), the axis kept continuous in sign. Sign: every finished lobe of the projected rate
    beyond a level (0.3 of the running peak |ω| of lobes, within 60..150 °/s) votes with its sign weighted
    by its duration (in 100 ms) cubed; the swing's long lobe wins. The vote restarts when the axis turns by
    more than acos(0.8) between lobes; missing data longer than 150 ms ends the lobe in progress without a
    vote. C# keeps the moment and axis in float32 (Vector3/Matrix4x4); this
    twin uses float64, which differs by rounding only (the parity tests bound it).
    """

    MAX_STEP_MS = 60.0
    LOBE_GAP_MS = 150.0  # missing data longer than this ends a lobe without a vote (PitchRate.LobeGapMs)
    LOBE_LEVEL_FRACTION = 0.3
    MIN_LOBE_LEVEL = 60.0
    MAX_LOBE_LEVEL = 150.0
    PEAK_LEVEL_WEIGHT = 0.1
    VOTE_UNIT_MS = 100.0
    AXIS_TURN_COSINE = 0.8

    def __init__(self, axis_tau_ms: float = PITCH_AXIS_TAU_MS, min_lobes: int = PITCH_MIN_LOBES,
                 sign_margin: float = PITCH_SIGN_MARGIN):
        self.axis_tau_ms = axis_tau_ms
        self.min_lobes = min_lobes
        self.sign_margin = sign_margin
        self.reset()

    def reset(self) -> None:
        self.m = [0.0] * 6  # xx, xy, xz, yy, yz, zz
        self.axis = (0.0, 1.0, 0.0)
        self.lobe_axis = None
        self.prev_ns = 0
        self.started = False
        self.lobe_sign = 0
        self.lobe_start_ns = 0
        self.lobe_peak = 0.0
        self.peak_level = 300.0
        self.vote = 0.0
        self.vote_weight = 0.0
        self.lobes = 0
        self.raw = 0.0
        self.axis_changes = 0

    @property
    def sign(self) -> int:
        return 1 if self.vote >= 0 else -1

    @property
    def value(self) -> float:
        return self.raw * self.sign

    @property
    def ready(self) -> bool:
        return (self.lobes >= self.min_lobes and self.vote_weight > 0
                and abs(self.vote) / self.vote_weight >= self.sign_margin)

    def update(self, time_ns: int, wx: float, wy: float, wz: float) -> None:
        gap_ms = (time_ns - self.prev_ns) / 1e6 if self.started else 0.0
        step_ms = min(max(gap_ms, 1.0), self.MAX_STEP_MS) if self.started else 5.0
        self.started = True
        self.prev_ns = time_ns
        # follow the axis
        w = 1.0 - math.exp(-step_ms / self.axis_tau_ms)
        m = self.m
        for k, o in enumerate((wx * wx, wx * wy, wx * wz, wy * wy, wy * wz, wz * wz)):
            m[k] += (o - m[k]) * w
        ax, ay, az = self.axis
        nx = ax * m[0] + ay * m[1] + az * m[2]
        ny = ax * m[1] + ay * m[3] + az * m[4]
        nz = ax * m[2] + ay * m[4] + az * m[5]
        length = math.sqrt(nx * nx + ny * ny + nz * nz)
        if length > 1e-6:
            nx, ny, nz = nx / length, ny / length, nz / length
            if nx * ax + ny * ay + nz * az < 0:
                nx, ny, nz = -nx, -ny, -nz
            self.axis = (nx, ny, nz)
        ax, ay, az = self.axis
        self.raw = wx * ax + wy * ay + wz * az
        if gap_ms > self.LOBE_GAP_MS:
            self.lobe_sign = 0  # the lobe in progress spanned missing data: no vote
        # vote on the sign
        magnitude = math.sqrt(wx * wx + wy * wy + wz * wz)
        level = min(max(self.LOBE_LEVEL_FRACTION * self.peak_level, self.MIN_LOBE_LEVEL), self.MAX_LOBE_LEVEL)
        sign = 1 if self.raw > level else (-1 if self.raw < -level else 0)
        if sign != self.lobe_sign:
            if self.lobe_sign != 0:
                self._finish_lobe(time_ns)
            self.lobe_sign = sign
            self.lobe_start_ns = time_ns
            self.lobe_peak = 0.0
        if sign != 0:
            self.lobe_peak = max(self.lobe_peak, magnitude)

    def _finish_lobe(self, time_ns: int) -> None:
        ax, ay, az = self.axis
        if self.lobe_axis is not None:
            lx, ly, lz = self.lobe_axis
            if ax * lx + ay * ly + az * lz < self.AXIS_TURN_COSINE:
                self.vote = self.vote_weight = 0.0
                self.lobes = 0
                self.axis_changes += 1
        self.lobe_axis = self.axis
        d = (time_ns - self.lobe_start_ns) / 1e6 / self.VOTE_UNIT_MS
        weight = d * d * d
        self.vote += self.lobe_sign * weight
        self.vote_weight += weight
        self.lobes += 1
        self.peak_level += self.PEAK_LEVEL_WEIGHT * (self.lobe_peak - self.peak_level)


def time_ns(t_ms: np.ndarray) -> np.ndarray:
    """Sample times in whole ns, as ImuSample.SensorTimeNs carries them (relative times are what matter)."""
    return np.round(np.asarray(t_ms, np.float64) * 1e6).astype(np.int64)


def gyro_features(t_ms: np.ndarray, gyro: np.ndarray, tracker: PitchRateTracker | None = None) -> np.ndarray:
    """[N, 3] float32 rows in GYRO_FEATURES order; the tracker starts fresh unless one is given.
    A NaN angular velocity (a sample without a gyro reading) counts as zero rotation."""
    n = len(t_ms)
    out = np.zeros((n, len(GYRO_FEATURES)), np.float32)
    if n == 0:
        return out
    tr = tracker or PitchRateTracker()
    g = np.nan_to_num(np.asarray(gyro, np.float32)).astype(np.float64)
    ns = time_ns(np.asarray(t_ms, np.float64) - float(t_ms[0])).tolist()
    gx, gy, gz = g[:, 0].tolist(), g[:, 1].tolist(), g[:, 2].tolist()
    mag, pitch, ready = [0.0] * n, [0.0] * n, [0.0] * n
    for i in range(n):
        tr.update(ns[i], gx[i], gy[i], gz[i])
        mag[i] = math.sqrt(gx[i] * gx[i] + gy[i] * gy[i] + gz[i] * gz[i])
        pitch[i] = tr.value
        ready[i] = 1.0 if tr.ready else 0.0
    out[:, 0] = mag
    out[:, 1] = pitch
    out[:, 2] = ready
    return out


def all_features(t_ms: np.ndarray, acc: np.ndarray, gyro: np.ndarray | None, nominal_rate_hz: float) -> np.ndarray:
    """The five acceleration features, then (when ``gyro`` is given) the three gyro features."""
    f = invariant_features(t_ms, acc, nominal_rate_hz)
    if gyro is None:
        return f
    return np.concatenate([f, gyro_features(t_ms, gyro)], axis=1)
