#!/usr/bin/env python3
"""Independent numpy check of mhalearn's attention core, variant by variant.

The core writes each variant's configuration, weights, inputs and recorded tensors as JSON
(`swift run mhalearn-bench --dump DIR`). This script recomputes every tensor from the configuration,
weights and inputs alone, in float32 with numpy, written from the textbook definitions rather than
from the Swift code, and reports the largest absolute difference per tensor.

    python3 scripts/reference_attention.py            # dumps with `swift run mhalearn-bench --dump`, then checks
    python3 scripts/reference_attention.py DIR        # checks an existing dump
    python3 scripts/reference_attention.py --tolerance 1e-4

It then generates each self-attention variant's output one token at a time from a KV cache (MLA:
only the latent and rotary key cached, up-projections absorbed) and checks it against the causal
forward's rows (relative tolerance 1e-4).

Exit status: 0 when every tensor agrees within the tolerance, 1 otherwise.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

F = np.float32


def tensor(entry):
    return np.asarray(entry["data"], dtype=F).reshape(entry["shape"])


def linear(x, weights, name):
    """y = x·W + b with W stored [in, out]."""
    p = weights[name]
    y = x @ tensor(p["weight"])
    if "bias" in p:
        y = y + tensor(p["bias"])
    return y.astype(F)


def rope(x, positions, base=10000.0):
    """Rotary embedding over the last axis, interleaved pairs (2m, 2m+1), θ_m = base^(-2m/width)."""
    width = x.shape[-1]
    m = np.arange(width // 2, dtype=np.float64)
    theta = np.power(base, -2.0 * m / width)
    angles = np.asarray(positions, dtype=np.float64)[:, None] * theta[None, :]
    cos = np.cos(angles).astype(F)
    sin = np.sin(angles).astype(F)
    # broadcast [rows, pairs] over any head axis between rows and width
    shape = (x.shape[0],) + (1,) * (x.ndim - 2) + (width // 2,)
    cos, sin = cos.reshape(shape), sin.reshape(shape)
    even, odd = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = even * cos - odd * sin
    out[..., 1::2] = even * sin + odd * cos
    return out


def reference(case):
    """Every tensor of one attention layer, recomputed from scratch."""
    W = case["weights"]
    given = case["tensors"]
    x = tensor(given["input"])
    src = tensor(given["source"]) if case["cross"] else x
    T, S = x.shape[0], src.shape[0]
    h, dk, dr = case["heads"], case["head_dim"], case["rope_dim"]
    latent = case["kv_lora_rank"] > 0
    kv = h if latent else case["kv_heads"]
    g = h // kv
    out = {"input": x}
    if case["cross"]:
        out["source"] = src

    q = linear(x, W, "W_Q")                                    # [T, h·dk]
    if latent:
        c = linear(src, W, "W_DKV")                            # [S, r]
        k = linear(c, W, "W_UK")                               # [S, h·dk]
        v = linear(c, W, "W_UV")
        out["latent"] = c
        if dr > 0:
            qr = linear(x, W, "W_QR").reshape(T, h, dr)
            qr = rope(qr, np.arange(T) + (S - T)).reshape(T, h * dr)
            kr = rope(linear(src, W, "W_KR"), np.arange(S))     # [S, dr], shared by every head
            out["q_rope"], out["k_rope"] = qr, kr
    else:
        k = linear(src, W, "W_K")                              # [S, kv·dk]
        v = linear(src, W, "W_V")
    out["q"], out["k"], out["v"] = q, k, v

    qh = q.reshape(T, h, dk).transpose(1, 0, 2)                # [h, T, dk]
    kh = k.reshape(S, kv, dk).transpose(1, 0, 2)               # [kv, S, dk]
    vh = v.reshape(S, kv, dk).transpose(1, 0, 2)
    if latent and dr > 0:
        qh = np.concatenate([qh, out["q_rope"].reshape(T, h, dr).transpose(1, 0, 2)], axis=-1)
        kh = np.concatenate([kh, np.broadcast_to(out["k_rope"], (kv, S, dr))], axis=-1)
    out["q_heads"], out["k_heads"], out["v_heads"] = qh, kh, vh

    # each K/V head serves g consecutive query heads
    k_full = np.repeat(kh, g, axis=0)
    v_full = np.repeat(vh, g, axis=0)
    scores = (qh @ k_full.transpose(0, 2, 1)) / F(math.sqrt(dk + dr))
    out["scores"] = scores.astype(F)

    allowed = np.ones((T, S), dtype=bool)
    if case["causal"]:
        allowed &= np.arange(S)[None, :] <= np.arange(T)[:, None] + (S - T)
    if "key_allowed" in case:
        allowed &= np.asarray(case["key_allowed"], dtype=bool)[None, :]
    masked = np.where(allowed[None], scores, -np.inf)
    row_max = masked.max(axis=-1, keepdims=True)
    row_max = np.where(np.isfinite(row_max), row_max, 0)
    e = np.where(allowed[None], np.exp(masked - row_max), 0).astype(F)
    total = e.sum(axis=-1, keepdims=True)
    weights = np.where(total > 0, e / np.where(total > 0, total, 1), 0).astype(F)   # fully masked rows: 0
    out["weights"] = weights

    heads_out = weights @ v_full                               # [h, T, dk]
    out["head_outputs"] = heads_out
    concat = heads_out.transpose(1, 0, 2).reshape(T, h * dk)   # [T, h·dk]
    out["concat"] = concat
    out["output"] = linear(concat, W, "W_O")                   # [T, d_model]
    return out


def softmax_rows(scores):
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(F)


def decode_rows(case):
    """The layer's output generated one token at a time from a KV cache (causal, self-attention).

    MHA/GQA/MQA cache keys and values. MLA caches only the latent c_KV and the shared rotary key and
    decodes with the up-projections absorbed: q~_i = q_i·W_UK,iᵀ scores against the latent, and
    W_UV,i is applied once to the weighted sum of latents (DeepSeek-V2, 2024, §2.1). Never calls reference().
    """
    W = case["weights"]
    x = tensor(case["tensors"]["input"])
    T = x.shape[0]
    h, dk, dr = case["heads"], case["head_dim"], case["rope_dim"]
    latent = case["kv_lora_rank"] > 0
    kv = h if latent else case["kv_heads"]
    g = h // kv
    scale = F(1 / math.sqrt(dk + dr))
    cache_a, cache_b, rows = [], [], []
    for t in range(T):
        xt = x[t:t + 1]
        q = linear(xt, W, "W_Q").reshape(h, dk)
        if latent:
            cache_a.append(linear(xt, W, "W_DKV")[0])                       # latent [r]
            if dr > 0:
                cache_b.append(rope(linear(xt, W, "W_KR"), [t])[0])         # rotary key [dr]
            C = np.stack(cache_a)                                            # [t+1, r]
            wuk = tensor(W["W_UK"]["weight"]).reshape(-1, h, dk)             # [r, h, dk]
            wuv = tensor(W["W_UV"]["weight"]).reshape(-1, h, dk)
            heads = []
            for i in range(h):
                absorbed = wuk[:, i, :] @ q[i]                               # [r]
                s = C @ absorbed
                if dr > 0:
                    qr = rope(linear(xt, W, "W_QR").reshape(1, h, dr), [t])[0, i]
                    s = s + np.stack(cache_b) @ qr
                w = softmax_rows((s * scale)[None])[0]
                o = (w @ C) @ wuv[:, i, :]
                if "bias" in W["W_UV"]:
                    o = o + tensor(W["W_UV"]["bias"]).reshape(h, dk)[i]
                heads.append(o)
        else:
            cache_a.append(linear(xt, W, "W_K")[0].reshape(kv, dk))
            cache_b.append(linear(xt, W, "W_V")[0].reshape(kv, dk))
            K, V = np.stack(cache_a), np.stack(cache_b)                      # [t+1, kv, dk]
            heads = []
            for i in range(h):
                w = softmax_rows(((K[:, i // g, :] @ q[i]) * scale)[None])[0]
                heads.append(w @ V[:, i // g, :])
        rows.append(linear(np.concatenate(heads)[None].astype(F), W, "W_O")[0])
    return np.stack(rows).astype(F)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", help="a dump from `mhalearn-bench --dump` (default: make one)")
    parser.add_argument("--tolerance", type=float, default=1e-4, help="largest accepted absolute difference")
    args = parser.parse_args()

    folder = args.folder
    if folder is None:
        folder = tempfile.mkdtemp(prefix="mhalearn-dump-")
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        subprocess.run(["swift", "run", "mhalearn-bench", "--dump", folder], cwd=root, check=True)

    files = sorted(f for f in os.listdir(folder) if f.endswith(".json"))
    if not files:
        print(f"no dumps in {folder}", file=sys.stderr)
        return 1
    worst_overall = 0.0
    failures = 0
    print(f"{'variant':<20} {'tensors':>7} {'max abs error':>14}  worst tensor")
    for name in files:
        with open(os.path.join(folder, name)) as handle:
            case = json.load(handle)
        mine = reference(case)
        given = case["tensors"]
        missing = sorted(set(mine) ^ set(given))
        if missing:
            print(f"{case['name']:<20} tensor names differ: {missing}")
            failures += 1
            continue
        errors = {}
        for key, value in mine.items():
            theirs = tensor(given[key])
            if theirs.shape != value.shape:
                errors[key] = math.inf
            else:
                errors[key] = float(np.max(np.abs(theirs - value))) if value.size else 0.0
        worst = max(errors, key=errors.get)
        worst_overall = max(worst_overall, errors[worst])
        status = "ok" if errors[worst] <= args.tolerance else "FAIL"
        if status == "FAIL":
            failures += 1
        print(f"{case['name']:<20} {len(errors):>7} {errors[worst]:>14.3e}  {worst} {status}")
    print(f"{len(files) - failures} passed, {failures} failed (float32, tolerance {args.tolerance:g}, worst {worst_overall:.3e})")

    # decoding from a KV cache (MLA: absorbed) must give the causal forward's rows
    print(f"\n{'decode vs causal':<20} {'tokens':>7} {'max rel error':>14}")
    for name in files:
        with open(os.path.join(folder, name)) as handle:
            case = json.load(handle)
        if case["cross"] or "key_allowed" in case:
            continue
        causal = dict(case, causal=True)
        full = reference(causal)["output"]
        decoded = decode_rows(case)
        error = float(np.max(np.abs(decoded - full)) / max(float(np.max(np.abs(full))), 1e-30))
        status = "ok" if error <= 1e-4 else "FAIL"
        if status == "FAIL":
            failures += 1
        print(f"{case['name']:<20} {full.shape[0]:>7} {error:>14.3e}  {status}")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
