"""Python twin of the daemon's SampleClock (src/IolaEdge.Dsp/Timing/SampleClock.cs + SampleGrid.cs,
default options, arrival times only: no sensor times, no sequence counter).

Two models, chosen online from the stream itself, as in C#:

- **Regular**: every step between timestamps is a whole number of periods within 1.2 ms (whole-ms
  timestamps at 204.8 Hz step 4 or 5 ms). From the first sample, while every step is on the grid, the
  timestamps are kept (tentatively); after 10 such steps in a row the stream is regular, the timestamps
  are sample times and a step of k periods counts k - 1 lost samples. The period is estimated from the
  accepted steps (a multiple m of the nominal one when every step of the opening run was). Steps that
  keep to no whole number of nominal periods but to a grid of their own, 20 in a row, make that grid the
  period (a 128 Hz file given as 200 Hz), kept from the first sample while every step keeps to it. Off-grid
  steps add 2 strikes, on-grid steps take one away; beyond 4 the de-jitter model takes over.
- **De-jitter** (bursty arrivals): sample time = previous + period, never after the arrival, jumping
  whole periods where a burst's newest sample arrived too late (lost packets).
  A stream that delivers at most half the nominal rate over a 2 s window is taken to come from a sensor at
  a whole fraction of it (a 100 Hz phone recording given as 200 Hz): the period becomes that multiple.

Training on the same reconstructed times keeps dt, labels and event times identical to what the
detectors see in `iolaedge eval` and live.
"""
from __future__ import annotations

import math

import numpy as np

NOMINAL_RATE_HZ = 200.0
BURST_GAP_PERIODS = 2.5
LOSS_SLACK_PERIODS = 1.5
RESYNC_GAP_MS = 1000.0
REGULAR_TOLERANCE_MS = 1.2
ACQUIRE_STEPS = 10
MAX_STRIKES = 4
TRUSTED_ESTIMATE_PERIODS = 1000
PRIOR_WEIGHT = 16
MAX_ESTIMATE_STEP = 3
FOREIGN_ACQUIRE_STEPS = 2 * ACQUIRE_STEPS
RATE_WINDOW_NS = 2_000_000_000
MAX_DELIVERED_FRACTION = 1.03
OVER_DELIVERED_FRACTION = 1.10
MAX_PERIOD_MULTIPLE = 8


class SampleGrid:
    """Twin of SampleGrid.cs: on-grid test of timestamp steps and the period estimate."""

    def __init__(self, prior_ns: float, tolerance_ns: float):
        self.prior = float(prior_ns)
        self.max_tol = float(tolerance_ns)
        self.tol = min(float(tolerance_ns), 0.3 * prior_ns)
        self.span = self.run_span = 0.0
        self.periods = self.run_periods = 0
        self.last = 0
        self.started = False
        self.run_gcd = 0
        self.run = 0
        self.steps = 0
        self.foreign_span = 0.0
        self.foreign_periods = self.foreign_run = 0
        self.adoptions = 0

    @property
    def foreign_period_ns(self) -> float:
        return self.foreign_span / self.foreign_periods if self.foreign_periods > 0 else 0.0

    @property
    def foreign_lost(self) -> int:
        return self.foreign_periods - self.foreign_run

    @property
    def foreign_is_off_grid(self) -> bool:
        foreign, period = self.foreign_period_ns, self.period_ns
        periods = int(round(foreign / period))
        return foreign > 0 and (periods < 1 or abs(foreign - periods * period) > self.tol)

    def adopt_foreign_period(self) -> None:
        self.prior = self.foreign_period_ns
        self.tol = min(self.max_tol, 0.3 * self.prior)
        self.span = self.run_span = 0.0
        self.periods = self.run_periods = 0
        self.run_gcd = 0
        self.run = 0
        self._end_foreign_run()
        self.adoptions += 1

    def _watch_foreign_step(self, step: int) -> None:
        foreign = self.foreign_period_ns
        if self.foreign_run > 0:
            k = int(round(step / foreign))
            if 1 <= k <= MAX_ESTIMATE_STEP and abs(step - k * foreign) <= min(self.max_tol, 0.3 * foreign):
                self.foreign_span += step
                self.foreign_periods += k
                self.foreign_run += 1
                return
        self._end_foreign_run()
        if step >= 0.25 * self.prior:
            self.foreign_span = float(step)
            self.foreign_periods = self.foreign_run = 1

    def _end_foreign_run(self) -> None:
        self.foreign_span = 0.0
        self.foreign_periods = self.foreign_run = 0

    @property
    def period_ns(self) -> float:
        return (self.span + self.run_span + PRIOR_WEIGHT * self.prior) / (self.periods + self.run_periods + PRIOR_WEIGHT)

    def acquire(self) -> int:
        m = max(1, self.run_gcd)
        if m >= 2:
            self.prior *= m
            self.run_periods //= m
            self.span = 0.0
            self.periods = 0
        self.confirm()
        return m

    def confirm(self) -> None:
        self.span += self.run_span
        self.periods += self.run_periods
        self.run_span = 0.0
        self.run_periods = 0

    def observe(self, time_ns: int, confirmed: bool) -> tuple[int, bool]:
        """(step in whole periods, on the grid)."""
        if not self.started:
            self.started = True
            self.last = time_ns
            return 0, False
        step = time_ns - self.last
        self.last = time_ns
        self.steps += 1
        if not confirmed:
            self._watch_foreign_step(step)
        elif self.foreign_run > 0:
            self._end_foreign_run()
        period = self.period_ns
        periods = int(round(step / period))
        if periods < 1 or abs(step - periods * period) > self.tol:
            self.run = 0
            self.run_gcd = 0
            if not confirmed:
                self.run_span = 0.0
                self.run_periods = 0
            return max(0, periods), False
        self.run_gcd = math.gcd(self.run_gcd, periods)
        self.run += 1
        if periods <= MAX_ESTIMATE_STEP:
            self.run_span += step
            self.run_periods += periods
            if confirmed:
                self.confirm()
        return periods, True


