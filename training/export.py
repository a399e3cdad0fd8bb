"""ONNX export (opset 17), metadata JSON, reference input/output pairs and the model card."""
from __future__ import annotations

import os

import numpy as np
import onnx
import torch
from torch import nn

from . import data
from .common import write_json

OPSET = 17  # torch 1.13's maximum; see docs/models.md
FORMAT = "iolaedge-model/1"


class StreamProbs(nn.Module):
    """Deployment wrapper: probabilities instead of logits."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, x, h):
        logits, h_out = self.m(x, h)
        return torch.sigmoid(logits), h_out


class WindowProbs(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, x):
        step, window = self.m(x)
        return torch.sigmoid(step), torch.sigmoid(window)


def export_stream(model, prefix: str, chunk: int, n_features: int = len(data.FEATURES)) -> None:
    w = StreamProbs(model).eval()
    torch.onnx.export(w, (torch.zeros(1, chunk, n_features), model.zero_state(1)), prefix + ".onnx",
                      input_names=["x", "h"], output_names=["probs", "h_out"], opset_version=OPSET,
                      do_constant_folding=True, dynamic_axes={"x": {1: "K"}, "probs": {1: "K"}})
    onnx.checker.check_model(onnx.load(prefix + ".onnx"))


def export_window(model, prefix: str, window: int) -> None:
    w = WindowProbs(model).eval()
    torch.onnx.export(w, (torch.zeros(1, window, len(data.FEATURES)),), prefix + ".onnx",
                      input_names=["x"], output_names=["step_probs", "window_prob"], opset_version=OPSET,
                      do_constant_folding=True)
    onnx.checker.check_model(onnx.load(prefix + ".onnx"))


def reference_samples(s: data.Session, n: int) -> np.ndarray:
    """[n, 4] float32: time in ms relative to the first sample, x, y, z (g)."""
    t = (s.t_ms[:n] - s.t_ms[0]).astype(np.float32)
    return np.concatenate([t[:, None], s.acc[:n]], axis=1).astype(np.float32)


def write_reference(prefix: str, arrays: dict) -> dict:
    """Raw little-endian float32 files next to the model; returns name -> {file, shape}."""
    out = {}
    for name, arr in arrays.items():
        path = f"{prefix}.ref.{name}.f32"
        np.ascontiguousarray(arr, dtype="<f4").tofile(path)
        out[name] = {"file": os.path.basename(path), "shape": list(arr.shape)}
    return out


def base_metadata(kind: str, prefix: str, scaler: data.Scaler) -> dict:
    return {"format": FORMAT, "kind": kind, "onnx_file": os.path.basename(prefix) + ".onnx", "opset": OPSET,
            "feature_order": list(data.FEATURES),
            "feature_units": {"x": "g", "y": "g", "z": "g", "norm": "g", "dt": "s since previous sample"},
            "dt_clip_s": data.DT_CLIP_S,
            "scaler": {"mean": [float(v) for v in scaler.mean], "scale": [float(v) for v in scaler.scale]},
            "sample_rate_hz": 200.0}


def write_card(prefix: str, meta: dict, title: str, notes: str) -> None:
    sc = meta.get("scores", {})
    lines = [f"# {title}", "", notes, "",
             f"- kind: `{meta['kind']}`; ONNX opset {meta['opset']}; file `{meta['onnx_file']}`"]
    if meta["kind"] == "onnx-stream":
        lines.append(f"- chunk {meta['chunk']} samples, lookahead {meta['lookahead_samples']} samples, "
                     f"state {meta['state_shape']}, parameters {meta['parameters']}")
    else:
        lines.append(f"- window {meta['window']}, stride {meta['stride']}, parameters {meta['parameters']}")
    lines += [f"- thresholds: {meta['thresholds']}, refractory {meta['refractory_ms']} ms",
              f"- data: {meta['training']['data']}", "", "## Held-out scores (test block, PyTorch)", "",
              "| tolerance | P | R | F1 | tp/fp/fn |", "|---|---|---|---|---|"]
    for tol, r in sc.get("test", {}).get("by_tolerance_ms", {}).items():
        lines.append(f"| ±{tol} ms | {r['precision']} | {r['recall']} | {r['f1']} | {r['tp']}/{r['fp']}/{r['fn']} |")
    lat = sc.get("test", {}).get("latency", {})
    if lat:
        lines += ["", f"Algorithmic latency: {lat}"]
    lines += ["", "## Reproduce", "", "```", meta["training"]["command"], "```", ""]
    with open(prefix + ".md", "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


def finish(prefix: str, meta: dict) -> None:
    write_json(prefix + ".json", meta)
