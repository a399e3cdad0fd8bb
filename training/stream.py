"""The streaming model: mounting-invariant features, sensor augmentation, soft shifted targets,
subject-wise validation; chunked inference; export.

Sources (training/sources.py): the Iola walk (``--iola``: time blocks train / validation / held-out test),
the ipol1 corpus (``--ipol-index``: ``--test-subject`` is left out entirely, trial ``--val-trial`` of
every other subject validates, the rest trains), simulator walks (``--sim-csv``), plus the legacy
``--csv`` (time-block split) and ``--synth N`` (training/synth.py) for smoke runs.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from . import augment, clock, data, events, export, features, sources, synth
from .common import Progress, command_line, seed_all
from .models import StreamGRU

SIGMA = 1.5  # soft-label width in samples, after the target sample
SIGMA_BEFORE = 0.6  # ... and before it: a sharp rising edge, so the gate's first crossing lands on the footfall
WARMUP = 24  # first outputs of a crop are not scored: the state starts at zero
GAP_RESET_MS = 500.0  # the daemon resets the state on a gap this long (reconnect)
REFRACTORY_MS = 350.0
NOMINAL_RATE_HZ = 100.0  # metadata sample_rate_hz: the dt of the first sample after a reset
SOURCE_WEIGHTS = {"ipol1": 0.55, "iola": 0.15, "sim": 0.2, "csv": 0.25, "synth": 0.1}


def soft_targets(n: int, ev: np.ndarray, lookahead: int) -> np.ndarray:
    """Target of output k: a bump peaking at output e + lookahead for footfall sample e, Gaussian with
    width SIGMA_BEFORE before the peak and SIGMA after it (the gate fires on the first crossing)."""
    y = np.zeros(n, np.float32)
    k = np.arange(n)
    for e in ev:
        d = k - (e + lookahead)
        y = np.maximum(y, np.exp(-0.5 * (d / np.where(d < 0, SIGMA_BEFORE, SIGMA)) ** 2).astype(np.float32))
    return y


def walk_features(t_ms: np.ndarray, acc: np.ndarray, gyro: np.ndarray | None = None) -> np.ndarray:
    """Features as the C# encoder computes them, restarted after every gap >= GAP_RESET_MS; the gyro
    features follow when ``gyro`` is given (the six-channel model)."""
    cuts = [0] + list(np.flatnonzero(np.diff(t_ms) >= GAP_RESET_MS) + 1) + [len(t_ms)]
    return np.concatenate([features.all_features(t_ms[a:b], acc[a:b], None if gyro is None else gyro[a:b],
                                                 NOMINAL_RATE_HZ)
                           for a, b in zip(cuts[:-1], cuts[1:])])


GYRO_WARM_MS = (0.0, 2000.0)  # six-channel crops: features run this long before the crop (70 % of crops)


def crop(rng, w: sources.Walk, length: int, use_gyro: bool = False):
    """One augmented crop of ``length`` samples: (features [length, F], targets [length]) before scaling.

    Six-channel crops usually start their features a few seconds earlier, as a running daemon's pitch
    tracker has settled by the time a footfall matters; the rest start cold, as after a reconnect."""
    s = w.session
    rate = None
    warm_ms = rng.uniform(*GYRO_WARM_MS) if use_gyro and rng.random() < 0.7 else 0.0
    span_ms = (length + 16) * 1000.0 / 100.0 * 1.15 + warm_ms  # enough source time for the lowest rate
    lo, hi = s.t_ms[0], max(s.t_ms[0], s.t_ms[-1] - span_ms)
    t0 = rng.uniform(lo, hi) if hi > lo else lo
    i, j = np.searchsorted(s.t_ms, [t0, t0 + span_ms])
    if j - i < 8:
        i, j = 0, len(s)
    t, acc = s.t_ms[i:j], s.acc[i:j]
    ev = s.footfall_ms[(s.footfall_ms >= t[0]) & (s.footfall_ms <= t[-1])]
    if not use_gyro:
        t_out, a, labels, _ = augment.sensor_augment(rng, t, acc, ev, rate)
        f = walk_features(t_out, a)[:length]
        return f, labels[labels < length]
    t_out, a, labels, _, g = augment.sensor_augment(rng, t, acc, ev, rate, gyro=s.gyro[i:j])
    k0 = int(np.searchsorted(t_out, t_out[0] + warm_ms)) if warm_ms else 0
    k0 = min(k0, max(len(t_out) - 8, 0))
    f = walk_features(t_out, a, g)[k0:k0 + length]
    labels = labels[(labels >= k0) & (labels < k0 + length)] - k0
    return f, labels


def make_batch(rng, walks, scaler, batch, length, lookahead, use_gyro=False):
    by_src: dict[str, list] = {}
    for w in walks:
        by_src.setdefault(w.source, []).append(w)
    names = sorted(by_src)
    p = np.array([SOURCE_WEIGHTS.get(n, 0.2) for n in names])
    xs, ys = [], []
    for _ in range(batch):
        group = by_src[names[rng.choice(len(names), p=p / p.sum())]]
        lens = np.array([len(w.session) for w in group], np.float64)
        w = group[rng.choice(len(group), p=lens / lens.sum())]
        f, ev = crop(rng, w, length, use_gyro)
        f = scaler.transform(f)
        y = soft_targets(len(f), ev, lookahead)
        if len(f) < length:  # pad short crops; padded outputs are masked
            pad = length - len(f)
            f = np.pad(f, ((0, pad), (0, 0)))
            y = np.pad(y, (0, pad), constant_values=-1.0)
        xs.append(f)
        ys.append(y)
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys))


def fit_scaler(rng, walks, n: int = 256, length: int = 400, use_gyro: bool = False) -> data.Scaler:
    """Standard scaler over augmented crops of the training walks (covers rates, clipping, filters)."""
    fs = [crop(rng, walks[rng.integers(len(walks))], length, use_gyro)[0] for _ in range(n)]
    return data.Scaler.fit(fs)


def eval_times(w: sources.Walk, clocked: bool = False) -> np.ndarray:
    """Sample times the model is scored on: the file's own for a sensor-time source (what a clock that
    keeps true sample times gives), or with ``clocked`` as `iolaedge eval --rate-hz <rate>` stamps them
    (training/clock.py; its regular mode keeps true sample times, so the two agree on ipol1)."""
    return clock.sensor_times_ms(w.session.t_ms, w.rate_hz) if (clocked and w.true_times) else w.session.t_ms


def walk_probs(model, scaler, t_ms, acc, gyro=None) -> np.ndarray:
    """probs[i] = model output after input sample i (it scores sample i - lookahead); state reset at gaps.
    A six-channel model (more inputs than the five acceleration features) needs ``gyro``."""
    f = scaler.transform(walk_features(t_ms, acc, gyro if model_uses_gyro(model) else None))
    cuts = [0] + list(np.flatnonzero(np.diff(t_ms) >= GAP_RESET_MS) + 1) + [len(t_ms)]
    out = []
    with torch.no_grad():
        for a, b in zip(cuts[:-1], cuts[1:]):
            p, _ = model(torch.from_numpy(f[a:b])[None], model.zero_state(1))
            out.append(torch.sigmoid(p)[0].numpy())
    return np.concatenate(out)


def scored(model, scaler, walks, lookahead):
    """Per walk: (truth, sample times of the scored samples, their scores) inside the walk's scored range."""
    out = []
    for w in walks:
        t = eval_times(w)
        p = walk_probs(model, scaler, t, w.session.acc, w.session.gyro)[lookahead:]
        tt = t[:len(p)]
        out.append((w, w.truth(), tt, p))
    return out


