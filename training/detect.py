"""``detect``: run a trained model (PyTorch weights ``PREFIX.pt`` + metadata ``PREFIX.json``) over a session
CSV with the daemon's decision rule and write detections as ``time_ms`` for tools/score.py.

ONNX Runtime is not in Debian, so this uses the PyTorch twin of the exported graph; the C# parity
tests hold the two within 1e-4.
"""
from __future__ import annotations

import json

import numpy as np
import torch

from . import clock, data, events, stream, window
from .models import ConvLSTMGlobal, StreamGRU


def load(prefix: str):
    with open(prefix + ".json", encoding="utf-8") as fh:
        meta = json.load(fh)
    scaler = data.Scaler(np.asarray(meta["scaler"]["mean"], np.float32), np.asarray(meta["scaler"]["scale"], np.float32))
    if meta["kind"] == "onnx-stream":
        layers, _, hidden = meta["state_shape"]
        model = StreamGRU(n_features=len(meta["feature_order"]), front=meta.get("front", 32), hidden=hidden, layers=layers)
    else:
        model = ConvLSTMGlobal()
    model.load_state_dict(torch.load(prefix + ".pt"))
    model.eval()
    return meta, scaler, model


def run(args) -> int:
    torch.set_num_threads(args.threads)
    meta, scaler, model = load(args.model)
    s = data.load_session(args.csv)
    s = data.Session(s.name, clock.sensor_times_ms(s.t_ms, args.rate_hz), s.acc, s.footfall_ms, s.labels, s.gyro)  # eval's clock
    thr = args.threshold if args.threshold is not None else meta["thresholds"]["sample"]
    if meta["kind"] == "onnx-stream":
        la, chunk = meta["lookahead_samples"], meta["chunk"]
        six = meta["feature_order"] == stream.features.FEATURES_GYRO
        if meta["feature_order"] != stream.features.FEATURES and not six:
            raise SystemExit(f"{args.model}: detect runs mounting-invariant stream models only")
        if six and s.gyro is None:
            raise SystemExit(f"{args.model}: a six-channel model needs angular velocity; {args.csv} has no "
                             "gyroscopeX,gyroscopeY,gyroscopeZ columns")
        p = stream.walk_probs(model, scaler, s.t_ms, s.acc, s.gyro if six else None)[la:]
        idx = events.decide(s.t_ms[:len(p)], p, thr, meta["refractory_ms"])
        dec = np.minimum(((idx + la) // chunk + 1) * chunk - 1, len(s) - 1)
    else:
        step, wsc, d = window.session_scores(model, scaler, s, meta["window"], meta["stride"],
                                             args.from_ms if args.from_ms is not None else -np.inf,
                                             args.to_ms if args.to_ms is not None else np.inf)
        idx = events.decide(s.t_ms, np.where(d >= 0, step, 0.0), thr, meta["refractory_ms"], wsc,
                            meta["thresholds"]["window"])
        dec = d[idx]
    t_det, t_dec = s.t_ms[idx], s.t_ms[dec]
    lo = args.from_ms if args.from_ms is not None else -np.inf
    m = (t_det >= lo) & (t_det < (args.to_ms if args.to_ms is not None else np.inf))
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write("time_ms,decision_ms,latency_ms\n")
        for a, b in zip(t_det[m], t_dec[m]):
            fh.write(f"{a:.0f},{b:.0f},{b - a:.0f}\n")
    truth = s.footfall_ms[(s.footfall_ms >= lo) & (s.footfall_ms < (args.to_ms or np.inf))]
    res = events.score(truth, t_det[m])
    lat = t_dec[m] - t_det[m]
    print(json.dumps({"model": args.model, "threshold": thr, "n_truth": len(truth), "n_det": int(m.sum()),
                      "f1": {k: v["f1"] for k, v in res.items()},
                      "decision_minus_detected_ms_median": float(np.median(lat)) if len(lat) else None}, indent=1))
    return 0


def add_args(p) -> None:
    p.add_argument("--model", required=True, help="prefix, e.g. models/onnx-stream (needs .json and .pt)")
    p.add_argument("--csv", required=True)
    p.add_argument("--out", required=True, help="detections CSV (time_ms, decision_ms, latency_ms)")
    p.add_argument("--from-ms", type=float, default=None)
    p.add_argument("--to-ms", type=float, default=None)
    p.add_argument("--threshold", type=float, default=None, help="override the metadata's sample threshold")
    p.add_argument("--rate-hz", type=float, default=200.0, help="nominal sensor rate (eval's --rate-hz)")
    p.add_argument("--threads", type=int, default=2)