class SampleClock:
    """Twin of SampleClock.cs for arrival timestamps (ns in, ns out), sample by sample."""

    def __init__(self, rate_hz: float = NOMINAL_RATE_HZ, detect_regular: bool = True):
        self.nominal = int(round(1e9 / rate_hz))
        self.period = self.nominal
        self.burst_gap = int(BURST_GAP_PERIODS * self.nominal)
        self.resync = int(RESYNC_GAP_MS * 1e6)
        self.detect_regular = detect_regular
        self.grid = SampleGrid(self.nominal, REGULAR_TOLERANCE_MS * 1e6)
        self.started = False
        self.regular = False
        self.tentative = detect_regular
        self.pending_periods = self.pending_steps = 0
        self.lost = 0
        self.strikes = 0
        self.last_t = self.last_a = 0
        self.samples = self.regular_samples = self.dejittered_samples = 0
        self.regular_entries = self.regular_exits = 0
        self.multiple = 1
        self.slower_rates = 0
        self.rate_start = 0
        self.rate_samples = 0
        self.rate_lost_mark = 0
        self.rate_opening = True

    @property
    def estimated_lost_samples(self) -> int:
        return self.lost + max(0, self.pending_periods // max(1, self.grid.run_gcd) - self.pending_steps)

    def next(self, arrival: int) -> int:
        self.samples += 1
        a = int(arrival)
        if self.started and a < self.last_a:
            a = self.last_a
        if not self.started:
            self.dejittered_samples += 1
            self.grid.observe(a, False)
            self._restart_rate(a, True)
            self._anchor(a, a)
            return a
        if self.detect_regular:
            t = self._try_regular(a)
            if t is not None:
                self.regular_samples += 1
                self._anchor(t, a)
                return t
        self.dejittered_samples += 1
        t = self._dejitter(a)
        self._anchor(t, a)
        return t

    def _try_regular(self, a: int):
        g = self.grid
        periods, on_grid = g.observe(a, self.regular)
        if not self.regular:
            if not on_grid:
                if self.tentative and self._opens_on_foreign_grid():
                    return max(a, self.last_t)
                self.tentative = False
                self._commit_pending(1)
                self._adopt_foreign_grid()
                return None
            if self.tentative:
                self.pending_periods += periods
                self.pending_steps += 1
            if g.run < ACQUIRE_STEPS:
                return max(a, self.last_t) if self.tentative else None
            m = g.acquire()
            if self.tentative:
                self._commit_pending(m)
                self.tentative = False
                periods = 1
            else:
                periods = max(1, int(round((a - self.last_t) / g.period_ns)))
            self.regular = True
            self.strikes = 0
            self.regular_entries += 1
        elif not on_grid:
            self.strikes += 2
            if self.strikes > MAX_STRIKES:
                self.regular = False
                self.strikes = 0
                self.regular_exits += 1
                if g.periods >= TRUSTED_ESTIMATE_PERIODS or g.adoptions > 0:
                    self.period = int(round(g.period_ns))
                    self.multiple = max(1, round(self.period / self.nominal))
                self._restart_rate(a, False)
                return None
        else:
            self.strikes = max(0, self.strikes - 1)
        if periods - 1 > 0:
            self.lost += periods - 1
        return max(a, self.last_t)

    def _adopt_foreign_grid(self) -> bool:
        g = self.grid
        if g.foreign_run < FOREIGN_ACQUIRE_STEPS or not g.foreign_is_off_grid:
            return False
        g.adopt_foreign_period()
        return True

    def _opens_on_foreign_grid(self) -> bool:
        # Every step since the first keeps to one grid of its own: the pending losses (on the nominal grid) give way
        # to the ones that grid saw once it becomes the period.
        g = self.grid
        if g.foreign_run != g.steps:
            return False
        lost = g.foreign_lost
        if self._adopt_foreign_grid():
            self.pending_periods = self.pending_steps = 0
            self.lost += max(0, lost)
        return True

    def _dejitter(self, a: int) -> int:
        # The de-jitter model as before the regular mode was ported (rules 1-3; C#'s rule 4, the lag
        # window of streams without bursts, and its even-stream rules are not in the twin), on the current period.
        gap = a - self.last_a
        if gap > self.resync:
            self._restart_rate(a, False)
            return a
        if gap > 0 and self.last_a - self.rate_start >= RATE_WINDOW_NS:
            self._watch_rate(self.last_a)
        if a > self.rate_start:
            self.rate_samples += 1
        pred = self.last_t + self.period
        if gap > self.burst_gap:
            lag = self.last_a - self.last_t
            if lag > LOSS_SLACK_PERIODS * self.period:  # as C#: on the current (maybe estimated) period
                pred += (lag // self.period) * self.period
                self.lost += lag // self.period
        return min(pred, a)

    def _watch_rate(self, end: int) -> None:
        # As Dejitterer.WatchRate: at most half the nominal rate, steadily, is a slower sensor; the multiple goes
        # up when the arrivals leave room for a longer period, down only when they are clearly too many.
        delivered = self.rate_samples * self.nominal / (end - self.rate_start)
        fits = _longest_period_fitting(MAX_DELIVERED_FRACTION / delivered) if delivered > 0 else self.multiple
        m = fits if fits > self.multiple or delivered * self.multiple > OVER_DELIVERED_FRACTION else self.multiple
        if m != self.multiple:
            self.multiple = m
            self.slower_rates += 1
            self.period = m * self.nominal
            self.burst_gap = int(BURST_GAP_PERIODS * self.period)
            if self.rate_opening:
                self.lost = self.rate_lost_mark + max(0, (end - self.rate_start) // self.period - self.rate_samples)
        self._restart_rate(end, False)

    def _restart_rate(self, start: int, opening: bool) -> None:
        self.rate_start = start
        self.rate_samples = 0
        self.rate_lost_mark = self.lost
        self.rate_opening = opening

    def _commit_pending(self, m: int) -> None:
        lost = self.pending_periods // m - self.pending_steps
        if lost > 0:
            self.lost += lost
        self.pending_periods = self.pending_steps = 0

    def _anchor(self, t: int, a: int) -> None:
        self.started = True
        self.last_t = t
        self.last_a = a


def _longest_period_fitting(limit: float) -> int:
    # As Dejitterer.LongestPeriodFitting: the largest power of two up to the limit (rate ladders halve).
    m = 1
    while m * 2 <= min(limit, MAX_PERIOD_MULTIPLE):
        m *= 2
    return m


def sensor_times_ms(arrival_ms: np.ndarray, rate_hz: float = NOMINAL_RATE_HZ) -> np.ndarray:
    """Reconstructed sample times (ms) for arrival times (ms), sample by sample as SampleClock.Next
    with ``NominalRateHz = rate_hz`` (eval's ``--rate-hz``)."""
    arr = np.round(np.asarray(arrival_ms, np.float64) * 1e6).astype(np.int64)
    c = SampleClock(rate_hz)
    out = np.fromiter((c.next(a) for a in arr.tolist()), np.int64, len(arr))
    return out.astype(np.float64) / 1e6
