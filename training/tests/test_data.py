"""Unit tests: CSV loading, nearest-sample labelling, features/scaler, splits, windows, targets, decisions."""
import os
import tempfile
import unittest

import numpy as np

from training import data, events, stream, synth

CSV = """timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType
1000,0.1,0.2,0.9,0,sample
1000,0.2,0.2,0.9,1,sample
1045,0.3,0.2,0.9,2,sample
1046,FOOTFALL,FOOTFALL,FOOTFALL,3,footfall
1047,0.4,0.2,0.9,4,sample
1047,bad,0.2,0.9,5,sample
1090,0.5,0.2,0.9,6,sample
"""


class LoadingTests(unittest.TestCase):
    def test_comma_and_tab_files_load_the_same_and_bad_lines_are_counted(self):
        s, bad = data.parse_lines(CSV.splitlines())
        t, bad_t = data.parse_lines(CSV.replace(",", "\t").splitlines())
        self.assertEqual(bad, 1)
        self.assertEqual(bad_t, 1)
        np.testing.assert_array_equal(s.t_ms, [1000, 1000, 1045, 1047, 1090])
        np.testing.assert_array_equal(s.t_ms, t.t_ms)
        np.testing.assert_allclose(s.acc, t.acc)
        np.testing.assert_array_equal(s.footfall_ms, [1046])

    def test_a_footfall_row_labels_the_nearest_sample(self):
        s, _ = data.parse_lines(CSV.splitlines())
        # 1046 is 1 ms from 1045 (index 2) and 1047 (index 3): a tie takes the earlier sample
        np.testing.assert_array_equal(s.labels, [2])
        t = np.array([0.0, 10.0, 10.0, 50.0])
        np.testing.assert_array_equal(data.nearest_sample(t, np.array([-5.0, 9.0, 31.0, 70.0])), [0, 1, 3, 3])

    def test_a_header_without_required_columns_fails_naming_them(self):
        with self.assertRaises(ValueError) as cm:
            data.parse_lines(["timestamp,x,y,z", "1,2,3,4"])
        self.assertIn("accelerationX", str(cm.exception))

    def test_a_synthetic_walk_survives_a_csv_round_trip(self):
        s = synth.synth_walk(3, seconds=10)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "w.csv")
            synth.write_csv(s, p, sep="\t")
            r = data.load_session(p)
        np.testing.assert_array_equal(r.t_ms, s.t_ms)
        np.testing.assert_array_equal(r.footfall_ms, s.footfall_ms)
        np.testing.assert_allclose(r.acc, s.acc, atol=1e-5)


class FeatureTests(unittest.TestCase):
    def test_features_are_xyz_norm_and_clipped_dt_in_seconds(self):
        t = np.array([0.0, 5.0, 5.0, 1000.0])
        a = np.array([[3, 4, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]], np.float32)
        f = data.features(t, a)
        np.testing.assert_allclose(f[:, 3], [5, 1, 1, 1])
        np.testing.assert_allclose(f[:, 4], [data.NOMINAL_PERIOD_S, 0.005, 0, data.DT_CLIP_S])

    def test_the_scaler_uses_only_the_data_it_is_fitted_on(self):
        sc = data.Scaler.fit([np.array([[1.0, 2, 3, 4, 5], [3.0, 2, 3, 4, 7]], np.float32)])
        np.testing.assert_allclose(sc.mean, [2, 2, 3, 4, 6])
        np.testing.assert_allclose(sc.scale, [1, 1, 1, 1, 1])  # zero spread falls back to 1
        np.testing.assert_allclose(sc.transform(np.array([[4.0, 2, 3, 4, 6]], np.float32)), [[2, 0, 0, 0, 0]])


class ClockTests(unittest.TestCase):
    def test_the_sample_clock_spreads_a_burst_on_the_nominal_grid_bounded_by_arrival(self):
        from training import clock
        # burst of 4 at t=100, next burst of 4 at t=145 (no loss), then one at 400 after a loss
        arr = np.array([100, 100, 100, 100, 145, 145, 145, 145, 400], np.float64)
        t = clock.sensor_times_ms(arr)
        np.testing.assert_allclose(t[:4], [100, 100, 100, 100])  # clamped to arrival (clock ahead)
        np.testing.assert_allclose(t[4:8], [105, 110, 115, 120])
        self.assertTrue(np.all(t <= arr))
        # 120 arrived at 145: lag 25 ms > slack 7.5 -> 5 periods lost: 120 + 5 + 25 = 150
        self.assertAlmostEqual(t[8], 150.0)


class SplitTests(unittest.TestCase):
    def test_time_blocks_are_disjoint_ordered_and_keep_their_footfalls(self):
        s = synth.synth_walk(1, seconds=40)
        parts = data.split_time_blocks(s, [0.6, 0.15, 0.25])
        self.assertEqual(sum(len(p) for p in parts), len(s))
        for a, b in zip(parts, parts[1:]):
            self.assertLessEqual(a.t_ms[-1], b.t_ms[0])
        self.assertEqual(sum(len(p.labels) for p in parts), len(s.labels))
        for p in parts:
            self.assertTrue(np.all((p.labels >= 0) & (p.labels < len(p))))

    def test_windows_never_cross_a_block_boundary(self):
        s = synth.synth_walk(2, seconds=40)
        parts = data.split_time_blocks(s, [0.6, 0.15, 0.25])
        for p in parts:
            starts = data.windows(len(p), 600, 150)
            self.assertTrue(np.all(starts + 600 <= len(p)))
        np.testing.assert_array_equal(data.windows(1000, 600, 150), [0, 150, 300])
        self.assertEqual(len(data.windows(599, 600, 150)), 0)

    def test_session_split_keeps_whole_sessions(self):
        sessions = [synth.synth_walk(k, seconds=5) for k in range(8)]
        tr, va, te = data.split_sessions(sessions, [0.5, 0.25, 0.25])
        self.assertEqual([len(tr), len(va), len(te)], [4, 2, 2])
        self.assertEqual({x.name for x in tr} & {x.name for x in te}, set())


class TargetAndDecisionTests(unittest.TestCase):
    def test_soft_targets_peak_lookahead_samples_after_the_footfall(self):
        y = stream.soft_targets(20, np.array([5]), lookahead=3)
        self.assertEqual(int(np.argmax(y)), 8)
        self.assertAlmostEqual(float(y[8]), 1.0)
        self.assertLess(float(y[2]), 0.01)

    def test_the_gate_decision_respects_threshold_and_refractory(self):
        t = np.arange(10) * 100.0
        s = np.array([0, .9, .9, 0, .8, .2, 0, 0, .95, 0])
        np.testing.assert_array_equal(events.decide(t, s, 0.5, refractory_ms=250), [1, 4, 8])
        np.testing.assert_array_equal(events.decide(t, s, 0.5, refractory_ms=350), [1, 8])

    def test_matching_is_one_to_one_within_the_tolerance(self):
        tp, err = events.match_count(np.array([0.0, 100.0]), np.array([50.0]), 50)
        self.assertEqual(tp, 1)
        tp, _ = events.match_count(np.array([0.0, 100.0]), np.array([50.0, 160.0]), 60)
        self.assertEqual(tp, 2)
        r = events.score(np.array([0.0, 1000.0]), np.array([20.0, 5000.0]), [25])
        self.assertEqual((r["25"]["tp"], r["25"]["fp"], r["25"]["fn"]), (1, 1, 1))


if __name__ == "__main__":
    unittest.main()
