"""Unit tests: the six-channel model's gyro features (pitch tracker twin), gyro augmentation and CSV columns."""
import unittest

import numpy as np

from training import augment, data, features, synth


def gait(seconds=12.0, rate_hz=100.0, stride_s=1.1, seed=0):
    """Sample times (ms), strikes (s), phase and the foot's angular velocity (°/s, world frame) of a steady gait."""
    ts = np.arange(0, seconds, 1.0 / rate_hz)
    strikes = np.arange(0.3, seconds, stride_s)
    phase = np.zeros(len(ts))
    for k, s in enumerate(strikes):
        m = (ts >= s) & (ts < s + stride_s)
        phase[m] = (ts[m] - s) / stride_s
    return ts * 1000.0, strikes, phase, synth.foot_rotation(seed, ts, strikes, phase)


class PitchFeatureTests(unittest.TestCase):
    def test_the_swing_reads_positive_whatever_the_mounting(self):
        t, _, phase, w = gait()
        for seed in range(8):
            r = augment.random_rotation(np.random.default_rng(seed))
            f = features.gyro_features(t, (w @ r.T).astype(np.float32))
            settled = (f[:, 2] == 1.0) & (t > 4000)
            swing = settled & (phase > 0.7) & (phase < 0.9)
            self.assertTrue(swing.any())
            self.assertGreater(float(np.median(f[swing, 1])), 200.0, f"mounting {seed}")
            after = settled & (phase > 0.02) & (phase < 0.1)
            self.assertLess(float(np.median(f[after, 1])), 0.0, f"mounting {seed}")

    def test_gyro_features_do_not_depend_on_the_mounting_once_the_axis_settled(self):
        t, _, _, w = gait(seconds=20.0)
        ref = features.gyro_features(t, w.astype(np.float32))
        for seed in range(4):
            r = augment.random_rotation(np.random.default_rng(10 + seed))
            f = features.gyro_features(t, (w @ r.T).astype(np.float32))
            np.testing.assert_allclose(f[:, 0], ref[:, 0], rtol=1e-4, atol=1e-3)
            late = t > 12000
            np.testing.assert_allclose(f[late, 1], ref[late, 1], atol=2.0)
            self.assertTrue((f[late, 2] == 1.0).all())

    def test_the_tracker_is_not_settled_before_two_lobes_have_voted(self):
        t, _, _, w = gait()
        f = features.gyro_features(t, w.astype(np.float32))
        self.assertEqual(f[0, 2], 0.0)
        self.assertEqual(f[-1, 2], 1.0)

    def test_a_missing_angular_velocity_counts_as_no_rotation(self):
        t = np.arange(10) * 10.0
        g = np.full((10, 3), np.nan, np.float32)
        f = features.gyro_features(t, g)
        np.testing.assert_array_equal(f[:, :2], 0.0)

    def test_the_feature_row_puts_the_gyro_features_after_the_acceleration_ones(self):
        t, _, _, w = gait(seconds=2.0)
        a = np.tile(np.array([0.0, 0.0, 1.0], np.float32), (len(t), 1))
        f = features.all_features(t, a, w.astype(np.float32), 100.0)
        self.assertEqual(f.shape, (len(t), len(features.FEATURES_GYRO)))
        np.testing.assert_array_equal(f[:, :5], features.invariant_features(t, a, 100.0))
        self.assertEqual(features.all_features(t, a, None, 100.0).shape[1], len(features.FEATURES))


class GyroAugmentTests(unittest.TestCase):
    def test_one_mounting_rotation_turns_acceleration_and_angular_velocity_together(self):
        # Angular velocity along gravity: any shared rotation keeps them parallel, separate ones would not.
        t = np.arange(0, 4000.0, 10.0)
        a = np.tile(np.array([0.0, 0.0, 1.0]), (len(t), 1)).astype(np.float32)
        w = np.tile(np.array([0.0, 0.0, 300.0]), (len(t), 1)).astype(np.float32)
        for seed in range(10):
            rng = np.random.default_rng(seed)
            _, a2, _, _, w2 = augment.sensor_augment(rng, t, a, np.zeros(0), gyro=w, p_lowpass=0.0)
            am, wm = a2.mean(axis=0), w2.mean(axis=0)
            cos = float(am @ wm / np.linalg.norm(am) / np.linalg.norm(wm))
            self.assertGreater(cos, 0.99, f"seed {seed}")
            self.assertEqual(len(a2), len(w2))

    def test_angular_velocity_clips_at_the_gyroscope_range(self):
        t = np.arange(0, 2000.0, 10.0)
        a = np.tile(np.array([0.0, 0.0, 1.0]), (len(t), 1)).astype(np.float32)
        w = np.tile(np.array([5000.0, -5000.0, 100.0]), (len(t), 1)).astype(np.float32)
        _, _, _, _, w2 = augment.sensor_augment(np.random.default_rng(1), t, a, np.zeros(0), gyro=w)
        self.assertLessEqual(float(np.abs(w2).max()), augment.GYRO_RANGE_DPS)

    def test_without_gyro_the_acceleration_augmentation_is_unchanged(self):
        t = np.arange(0, 2000.0, 10.0)
        a = np.random.default_rng(0).normal(0, 1, (len(t), 3)).astype(np.float32)
        w = np.zeros((len(t), 3), np.float32)
        plain = augment.sensor_augment(np.random.default_rng(5), t, a, np.zeros(0))
        with_gyro = augment.sensor_augment(np.random.default_rng(5), t, a, np.zeros(0), gyro=w)
        np.testing.assert_array_equal(plain[0], with_gyro[0])
        np.testing.assert_array_equal(plain[1], with_gyro[1])


class GyroColumnTests(unittest.TestCase):
    HEADER = "timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType"

    def test_the_reader_takes_the_gyro_columns_and_leaves_footfall_rows_empty(self):
        lines = [self.HEADER + ",gyroscopeX,gyroscopeY,gyroscopeZ",
                 "1000,0,0,1,0,sample,1.5,-2,3",
                 "1010,FOOTFALL,FOOTFALL,FOOTFALL,1,footfall,,,",
                 "1010,0,0,1,2,sample,,,"]
        s, bad = data.parse_lines(lines)
        self.assertEqual(bad, 0)
        np.testing.assert_array_equal(s.gyro[0], [1.5, -2.0, 3.0])
        self.assertTrue(np.isnan(s.gyro[1]).all())
        self.assertEqual(list(s.footfall_ms), [1010.0])

    def test_an_acceleration_only_file_has_no_gyro(self):
        s, _ = data.parse_lines([self.HEADER, "1000,0,0,1,0,sample"])
        self.assertIsNone(s.gyro)


if __name__ == "__main__":
    unittest.main()
