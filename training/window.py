"""The seed model (ConvLSTMGlobal) trained as in the seed paper; stride-wise inference; export."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from . import data, events, export
from .common import Progress, describe, load_sources, seed_all, split, command_line
from .models import ConvLSTMGlobal

REFRACTORY_MS = 350.0
TOL_SWEEP = 100  # the seed reported its sweep at a generous tolerance


def make_windows(sessions, scaler, win, stride):
    xs, ys, ws = [], [], []
    for s in sessions:
        f = scaler.transform(data.features(s.t_ms, s.acc))
        y = data.label_vector(len(s), s.labels)
        for a in data.windows(len(s), win, stride):
            xs.append(f[a:a + win])
            ys.append(y[a:a + win])
            ws.append(float(y[a:a + win].max()))
    return np.stack(xs), np.stack(ys), np.asarray(ws, np.float32)


def session_scores(model, scaler, s: data.Session, win, stride, from_ms=-np.inf, to_ms=np.inf):
    """Runs windows every ``stride`` samples over the session, as the daemon does; each run
    scores its newest ``stride`` samples. Returns per-sample (score, window score, decision index).
    Only the runs whose newest samples fall in [from_ms, to_ms) are computed (CPU budget)."""
    f = scaler.transform(data.features(s.t_ms, s.acc))
    n = len(s)
    step = np.zeros(n, np.float32)
    wscore = np.zeros(n, np.float32)
    dec = np.full(n, -1, np.int64)
    starts = data.windows(n, win, stride)
    lo = int(np.searchsorted(s.t_ms, from_ms))
    hi = int(np.searchsorted(s.t_ms, to_ms))
    starts = starts[(starts + win > lo) & (starts + win - stride < hi)]
    with torch.no_grad():
        for k in range(0, len(starts), 16):
            batch = starts[k:k + 16]
            x = torch.from_numpy(np.stack([f[a:a + win] for a in batch]))
            p, w = model(x)
            p, w = torch.sigmoid(p).numpy(), torch.sigmoid(w).numpy()
            for j, a in enumerate(batch):
                lo, hi = a + win - stride, a + win
                step[lo:hi] = p[j, win - stride:]
                wscore[lo:hi] = w[j]
                dec[lo:hi] = hi - 1
    return step, wscore, dec


def evaluate(model, scaler, parts, win, stride, thr, wthr, tolerances=events.TOLERANCES_MS):
    det_all, truth_all, lat = [], [], []
    for part in parts:
        s = part.session
        step, wsc, dec = session_scores(model, scaler, s, win, stride, part.from_ms, part.to_ms)
        valid = dec >= 0
        idx = events.decide(s.t_ms, np.where(valid, step, 0.0), thr, REFRACTORY_MS, wsc, wthr)
        t_det = s.t_ms[idx]
        m = (t_det >= part.from_ms) & (t_det < part.to_ms)
        det_all.append(t_det[m])
        truth_all.append(part.truth())
        lat.append(s.t_ms[dec[idx[m]]] - t_det[m])
    det = np.concatenate(det_all)
    truth = np.concatenate(truth_all)
    ld = np.concatenate(lat)
    res = {"n_truth": int(len(truth)), "n_det": int(len(det)), "by_tolerance_ms": events.score(truth, det, tolerances),
           "latency": {"decision_minus_detected_sample_ms_median": round(float(np.median(ld)), 2) if len(ld) else None,
                       "decision_minus_detected_sample_ms_p90": round(float(np.percentile(ld, 90)), 2) if len(ld) else None}}
    return res, det


def sweep(model, scaler, parts, win, stride):
    """Window threshold by window-level F1, then the sample threshold by event F1 (both 0.01-0.90)."""
    truths, ts, ss, ws = [], [], [], []
    for part in parts:
        s = part.session
        step, wsc, dec = session_scores(model, scaler, s, win, stride, part.from_ms, part.to_ms)
        m = (s.t_ms >= part.from_ms) & (s.t_ms < part.to_ms) & (dec >= 0)
        truths.append(part.truth())
        ts.append(s.t_ms[m])
        ss.append(step[m])
        ws.append(wsc[m])
    best_w = (-1.0, 0.5)
    for wt in events.SWEEP:
        f1, _ = events.sweep(truths, ts, ss, TOL_SWEEP, REFRACTORY_MS, ws, float(wt))
        if f1 > best_w[0] + 1e-9:
            best_w = (f1, float(wt))
        if wt > 0.1 and best_w[0] >= 0:
            break  # window scores are near 1 on walking data; a small window threshold suffices
    f1, thr = events.sweep(truths, ts, ss, TOL_SWEEP, REFRACTORY_MS, ws, best_w[1])
    return f1, thr, best_w[1]


def run(args) -> int:
    seed_all(args.seed, args.threads)
    log = Progress("window")
    real, sim = load_sources(args.csv, args.synth, args.synth_seconds, args.seed)
    if real:
        train, val, test = split(real, args.split)
    else:
        from .common import Part
        n_val = max(1, len(sim) // 4)
        train, val, test = sim[:-n_val], [Part(s, s.t_ms[0], s.t_ms[-1] + 1) for s in sim[-n_val:]], []
        sim = []
    train = train + sim  # the seed trained on all its walks; synthetic ones are simply added
    scaler = data.Scaler.fit([data.features(s.t_ms, s.acc) for s in train])
    x, y, w = make_windows(train, scaler, args.window, args.stride)
    pos = np.flatnonzero(w > 0)
    idx = np.concatenate([np.arange(len(w))] + [pos] * (args.oversample - 1))  # positive windows x10
    n_pos_s, n_neg_s = float(y.sum()), float(y.size - y.sum())
    n_pos_w, n_neg_w = float(w.sum()), float(len(w) - w.sum())
    pw_step = torch.tensor(n_neg_s / max(n_pos_s, 1.0))
    pw_win = torch.tensor(n_neg_w / n_pos_w if n_pos_w and n_neg_w else 1.0)
    log(f"{len(w)} training windows ({int(n_pos_w)} positive, oversampled to {len(idx)}), "
        f"pos_weight step {pw_step.item():.1f} window {pw_win.item():.2f}")
    model = ConvLSTMGlobal()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max", factor=0.5, patience=1)
    rng = np.random.default_rng(args.seed)
    xt, yt, wt = torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(w)
    best = (-1.0, None, 0.5, 0.5)
    for epoch in range(1, args.epochs + 1):
        model.train()
        perm = rng.permutation(idx)[: args.max_windows_per_epoch]
        total = 0.0
        for b in range(0, len(perm), args.batch):
            j = torch.from_numpy(perm[b:b + args.batch])
            ps, pwin = model(xt[j])
            loss = (nn.functional.binary_cross_entropy_with_logits(ps, yt[j], pos_weight=pw_step)
                    + nn.functional.binary_cross_entropy_with_logits(pwin, wt[j], pos_weight=pw_win))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += loss.item() * len(j)
        model.eval()
        f1, thr, wthr = sweep(model, scaler, val, args.window, args.stride) if val else (0.0, 0.5, 0.5)
        sched.step(f1)
        log(f"epoch {epoch}/{args.epochs} loss {total / len(perm):.4f} val F1@{TOL_SWEEP} {f1:.3f} "
            f"(sample thr {thr:.2f}, window thr {wthr:.2f})")
        if f1 > best[0]:
            best = (f1, {k: v.clone() for k, v in model.state_dict().items()}, thr, wthr)
    f1, state, thr, wthr = best
    model.load_state_dict(state)
    model.eval()
    scores = {f"validation_f1_at_{TOL_SWEEP}ms": round(f1, 4)}
    if test:
        res, _ = evaluate(model, scaler, test, args.window, args.stride, thr, wthr)
        scores["test"] = res
        log("test " + " ".join(f"F1@{k}={v['f1']:.3f}" for k, v in res["by_tolerance_ms"].items())
            + f" latency {res['latency']}")
    prefix = args.out
    export.export_window(model, prefix, args.window)
    ref_src = test[0].session if test else val[0].session
    n_ref = min(len(ref_src), args.window + 2 * args.stride)
    sub = ref_src.slice(0, n_ref)
    sub.t_ms = sub.t_ms - sub.t_ms[0]
    f = scaler.transform(data.features(sub.t_ms, sub.acc))
    starts = data.windows(n_ref, args.window, args.stride)
    with torch.no_grad():
        p, wp = model(torch.from_numpy(np.stack([f[a:a + args.window] for a in starts])))
    meta = export.base_metadata("onnx-window", prefix, scaler)
    meta.update({"window": args.window, "stride": args.stride, "inputs": ["x"], "outputs": ["step_probs", "window_prob"],
                 "refractory_ms": REFRACTORY_MS, "gap_reset_ms": 500.0,
                 "thresholds": {"sample": thr, "window": wthr},
                 "parameters": int(sum(p_.numel() for p_ in model.parameters())),
                 "decision": "each run scores its newest `stride` samples; first sample with step >= thresholds.sample "
                             "and window >= thresholds.window after refractory_ms (the shared gate)",
                 "training": {"data": describe(real, sim, args.split, args.csv), "seed": args.seed,
                              "epochs": args.epochs, "max_windows_per_epoch": args.max_windows_per_epoch,
                              "recipe": "seed: BCE pos_weight=neg/pos on both heads, positive windows x10, AdamW 1e-3/1e-2, "
                                        "clip 5, ReduceLROnPlateau, threshold sweep 0.01-0.90 on validation",
                              "command": command_line()},
                 "scores": scores,
                 "reference": export.write_reference(prefix, {
                     "samples": export.reference_samples(sub, n_ref),
                     "step_probs": torch.sigmoid(p).numpy(), "window_prob": torch.sigmoid(wp).numpy()})})
    export.finish(prefix, meta)
    torch.save(model.state_dict(), prefix + ".pt")  # for `detect`; not shipped (models/.gitignore)
    export.write_card(prefix, meta, "onnx-window: the seed's Conv-BiLSTM (comparison)",
                      "ConvLSTMGlobal as in the Iola Walker paper: 600-sample windows every 150 samples, dual heads.")
    log(f"wrote {prefix}.onnx/.json/.md and reference files")
    return 0


def add_args(p) -> None:
    p.add_argument("--csv", action="append", default=[])
    p.add_argument("--synth", type=int, default=0)
    p.add_argument("--synth-seconds", type=float, default=60.0)
    p.add_argument("--split", default="time:0.6,0.15,0.25")
    p.add_argument("--out", required=True)
    p.add_argument("--window", type=int, default=600)
    p.add_argument("--stride", type=int, default=150)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--max-windows-per-epoch", type=int, default=320, help="CPU budget per epoch")
    p.add_argument("--oversample", type=int, default=10)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
