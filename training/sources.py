"""Training sources of the stream model: the Iola walk, the ipol1 corpus (index.csv) and simulator walks.

Every walk becomes a ``Walk``: a session on the time axis the daemon's detector sees, the rate eval runs
it at, its source and subject, and the time range it is scored in. Label conventions differ by source:

- ipol1 (Voisard et al., IPOL 2023): heel strike at the onset of the landing impact; timestamps are
  true sample times (10 ms grid, lost packets not filled in), so they are kept as they are.
- Iola walk: button presses, which come a roughly constant time after the landing; ``iola_offset_ms``
  (measured, see models/onnx-stream.md) is subtracted so the model learns one convention, the impact onset.
- Simulator (``iolaedge simulate``): the exact contact instant.
"""
from __future__ import annotations

import csv
import dataclasses
import os

import numpy as np

from . import clock, data


@dataclasses.dataclass
class Walk:
    session: data.Session  # times on the daemon's clock; footfall_ms/labels in the model's convention
    source: str  # "iola", "ipol1", "sim"
    subject: str
    rate_hz: float  # eval's --rate-hz for this walk
    from_ms: float  # scored range (truth and detections)
    to_ms: float
    true_times: bool  # timestamps are sample times (not bursty arrivals)

    def truth(self) -> np.ndarray:
        f = self.session.footfall_ms
        return f[(f >= self.from_ms) & (f < self.to_ms)]


def _shifted(s: data.Session, offset_ms: float) -> data.Session:
    f = s.footfall_ms - offset_ms
    return data.Session(s.name, s.t_ms, s.acc, f, data.nearest_sample(s.t_ms, f), s.gyro)


def load_ipol(index_csv: str) -> list[Walk]:
    """One Walk per file of an ipol1-format index; scored inside walk_start_ms..walk_end_ms + 250."""
    base = os.path.dirname(os.path.abspath(index_csv))
    walks = []
    with open(index_csv, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            s = data.load_session(os.path.join(base, r["file"]))
            walks.append(Walk(s, "ipol1", r["subject"], 100.0, float(r["walk_start_ms"]),
                              float(r["walk_end_ms"]) + 250.0, True))
    return walks


def load_iola(path: str, offset_ms: float) -> Walk:
    """The Iola walk on the daemon's 200 Hz sample clock, presses moved by -offset_ms."""
    s = data.load_session(path)
    s = data.Session(s.name, clock.sensor_times_ms(s.t_ms), s.acc, s.footfall_ms, s.labels, s.gyro)
    s = _shifted(s, offset_ms)
    return Walk(s, "iola", "iola", 200.0, float(s.t_ms[0]), float(s.t_ms[-1]) + 1, False)


def load_sim(path: str) -> Walk:
    """An ``iolaedge simulate`` walk (200 Hz).

    Written with ``times=truth`` every sample carries its true sample time (``sensorTimeNs``): those times
    are kept (true_times), so the labels sit on the physical samples and the link's losses stay as gaps;
    the augmentation adds delivery and the sample clock. Without them (``times=raw``) a walk whose
    arrivals are evenly spaced (``preset=ideal``) keeps its timestamps; bursty arrivals (``seed``,
    ``packed75``) go through the daemon's sample clock, as eval does: their truth then sits a link-dependent
    lag (~30 ms on ``seed``) after the reconstructed sample it is put on."""
    s = data.load_session(path)
    if s.sensor_ms is not None and np.all(np.diff(s.sensor_ms) > 0):
        t, regular = s.sensor_ms, True
    else:
        t, regular = s.t_ms, evenly_spaced(s.t_ms)
        if not regular:
            t = clock.sensor_times_ms(s.t_ms)
    s = data.Session(s.name, t, s.acc, s.footfall_ms, data.nearest_sample(t, s.footfall_ms), s.gyro)
    return Walk(s, "sim", os.path.basename(path), 200.0, float(t[0]), float(t[-1]) + 1, bool(regular))


def evenly_spaced(t_ms: np.ndarray) -> bool:
    """Timestamps of samples taken and delivered one by one: increasing, every step within half the median
    step of it (bursts 0.7 ms apart with ~45 ms gaps are arrivals, not sample times)."""
    if len(t_ms) < 3:
        return False
    d = np.diff(t_ms)
    med = float(np.median(d))
    return bool(med > 0 and np.all(np.abs(d - med) <= 0.5 * med))


def time_block(w: Walk, a: float, b: float) -> Walk:
    """The part of a walk between fractions a and b of its duration (training slice, samples re-indexed)."""
    s = w.session
    t0, t1 = s.t_ms[0], s.t_ms[-1]
    i = int(np.searchsorted(s.t_ms, t0 + a * (t1 - t0)))
    j = int(np.searchsorted(s.t_ms, t0 + b * (t1 - t0)))
    sl = s.slice(i, j, name=f"{s.name}[{a:.2f}:{b:.2f}]")
    return dataclasses.replace(w, session=sl, from_ms=float(sl.t_ms[0]), to_ms=float(sl.t_ms[-1]) + 1)


def scored_part(w: Walk, a: float, b: float) -> Walk:
    """The whole walk (for context) scored only between fractions a and b of its duration."""
    s = w.session
    t0, t1 = s.t_ms[0], s.t_ms[-1]
    return dataclasses.replace(w, from_ms=float(t0 + a * (t1 - t0)), to_ms=float(t0 + b * (t1 - t0)) if b < 1 else t1 + 1)
