"""Unit tests: mounting-invariant features, sensor augmentation, the clock at other rates, sources."""
import os
import tempfile
import unittest

import numpy as np

from training import augment, clock, features, sources, stream, synth


def walk(rate_hz=100.0, seconds=3.0, seed=0):
    """A smooth made-up foot signal: gravity on z plus a swing and an impact every second."""
    rng = np.random.default_rng(seed)
    t = np.arange(0, seconds, 1.0 / rate_hz)
    a = np.zeros((len(t), 3))
    a[:, 2] = 1.0
    a[:, 0] = 0.6 * np.sin(2 * np.pi * t)
    a[:, 2] += 2.0 * np.exp(-((t % 1.0) - 0.5) ** 2 / 0.001)
    a += rng.normal(0, 0.001, a.shape)
    return t * 1000.0, a.astype(np.float32)


class FeatureTests(unittest.TestCase):
    def test_every_acceleration_feature_is_unchanged_by_any_mounting_rotation(self):
        t, a = walk()
        f = features.invariant_features(t, a, 100.0)
        for seed in range(5):
            r = augment.random_rotation(np.random.default_rng(seed))
            g = features.invariant_features(t, (a @ r.T).astype(np.float32), 100.0)
            np.testing.assert_allclose(g[:, :4], f[:, :4], atol=2e-5)

    def test_a_sensor_at_rest_is_all_vertical(self):
        t = np.arange(50) * 10.0
        a = np.tile(np.array([[0.6, 0.0, 0.8]], np.float32), (50, 1))
        f = features.invariant_features(t, a, 100.0)
        np.testing.assert_allclose(f[:, 0], 1.0, atol=1e-6)
        np.testing.assert_allclose(f[:, 1], 1.0, atol=1e-6)
        np.testing.assert_allclose(f[:, 2], 0.0, atol=1e-3)
        np.testing.assert_allclose(f[:, 3], 0.0, atol=1e-6)

    def test_dt_is_clipped_and_the_first_row_gets_the_nominal_period(self):
        t = np.array([0.0, 10.0, 10.0, 1000.0])
        f = features.invariant_features(t, np.ones((4, 3), np.float32), 100.0)
        np.testing.assert_allclose(f[:, 4], [0.01, 0.01, 0.0, features.DT_CLIP_S], rtol=1e-6)

    def test_jerk_reads_alike_at_100_and_200_hz(self):
        t1, a1 = walk(100.0)
        t2, a2 = walk(200.0)
        j1 = features.invariant_features(t1, a1, 100.0)[:, 3]
        j2 = features.invariant_features(t2, a2, 200.0)[:, 3]
        self.assertAlmostEqual(float(np.percentile(j1, 50)), float(np.percentile(j2, 50)), delta=0.01)
        self.assertAlmostEqual(float(j1.max()), float(j2.max()), delta=0.25 * float(j1.max()))

    def test_the_stream_features_restart_after_a_reset_gap(self):
        t, a = walk()
        t2 = np.concatenate([t, t + t[-1] + 2000.0])
        f = stream.walk_features(t2, np.concatenate([a, a]))
        np.testing.assert_allclose(f[len(t):], f[:len(t)], atol=1e-6)


class AugmentTests(unittest.TestCase):
    def test_resampling_puts_samples_on_the_requested_grid(self):
        t, a = walk(100.0)
        g, b = augment.resample(t, a, 204.8)
        np.testing.assert_allclose(np.diff(g), 1000.0 / 204.8, atol=1e-6)
        self.assertEqual(b.shape, (len(g), 3))

    def test_the_low_pass_keeps_gravity_and_damps_fast_vibration(self):
        t = np.arange(400) / 200.0
        a = np.stack([np.zeros_like(t), np.zeros_like(t), 1.0 + np.sin(2 * np.pi * 60 * t)], axis=1)
        f = augment.lowpass(a, 200.0, 8.0)
        self.assertLess(float(np.abs(f[200:, 2] - 1.0).max()), 0.05)

    def test_bursty_arrivals_never_precede_their_samples_and_never_go_back(self):
        rng = np.random.default_rng(1)
        t = np.arange(0, 2000, 5.0)
        arr = augment.bursty_arrivals(rng, t)
        self.assertTrue(np.all(arr >= t))
        self.assertTrue(np.all(np.diff(arr) >= 0))

    def test_sensor_augmentation_clips_resamples_and_keeps_labels_on_their_footfalls(self):
        t, a = walk(100.0, seconds=6.0)
        ev = np.array([500.0, 1500.0, 2500.0, 3500.0])
        for seed in range(20):
            rng = np.random.default_rng(seed)
            tt, aa, lab, rate = augment.sensor_augment(rng, t, a, ev, p_bursty=0.0, stretch=(1.0, 1.0))
            self.assertTrue(100.0 <= rate <= 205.0)
            self.assertLessEqual(float(np.abs(aa).max()), 16.0)
            self.assertEqual(len(lab), 4)
            # the labelled sample is the impact: |a| peaks within two samples of it
            m = np.linalg.norm(aa, axis=1)
            for k in lab:
                lo, hi = max(0, k - 30), k + 30
                self.assertLessEqual(abs(int(np.argmax(m[lo:hi])) + lo - k), 3 + int(rate / 50))

    def test_clipping_at_4_g_happens_when_asked(self):
        t, a = walk(100.0)
        a = a * 3.0
        rng = np.random.default_rng(0)
        _, aa, _, _ = augment.sensor_augment(rng, t, a, np.array([500.0]), p_clip4=1.0)
        self.assertLessEqual(float(np.abs(aa).max()), 4.0)


