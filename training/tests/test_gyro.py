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

    def test_a_lobe_interrupted_by_missing_data_does_not_vote(self):
        # As PitchRate.cs: a push-off lobe, 1.5 s lost, the same sign again, then three strides; the swing wins.
        tr = features.PitchRateTracker()
        t = 0

        def lobe(sign, ms, t):
            for _ in range(0, ms, 5):
                tr.update(t, 0.0, sign * 300.0, 0.0)
                t += 5_000_000
            for _ in range(0, 100, 5):
                tr.update(t, 0.0, 0.0, 0.0)
                t += 5_000_000
            return t

        for _ in range(0, 50, 5):
            tr.update(t, 0.0, -300.0, 0.0)
            t += 5_000_000
        t += 1_500_000_000
        t = lobe(-1, 50, t)
        for _ in range(3):
            t = lobe(+1, 350, t)
            t = lobe(-1, 100, t)
        self.assertTrue(tr.ready)
        self.assertEqual(tr.sign, 1)

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

    def test_some_crops_clip_the_angular_velocity_at_a_finer_range(self):
        t = np.arange(0, 2000.0, 10.0)
        a = np.tile(np.array([0.0, 0.0, 1.0]), (len(t), 1)).astype(np.float32)
        w = np.tile(np.array([5000.0, -5000.0, 100.0]), (len(t), 1)).astype(np.float32)
        ranges = set()
        for seed in range(60):
            _, _, _, _, w2 = augment.sensor_augment(np.random.default_rng(seed), t, a, np.zeros(0), gyro=w, p_gyro_small_range=0.3)
            ranges.add(round(float(np.abs(w2).max())))
        self.assertEqual(ranges, {250, 500, 1000, 2000})
        for seed in range(20):
            _, _, _, _, w2 = augment.sensor_augment(np.random.default_rng(seed), t, a, np.zeros(0), gyro=w)
            self.assertEqual(round(float(np.abs(w2).max())), 2000, f"seed {seed}: by default every crop keeps the full range")

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


class DetectWithSixChannelModelTests(unittest.TestCase):
    """``detect`` runs a six-channel stream model on a walk with angular velocity, and says so when the walk has none."""

    def _model(self, tmp):
        import json
        import os

        import torch

        from training.models import StreamGRU

        torch.manual_seed(0)
        model = StreamGRU(n_features=len(features.FEATURES_GYRO), front=16, hidden=8, layers=1)
        prefix = os.path.join(tmp, "six")
        torch.save(model.state_dict(), prefix + ".pt")
        n = len(features.FEATURES_GYRO)
        meta = {"kind": "onnx-stream", "feature_order": features.FEATURES_GYRO, "front": 16,
                "scaler": {"mean": [0.0] * n, "scale": [1.0] * n}, "state_shape": [1, 1, 8],
                "lookahead_samples": 3, "chunk": 1, "refractory_ms": 350.0, "thresholds": {"sample": 0.0, "window": 0.0}}
        with open(prefix + ".json", "w", encoding="utf-8") as fh:
            json.dump(meta, fh)
        return prefix

    def _walk(self, tmp, with_gyro):
        import os

        t, strikes, _, w = gait(seconds=8.0, rate_hz=100.0)
        path = os.path.join(tmp, "walk-gyro.csv" if with_gyro else "walk-acc.csv")
        header = "timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType"
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(header + (",gyroscopeX,gyroscopeY,gyroscopeZ\n" if with_gyro else "\n"))
            for i, ms in enumerate(t):
                row = f"{1.7e12 + ms:.0f},0,0,1,{i},sample"
                fh.write(row + (f",{w[i, 0]:.3f},{w[i, 1]:.3f},{w[i, 2]:.3f}\n" if with_gyro else "\n"))
            for s in strikes:
                fh.write(f"{1.7e12 + s * 1000:.0f},FOOTFALL,FOOTFALL,FOOTFALL,0,footfall" + (",,,\n" if with_gyro else "\n"))
        return path

    def _run(self, prefix, csv_path, out):
        import argparse
        import contextlib
        import io

        from training import detect

        args = argparse.Namespace(model=prefix, csv=csv_path, out=out, from_ms=None, to_ms=None, threshold=None,
                                  rate_hz=100.0, threads=1)
        with contextlib.redirect_stdout(io.StringIO()):
            return detect.run(args)

    def test_a_six_channel_model_scores_a_walk_with_angular_velocity(self):
        import os
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "det.csv")
            self.assertEqual(self._run(self._model(tmp), self._walk(tmp, True), out), 0)
            with open(out, encoding="utf-8") as fh:
                lines = fh.read().splitlines()
            self.assertEqual(lines[0], "time_ms,decision_ms,latency_ms")
            self.assertGreater(len(lines), 1)  # threshold 0: the gate fires after every refractory time

    def test_a_walk_without_angular_velocity_is_refused_with_one_line(self):
        import os
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            walk = self._walk(tmp, False)
            with self.assertRaises(SystemExit) as e:
                self._run(self._model(tmp), walk, os.path.join(tmp, "det.csv"))
            self.assertIn("needs angular velocity", str(e.exception))
            self.assertIn(walk, str(e.exception))
