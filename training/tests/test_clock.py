"""Unit tests: the regular mode of the sample-clock twin (training/clock.py, as SampleClock.cs)."""
import unittest

import numpy as np

from training import clock


def run(arr_ms, rate_hz):
    c = clock.SampleClock(rate_hz)
    out = [c.next(a) for a in np.round(np.asarray(arr_ms, np.float64) * 1e6).astype(np.int64).tolist()]
    return np.asarray(out, np.float64) / 1e6, c


class RegularClockTests(unittest.TestCase):
    def test_regular_100_hz_with_single_losses_keeps_the_timestamps_and_counts_the_losses(self):
        t = 1_700_000_000_000.0 + 10.0 * np.arange(3000)
        lost = np.arange(25, 3000, 97)  # single samples, never two in a row
        keep = np.ones(len(t), bool)
        keep[lost] = False
        tt = t[keep]
        out, c = run(tt, 100.0)
        # kept to the ns (epoch ms in float64 carry ~0.2 us of rounding)
        np.testing.assert_allclose(out, tt, rtol=0, atol=1e-3)
        np.testing.assert_allclose(clock.sensor_times_ms(tt, 100.0), tt, rtol=0, atol=1e-3)
        self.assertTrue(c.regular)
        self.assertEqual(c.regular_entries, 1)
        self.assertEqual(c.regular_exits, 0)
        self.assertEqual(c.estimated_lost_samples, len(lost))
        self.assertAlmostEqual(c.grid.period_ns, 10_000_000, delta=1)

    def test_a_100_hz_file_given_as_200_hz_is_found_to_run_at_half_the_rate(self):
        tt = 10.0 * np.delete(np.arange(500), [3, 40, 41, 200])
        out, c = run(tt, 200.0)
        np.testing.assert_array_equal(out, tt)
        self.assertEqual(c.estimated_lost_samples, 4)

    def test_whole_ms_timestamps_at_204_8_hz_are_kept_and_the_rate_estimated(self):
        true = 5000.0 + np.arange(4000) * (1000.0 / 204.8)
        true = np.delete(true, [100, 1000, 1001, 1002, 3000])
        tt = np.round(true)
        out, c = run(tt, 200.0)
        np.testing.assert_array_equal(out, tt)
        self.assertTrue(c.regular)
        self.assertEqual(c.regular_exits, 0)
        self.assertEqual(c.estimated_lost_samples, 5)
        self.assertAlmostEqual(1e9 / c.grid.period_ns, 204.8, delta=0.05)

    def test_a_128_hz_file_given_as_200_hz_keeps_its_own_grid_from_the_first_sample(self):
        # Steps of 7 and 8 ms: no whole number of 5 ms periods; 20 of them in a row make their grid the period.
        true = 5000.0 + np.arange(3000) * (1000.0 / 128)
        true = np.delete(true, [10, 500, 501, 2000])
        tt = np.floor(true)
        out, c = run(tt, 200.0)
        np.testing.assert_array_equal(out, tt)
        self.assertTrue(c.regular)
        self.assertEqual(c.grid.adoptions, 1)
        self.assertEqual(c.estimated_lost_samples, 4)
        self.assertAlmostEqual(1e9 / c.grid.period_ns, 128.0, delta=0.05)

    def test_bursty_arrivals_stay_de_jittered(self):
        # 4 samples per 20 ms notification (200 Hz), arrival jitter 0-3 ms
        rng = np.random.default_rng(3)
        arr = np.repeat(1000.0 + 20.0 * np.arange(200) + rng.uniform(0, 3, 200), 4)
        out, c = run(arr, 200.0)
        self.assertFalse(c.regular)
        self.assertEqual(c.regular_entries, 0)
        self.assertEqual(c.regular_samples, 0)
        self.assertEqual(c.grid.adoptions, 0)
        self.assertTrue(np.all(out <= arr + 1e-6))  # never after its arrival (to the ns)
        self.assertTrue(np.all(np.diff(out) >= 0))
        # after the first notification (clamped to its arrival) the samples sit on the nominal 5 ms grid,
        # but for the rare sample pulled back to an early arrival
        d = np.diff(out)[3:]
        self.assertGreater(float(np.mean(np.isclose(d, 5.0, rtol=0, atol=1e-6))), 0.99)
        self.assertTrue(np.all(d <= 5.0 + 1e-6))

    def test_a_regular_stream_that_turns_bursty_hands_over_to_the_de_jitter_model(self):
        reg = 10.0 * np.arange(100)
        bursts = np.repeat(1000.0 + 45.0 * np.arange(40), 9)
        out, c = run(np.concatenate([reg, bursts]), 200.0)
        np.testing.assert_array_equal(out[:100], reg)
        self.assertEqual(c.regular_entries, 1)
        self.assertEqual(c.regular_exits, 1)
        self.assertFalse(c.regular)
        self.assertTrue(np.all(out[100:] <= bursts + 1e-6))

    def test_a_bursty_100_hz_stream_given_as_200_hz_takes_a_10_ms_period_once_its_arrival_rate_shows_it(self):
        # 3-4 samples of a 100 Hz sensor per notification, 2-8 ms late: 100 samples/s against 200 nominal
        rng = np.random.default_rng(4)
        truth = 10.0 * np.arange(1000)
        arr = np.empty_like(truth)
        i = 0
        while i < len(truth):
            n = int(rng.integers(3, 5))
            arr[i:i + n] = truth[min(i + n, len(truth)) - 1] + rng.uniform(2, 8)
            i += n
        out, c = run(arr, 200.0)
        self.assertEqual(c.slower_rates, 1)
        self.assertEqual(c.period, 10_000_000)
        late = truth > 3000  # a window and a half after the start
        np.testing.assert_allclose(np.diff(out[late]), 10.0, atol=1e-6)
        self.assertLess(float(np.max(np.abs(out[late] - truth[late]))), 10.0)
        self.assertLess(c.estimated_lost_samples, 10)

    def test_a_lossy_200_hz_link_that_keeps_two_thirds_of_its_samples_keeps_the_nominal_period(self):
        rng = np.random.default_rng(5)
        truth = 5.0 * np.arange(4000)
        keep = rng.uniform(size=len(truth)) >= 0.33
        arr = (np.floor(truth / 20.0) + 1) * 20.0 + rng.uniform(0, 3)
        _, c = run(arr[keep], 200.0)
        self.assertEqual(c.slower_rates, 0)
        self.assertEqual(c.period, 5_000_000)


if __name__ == "__main__":
    unittest.main()