def score_parts(parts, thr, tolerances=events.TOLERANCES_MS):
    det_all, truth_all, lat = [], [], []
    for w, truth, t, p in parts:
        idx = events.decide(t, p, thr, REFRACTORY_MS)
        d = t[idx]
        m = (d >= w.from_ms) & (d < w.to_ms)
        det_all.append(d[m])
        truth_all.append(truth)
        _, err = events.match_count(truth, d[m], 50)
        lat.append(err)
    det = np.concatenate(det_all) if det_all else np.zeros(0)
    tru = np.concatenate(truth_all) if truth_all else np.zeros(0)
    res = {"n_truth": int(len(tru)), "n_det": int(len(det)), "by_tolerance_ms": {}}
    for tol in tolerances:  # pooled over walks (matching per walk)
        tp = sum(events.match_count(tr, d, tol)[0] for tr, d in zip(truth_all, det_all))
        fp, fn = len(det) - tp, len(tru) - tp
        res["by_tolerance_ms"][str(tol)] = {"tp": tp, "fp": fp, "fn": fn,
                                            "f1": round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0}
    e = np.concatenate(lat) if lat else np.zeros(0)
    res["median_signed_err_ms_at_50"] = round(float(np.median(e)), 1) if len(e) else None
    return res


def by_source(parts):
    g: dict[str, list] = {}
    for x in parts:
        g.setdefault(x[0].source, []).append(x)
    return g