class TargetTests(unittest.TestCase):
    def test_the_target_rises_sharply_on_the_footfall_and_decays_after_it(self):
        y = stream.soft_targets(30, np.array([10]), lookahead=3)
        self.assertEqual(int(np.argmax(y)), 13)
        self.assertLess(float(y[12]), 0.3)  # a gate at 0.5 first crosses on the footfall's output
        self.assertGreater(float(y[14]), 0.7)


class ClockAndSourceTests(unittest.TestCase):
    def test_the_clock_runs_on_a_grid_of_the_given_rate(self):
        arr = np.array([0, 10, 20, 30, 40], np.float64)
        np.testing.assert_allclose(clock.sensor_times_ms(arr, 100.0), arr)

    def test_a_simulator_walk_loads_with_its_contact_labels(self):
        s = synth.synth_walk(2, seconds=8)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "w.csv")
            synth.write_csv(s, p)
            w = sources.load_sim(p)
        self.assertEqual(w.source, "sim")
        self.assertEqual(len(w.truth()), len(s.footfall_ms))
        b = sources.time_block(w, 0.0, 0.5)
        self.assertTrue(np.all(b.session.labels < len(b.session)))
        self.assertLess(b.session.t_ms[-1], w.session.t_ms[-1])

    @staticmethod
    def _simulate_like(path, arrivals, sensor_ms, footfall_ms):
        """A walk in `iolaedge simulate`'s format: arrival timestamps, sensorTimeNs (0 = raw), footfall rows."""
        rows = ["timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType,"
                "gyroscopeX,gyroscopeY,gyroscopeZ,sensorTimeNs,sensorId,score"]
        for k, (ta, ts) in enumerate(zip(arrivals, sensor_ms)):
            rows.append(f"{ta:.6f},0,0,1,{k},sample,1,2,3,{int(round(ts * 1e6))},0,0")
        for f in footfall_ms:
            rows.append(f"{f:.6f},FOOTFALL,FOOTFALL,FOOTFALL,0,footfall,,,,{int(round(f * 1e6))},0,1")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("\n".join(rows) + "\n")

    @staticmethod
    def _bursts(n):
        """200 Hz samples delivered 9 at a time every 45 ms, 0.7 ms apart, 60 ms after they were taken."""
        taken = 1.7e12 + 5.0 * np.arange(n)
        arrivals = np.array([1.7e12 + 60.0 + 45.0 * (k // 9) + 0.7 * (k % 9) for k in range(n)])
        return taken, arrivals

    def test_a_simulator_walk_with_true_sample_times_keeps_them_and_labels_the_contact_sample(self):
        taken, arrivals = self._bursts(900)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "truth.csv")
            self._simulate_like(p, arrivals, taken, [taken[400] + 1.0])
            w = sources.load_sim(p)
        self.assertTrue(w.true_times)
        np.testing.assert_allclose(w.session.t_ms, taken)
        np.testing.assert_array_equal(w.session.labels, [400])
        self.assertEqual(w.session.gyro.shape, (900, 3))

    def test_bursty_arrivals_without_sample_times_go_through_the_sample_clock(self):
        # increasing arrival times (0.7 ms apart in a burst) are still arrivals, not sample times
        taken, arrivals = self._bursts(900)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "raw.csv")
            self._simulate_like(p, arrivals, np.zeros(900), [])
            w = sources.load_sim(p)
        self.assertFalse(w.true_times)
        np.testing.assert_allclose(w.session.t_ms, clock.sensor_times_ms(arrivals))

    def test_evenly_spaced_arrivals_without_sample_times_are_kept(self):
        taken = 1.7e12 + 5.0 * np.arange(300)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "ideal.csv")
            self._simulate_like(p, taken, np.zeros(300), [taken[100]])
            w = sources.load_sim(p)
        self.assertTrue(w.true_times)
        np.testing.assert_allclose(w.session.t_ms, taken)
        np.testing.assert_array_equal(w.session.labels, [100])


if __name__ == "__main__":
    unittest.main()
