"""The streaming model: training with soft, shifted targets and augmentation; chunked inference; export."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from . import augment, data, events, export
from .common import Progress, describe, load_sources, seed_all, split, command_line
from .models import StreamGRU

SIGMA = 1.5  # soft-label width in samples
WARMUP = 24  # first outputs of a crop are not scored: the state starts at zero
GAP_RESET_MS = 500.0  # the daemon resets the state on a gap this long (reconnect)
REFRACTORY_MS = 350.0


def soft_targets(n: int, ev: np.ndarray, lookahead: int) -> np.ndarray:
    """Target of output k: a Gaussian bump around footfall sample e, placed at output e + lookahead."""
    y = np.zeros(n, np.float32)
    k = np.arange(n)
    for e in ev:
        y = np.maximum(y, np.exp(-0.5 * ((k - (e + lookahead)) / SIGMA) ** 2).astype(np.float32))
    return y


def make_batch(rng, sessions, scaler, batch, length, lookahead, aug=True):
    xs, ys = [], []
    lens = np.array([len(s) for s in sessions], np.float64)
    for _ in range(batch):
        s = sessions[rng.choice(len(sessions), p=lens / lens.sum())]
        raw = int(length * 1.3) + 8
        a = rng.integers(0, max(1, len(s) - raw))
        t, acc = s.t_ms[a:a + raw], s.acc[a:a + raw]
        ev = s.labels[(s.labels >= a) & (s.labels < a + raw)] - a
        if aug:
            t, acc, ev = augment.augment(rng, t, acc, ev)
        f = scaler.transform(data.features(t, acc))[:length]
        y = soft_targets(len(f), ev[ev < length], lookahead)
        if len(f) < length:  # pad short crops; padded outputs are masked by a zero target and weight
            pad = length - len(f)
            f = np.pad(f, ((0, pad), (0, 0)))
            y = np.pad(y, (0, pad), constant_values=-1.0)
        xs.append(f)
        ys.append(y)
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys))


def session_probs(model, scaler, t_ms, acc) -> np.ndarray:
    """probs[i] = model output after input sample i (it scores sample i - lookahead).
    The state is reset at gaps >= GAP_RESET_MS, as the daemon does."""
    f = scaler.transform(data.features(t_ms, acc))
    cuts = [0] + list(np.flatnonzero(np.diff(t_ms) >= GAP_RESET_MS) + 1) + [len(t_ms)]
    out = []
    with torch.no_grad():
        for a, b in zip(cuts[:-1], cuts[1:]):
            seg = f[a:b].copy()
            seg[0, 4] = (np.float32(data.NOMINAL_PERIOD_S) - scaler.mean[4]) / scaler.scale[4]  # first dt after a reset
            p, _ = model(torch.from_numpy(seg)[None], model.zero_state(1))
            out.append(torch.sigmoid(p)[0].numpy())
    return np.concatenate(out)


def evaluate(model, scaler, parts, lookahead, chunk, thr, tolerances=events.TOLERANCES_MS):
    """Scores the gate-like decision on each part; returns summary with latency figures."""
    tp_all = {}
    det_all, truth_all, lat_dec, lat_truth = [], [], [], []
    for part in parts:
        s = part.session
        p = session_probs(model, scaler, s.t_ms, s.acc)
        sample_score = p[lookahead:]  # score of sample j
        idx = events.decide(s.t_ms[:len(sample_score)], sample_score, thr, REFRACTORY_MS)
        dec = np.minimum(((idx + lookahead) // chunk + 1) * chunk - 1, len(s) - 1)  # chunk completion
        t_det = s.t_ms[idx]
        m = (t_det >= part.from_ms) & (t_det < part.to_ms)
        det_all.append(t_det[m])
        truth_all.append(part.truth())
        lat_dec.append(s.t_ms[dec[m]] - t_det[m])
        _, err = events.match_count(part.truth(), t_det[m], 50)
        lat_truth.append(err)
    det = np.concatenate(det_all) if det_all else np.zeros(0)
    truth = np.concatenate(truth_all) if truth_all else np.zeros(0)
    res = {"n_truth": int(len(truth)), "n_det": int(len(det)), "by_tolerance_ms": events.score(truth, det, tolerances)}
    ld = np.concatenate(lat_dec) if lat_dec else np.zeros(0)
    res["latency"] = {"decision_minus_detected_sample_ms_median": round(float(np.median(ld)), 2) if len(ld) else None,
                      "decision_minus_detected_sample_ms_p90": round(float(np.percentile(ld, 90)), 2) if len(ld) else None,
                      "detected_minus_truth_ms_median_at_50ms": round(float(np.median(np.concatenate(lat_truth))), 2)
                      if sum(len(e) for e in lat_truth) else None}
    return res, det


def sweep_threshold(model, scaler, parts, lookahead, tol=50):
    truths, ts, ss = [], [], []
    for part in parts:
        s = part.session
        p = session_probs(model, scaler, s.t_ms, s.acc)[lookahead:]
        m = (s.t_ms[:len(p)] >= part.from_ms) & (s.t_ms[:len(p)] < part.to_ms)
        truths.append(part.truth())
        ts.append(s.t_ms[:len(p)][m])
        ss.append(p[m])
    return events.sweep(truths, ts, ss, tol, REFRACTORY_MS)


def train_loop(log, model, opt, rng, sessions, scaler, steps, args, val_parts, tag):
    pos_weight = torch.tensor(float(args.pos_weight))
    best = (-1.0, None, 0.5)
    for step in range(1, steps + 1):
        model.train()
        x, y = make_batch(rng, sessions, scaler, args.batch, args.length, args.lookahead)
        logits, _ = model(x, model.zero_state(x.shape[0]))
        mask = (y >= 0).float()
        mask[:, :WARMUP] = 0.0
        loss = nn.functional.binary_cross_entropy_with_logits(logits, y.clamp(min=0), pos_weight=pos_weight,
                                                              reduction="none")
        loss = (loss * mask).sum() / mask.sum()
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        if step % args.eval_every == 0 or step == steps:
            model.eval()
            if val_parts:
                f1, thr = sweep_threshold(model, scaler, val_parts, args.lookahead)
            else:
                f1, thr = 0.0, 0.5
            log(f"{tag} step {step}/{steps} loss {loss.item():.4f} val F1@50 {f1:.3f} (thr {thr:.2f})")
            if f1 > best[0]:
                best = (f1, {k: v.clone() for k, v in model.state_dict().items()}, thr)
    return best


def run(args) -> int:
    seed_all(args.seed, args.threads)
    log = Progress("stream")
    real, sim = load_sources(args.csv, args.synth, args.synth_seconds, args.seed)
    # Walks from the project's simulator (`iolaedge simulate`): pretraining only, never scored.
    sim = sim + [data.with_sample_clock(data.load_session(p)) for p in args.pretrain_csv]
    if not real and not sim:
        raise SystemExit("no data: give --csv and/or --synth N")
    if real:
        train, val, test = split(real, args.split)
    else:  # synthetic only (CI smoke): split the walks by session
        n_val = max(1, len(sim) // 4)
        from .common import Part
        train, val, test = sim[:-n_val], [Part(s, s.t_ms[0], s.t_ms[-1] + 1) for s in sim[-n_val:]], []
        sim = []
    scaler = data.Scaler.fit([data.features(s.t_ms, s.acc) for s in train])
    log(f"train sessions {len(train)} ({sum(len(s) for s in train)} samples, "
        f"{sum(len(s.labels) for s in train)} footfalls), synthetic {len(sim)}, val parts {len(val)}, test parts {len(test)}")
    rng = np.random.default_rng(args.seed)
    model = StreamGRU(hidden=args.hidden, layers=args.layers)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-2)
    if sim and args.pretrain_steps:
        train_loop(log, model, opt, rng, sim, scaler, args.pretrain_steps, args, [], "pretrain(synthetic)")
    f1, state, thr = train_loop(log, model, opt, rng, train, scaler, args.steps, args, val, "train")
    if state is not None:
        model.load_state_dict(state)
    model.eval()
    log(f"best val F1@50 {f1:.3f} at threshold {thr:.2f}")
    scores = {"validation_f1_at_50ms": round(f1, 4)}
    if test:
        res, _ = evaluate(model, scaler, test, args.lookahead, args.chunk, thr)
        scores["test"] = res
        log("test " + " ".join(f"F1@{k}={v['f1']:.3f}" for k, v in res["by_tolerance_ms"].items())
            + f" latency {res['latency']}")
    # export + reference
    prefix = args.out
    export.export_stream(model, prefix, args.chunk)
    ref_src = (test[0].session if test else val[0].session)
    n_ref = min(len(ref_src), 40 * args.chunk)
    samples = export.reference_samples(ref_src, n_ref)
    probs = session_probs(model, scaler, ref_src.t_ms[:n_ref] - ref_src.t_ms[0], ref_src.acc[:n_ref])
    meta = export.base_metadata("onnx-stream", prefix, scaler)
    meta.update({"chunk": args.chunk, "lookahead_samples": args.lookahead,
                 "state_shape": [args.layers, 1, args.hidden], "inputs": ["x", "h"], "outputs": ["probs", "h_out"],
                 "gap_reset_ms": GAP_RESET_MS, "refractory_ms": REFRACTORY_MS,
                 "thresholds": {"sample": thr, "window": 0.0},
                 "parameters": int(sum(p.numel() for p in model.parameters())),
                 "decision": "first sample with score >= thresholds.sample after refractory_ms (the shared gate)",
                 "training": {"data": {**describe(real, sim, args.split, args.csv),
                                       "simulator_walks": [p.split("/")[-1] for p in args.pretrain_csv]},
                              "seed": args.seed,
                              "steps": args.steps, "pretrain_steps": args.pretrain_steps if sim else 0,
                              "augmentation": "rotation<=45deg, gain 0.85-1.15, noise<=0.03g, lost packets<=15%, "
                                              "cadence stretch 0.85-1.15, de-jittered clock 50%",
                              "command": command_line()},
                 "scores": scores,
                 "reference": export.write_reference(prefix, {"samples": samples, "probs": probs})})
    export.finish(prefix, meta)
    torch.save(model.state_dict(), prefix + ".pt")  # for `detect`; not shipped (models/.gitignore)
    export.write_card(prefix, meta, "onnx-stream: causal GRU footfall detector (production)",
                      "Runs per BLE packet (chunk of samples) with its GRU state carried by the caller; output k "
                      "scores the sample `lookahead` samples earlier. Trained with soft (Gaussian) targets.")
    log(f"wrote {prefix}.onnx/.json/.md and reference files")
    return 0


def add_args(p) -> None:
    p.add_argument("--csv", action="append", default=[], help="seed-format session CSV (repeatable)")
    p.add_argument("--synth", type=int, default=0, help="number of synthetic walks (pretraining, or the only data)")
    p.add_argument("--synth-seconds", type=float, default=60.0)
    p.add_argument("--pretrain-csv", action="append", default=[],
                   help="simulator walk CSV (`iolaedge simulate`) added to the pretraining set (repeatable)")
    p.add_argument("--split", default="time:0.6,0.15,0.25", help="time:TRAIN,VAL,TEST or session:TRAIN,VAL,TEST")
    p.add_argument("--out", required=True, help="output prefix, e.g. models/onnx-stream")
    p.add_argument("--steps", type=int, default=600)
    p.add_argument("--pretrain-steps", type=int, default=200)
    p.add_argument("--eval-every", type=int, default=100)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--length", type=int, default=320, help="crop length in samples")
    p.add_argument("--hidden", type=int, default=48)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--lookahead", type=int, default=3, help="samples the model waits after the footfall")
    p.add_argument("--chunk", type=int, default=3, help="samples per call (one packed MetaWear packet)")
    p.add_argument("--pos-weight", type=float, default=10.0)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