def validate(model, scaler, walks, lookahead, tols=(25, 50)):
    """The threshold that maximises the mean over sources of the mean pooled F1 at ``tols``, and that mean.
    Scoring ±25 ms as well as ±50 ms favours a threshold that places footfalls on time (the score ramps
    up over a few samples; the gate fires on the first crossing)."""
    groups = by_source(scored(model, scaler, walks, lookahead))
    best = (-1.0, 0.5, {})
    for thr in np.round(np.arange(0.05, 0.951, 0.05), 2):
        f = {}
        for k, v in groups.items():
            r = score_parts(v, thr, list(tols))["by_tolerance_ms"]
            f[k] = round(float(np.mean([r[str(t)]["f1"] for t in tols])), 4)
        m = float(np.mean(list(f.values())))
        if m > best[0]:
            best = (m, float(thr), f)
    return best


def train_loop(log, model, opt, sched, rng, walks, scaler, steps, args, val_walks, tag):
    pos_weight = torch.tensor(float(args.pos_weight))
    best = (-1.0, None, 0.5, {}, 0)
    for step in range(1, steps + 1):
        model.train()
        x, y = make_batch(rng, walks, scaler, args.batch, args.length, args.lookahead, args.gyro)
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
        if sched is not None:
            sched.step()
        if step % args.eval_every == 0 or step == steps:
            model.eval()
            f1, thr, per = validate(model, scaler, val_walks, args.lookahead, args.select_tols) if val_walks else (0.0, 0.5, {})
            log(f"{tag} step {step}/{steps} loss {loss.item():.4f} val F1@{args.select_tols} {f1:.3f} {per} (thr {thr:.2f})")
            if f1 > best[0]:
                best = (f1, {k: v.clone() for k, v in model.state_dict().items()}, thr, per, step)
    return best


