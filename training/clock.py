"""Python twin of the daemon's SampleClock (src/IolaEdge.Dsp/Timing/SampleClock.cs, default options).

The daemon never uses raw arrival times as sample times: it stamps each sample on a nominal 200 Hz
grid, bounded by its arrival, jumping whole periods where a burst's newest sample arrived too late
(lost packets). Training on the same reconstructed times keeps dt, labels and event times identical
to what the detectors see in `iolaedge eval` and live.
"""
from __future__ import annotations

import numpy as np

NOMINAL_RATE_HZ = 200.0
BURST_GAP_PERIODS = 2.5
LOSS_SLACK_PERIODS = 1.5
RESYNC_GAP_MS = 1000.0


def sensor_times_ms(arrival_ms: np.ndarray, rate_hz: float = NOMINAL_RATE_HZ) -> np.ndarray:
    """Reconstructed sample times (ms) for arrival times (ms), sample by sample as SampleClock.Next
    with ``NominalRateHz = rate_hz`` (eval's ``--rate-hz``)."""
    period = int(round(1e9 / rate_hz))
    burst_gap = int(BURST_GAP_PERIODS * period)
    slack = int(LOSS_SLACK_PERIODS * period)
    resync = int(RESYNC_GAP_MS * 1e6)
    arr = np.round(np.asarray(arrival_ms, np.float64) * 1e6).astype(np.int64)
    out = np.empty(len(arr), np.int64)
    last_t = last_a = 0
    for i, a in enumerate(arr):
        a = int(a)
        if i == 0:
            last_t = last_a = out[i] = a
            continue
        if a < last_a:
            a = last_a
        gap = a - last_a
        pred = last_t + period
        if gap > resync:
            last_t = last_a = out[i] = a
            continue
        if gap > burst_gap:
            lag = last_a - last_t
            if lag > slack:
                pred += (lag // period) * period
        t = min(pred, a)
        out[i] = t
        last_t, last_a = t, a
    return out.astype(np.float64) / 1e6