def gather(args, log):
    """(train walks, validation walks, test walks) from the command line's sources."""
    train, val, test = [], [], []
    if args.iola:
        w = sources.load_iola(args.iola, args.iola_offset_ms)
        a, b = args.iola_split
        train.append(sources.time_block(w, 0.0, a))
        val.append(sources.scored_part(w, a, a + b))
        test.append(sources.scored_part(w, a + b, 1.0))
    if args.ipol_index:
        for w in sources.load_ipol(args.ipol_index):
            trial = w.session.name.split("/")[-1].split("-")[1]
            if args.test_subject and w.subject == args.test_subject:
                test.append(w)
            elif trial == args.val_trial:
                val.append(w)
            else:
                end = float(np.searchsorted(w.session.t_ms, w.to_ms + 300.0))
                train.append(sources.Walk(w.session.slice(0, int(end)), w.source, w.subject, w.rate_hz,
                                          w.from_ms, w.to_ms, w.true_times))
    for p in args.sim_csv:
        train.append(sources.load_sim(p))
    for p in args.csv:
        w = sources.load_sim(p)
        w = sources.Walk(w.session, "csv", p, 200.0, w.from_ms, w.to_ms, w.true_times)
        train.append(sources.time_block(w, 0.0, 0.6))
        val.append(sources.scored_part(w, 0.6, 0.75))
        test.append(sources.scored_part(w, 0.75, 1.0))
    if args.synth:
        sim = []
        for k in range(args.synth):
            s = data.with_sample_clock(synth.synth_walk(args.seed * 1000 + k, seconds=args.synth_seconds))
            sim.append(sources.Walk(s, "synth", s.name, 200.0, s.t_ms[0], s.t_ms[-1] + 1, False))
        n_val = max(1, len(sim) // 4) if not val else 0
        train += sim[:len(sim) - n_val]
        val += sim[len(sim) - n_val:]
    log(f"train walks {len(train)} ({sum(len(w.session) for w in train)} samples, "
        f"{sum(len(w.session.labels) for w in train)} footfalls), val {len(val)}, test {len(test)}")
    return train, val, test


def run(args) -> int:
    seed_all(args.seed, args.threads)
    log = Progress("stream")
    train, val, test = gather(args, log)
    if not train:
        raise SystemExit("no data: give --iola/--ipol-index/--sim-csv/--csv and/or --synth N")
    if args.gyro:
        lacking = [w.session.name for w in train + val + test if w.session.gyro is None]
        if lacking:
            raise SystemExit(f"--gyro: these walks have no gyroscopeX/Y/Z columns: {lacking[:3]}")
    rng = np.random.default_rng(args.seed)
    scaler = fit_scaler(rng, train, use_gyro=args.gyro)
    model = StreamGRU(n_features=len(feature_order(args.gyro)), front=args.front, hidden=args.hidden,
                      layers=args.layers)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-2)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps, pct_start=0.15)
    f1, state, thr, per, step = train_loop(log, model, opt, sched, rng, train, scaler, args.steps, args, val, "train")
    if state is not None:
        model.load_state_dict(state)
    model.eval()
    log(f"best val F1@{args.select_tols} {f1:.3f} {per} at step {step}, threshold {thr:.2f}")
    scores = {"validation_tolerances_ms": list(args.select_tols), "validation_mean_f1": round(f1, 4),
              "validation_f1_by_source": per, "best_step": step}
    parts = scored(model, scaler, test, args.lookahead)
    for src, group in by_source(parts).items():
        res = score_parts(group, thr)
        scores[f"test_{src}"] = res
        log(f"test {src} " + " ".join(f"F1@{k}={v['f1']:.3f}" for k, v in res["by_tolerance_ms"].items()))
    export_all(args, model, scaler, thr, scores, train, val, test)
    return 0


def export_all(args, model, scaler, thr, scores, train, val, test) -> None:
    prefix = args.out
    order = feature_order(args.gyro)
    export.export_stream(model, prefix, args.chunk, len(order))
    samples, probs = reference(model, scaler, args.chunk)
    meta = export.base_metadata("onnx-stream", prefix, scaler)
    units = {"magnitude": "g", "vertical": "g", "horizontal": "g", "jerk": "g per 10 ms",
             "dt": "s since previous sample", "gyro_magnitude": "°/s", "pitch_rate": "°/s, swing positive",
             "pitch_ready": "1 when the pitch tracker's axis and sign are settled, else 0"}
    feats = {"gravity_tau_s": features.GRAVITY_TAU_S, "jerk_min_dt_s": features.JERK_MIN_DT_S}
    if args.gyro:
        feats.update({"pitch_axis_tau_ms": features.PITCH_AXIS_TAU_MS, "pitch_min_lobes": features.PITCH_MIN_LOBES,
                      "pitch_sign_margin": features.PITCH_SIGN_MARGIN})
    meta.update({"feature_order": order,
                 "feature_units": {k: units[k] for k in order},
                 "features": feats,
                 "dt_clip_s": features.DT_CLIP_S, "sample_rate_hz": NOMINAL_RATE_HZ,
                 "chunk": args.chunk, "lookahead_samples": args.lookahead,
                 "state_shape": [args.layers, 1, args.hidden], "front": args.front,
                 "inputs": ["x", "h"], "outputs": ["probs", "h_out"],
                 "gap_reset_ms": GAP_RESET_MS, "refractory_ms": REFRACTORY_MS,
                 "thresholds": {"sample": thr, "window": 0.0},
                 "parameters": int(sum(p.numel() for p in model.parameters())),
                 "decision": "first sample with score >= thresholds.sample after refractory_ms (the shared gate)",
                 "training": {"data": {"train_walks": len(train), "validation_walks": len(val), "test_walks": len(test),
                                       "iola": bool(args.iola), "iola_offset_ms": args.iola_offset_ms,
                                       "iola_split": args.iola_split, "ipol_test_subject": args.test_subject,
                                       "ipol_val_trial": args.val_trial,
                                       "simulator_walks": [p.split("/")[-1] for p in args.sim_csv],
                                       "synthetic_walks": args.synth, "gyro": bool(args.gyro)},
                              "seed": args.seed, "steps": args.steps,
                              "augmentation": augment.sensor_augment.__doc__.split("\n\n")[1].strip().replace("\n", " "),
                              "command": command_line()},
                 "scores": scores,
                 "reference": export.write_reference(prefix, {"samples": samples, "probs": probs})})
    export.finish(prefix, meta)
    torch.save(model.state_dict(), prefix + ".pt")  # for `detect`; not shipped (models/.gitignore)


REFERENCE_SEED = 4242  # the parity reference is a synthetic walk: no recorded data goes into the repository


def reference(model, scaler, chunk: int):
    """Reference input/output pair for the C# parity tests: the first 400 samples (rounded down to whole
    chunks) of a training/synth.py walk on the daemon's 200 Hz clock, and the model's outputs on them.
    Rows are [t ms, ax, ay, az] for a five-channel model, [t ms, ax, ay, az, ωx, ωy, ωz] for six."""
    s = data.with_sample_clock(synth.synth_walk(REFERENCE_SEED, seconds=6.0))
    n = min(len(s), 400) // chunk * chunk
    samples = export.reference_samples(s, n)
    gyro = None
    if model_uses_gyro(model):
        gyro = s.gyro[:n].astype(np.float32)
        samples = np.concatenate([samples, gyro], axis=1)
    probs = walk_probs(model, scaler, samples[:, 0].astype(np.float64), samples[:, 1:4], gyro)
    return samples, probs


def feature_order(gyro: bool) -> list[str]:
    return list(features.FEATURES_GYRO if gyro else features.FEATURES)


def model_uses_gyro(model) -> bool:
    return model.front.in_features > len(features.FEATURES)


def add_args(p) -> None:
    p.add_argument("--iola", default=None, help="the Iola walk CSV (button-press labels)")
    p.add_argument("--iola-offset-ms", type=float, default=0.0,
                   help="press minus impact onset, ms: subtracted from the Iola presses")
    p.add_argument("--iola-split", type=lambda s: [float(x) for x in s.split(",")], default=[0.6, 0.15],
                   help="train,validation fractions of the Iola walk; the rest is the held-out test")
    p.add_argument("--ipol-index", default=None, help="ipol1-format index.csv (subject, walk bounds)")
    p.add_argument("--test-subject", default=None, help="ipol1 subject left out entirely (scored as test)")
    p.add_argument("--val-trial", default="1", help="ipol1 trial of every other subject used for validation")
    p.add_argument("--sim-csv", action="append", default=[], help="`iolaedge simulate` walk (repeatable)")
    p.add_argument("--gyro", action="store_true",
                   help="six-channel model: the gyro features too (every walk needs gyroscopeX/Y/Z columns)")
    p.add_argument("--csv", action="append", default=[], help="other seed-format walk (time-block split; repeatable)")
    p.add_argument("--synth", type=int, default=0, help="number of training/synth.py walks")
    p.add_argument("--synth-seconds", type=float, default=60.0)
    p.add_argument("--out", required=True, help="output prefix, e.g. models/onnx-stream")
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--eval-every", type=int, default=250)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--length", type=int, default=400, help="crop length in samples")
    p.add_argument("--front", type=int, default=16)
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--lookahead", type=int, default=3, help="samples the model waits after the footfall")
    p.add_argument("--chunk", type=int, default=1, help="samples per call")
    p.add_argument("--pos-weight", type=float, default=4.0)
    p.add_argument("--select-tols", type=lambda v: tuple(int(x) for x in v.split(",")), default=(25, 50),
                   help="tolerances (ms) whose mean F1 selects the step and threshold")
    p.add_argument("--lr", type=float, default=4e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
