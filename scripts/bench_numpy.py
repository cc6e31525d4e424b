#!/usr/bin/env python3
"""numpy doing the same forward pass as mhalearn's attention core, for mhalearn-bench to compare.

One multi-head self-attention layer with biases, float32, written the idiomatic numpy way:
project, reshape into heads, batched scores, stable softmax, batched weighted sum, concatenate,
project. GFLOP/s counts the same multiply-adds as the core's cost model (projections, scores,
weighted sums; 2 flops each) over the best wall time.

    python3 scripts/bench_numpy.py                       # the three standard sizes, as a table
    python3 scripts/bench_numpy.py --json --case 512,768,12
"""
import argparse
import json
import math
import time

import numpy as np


def forward(x, W, h):
    T, d = x.shape
    dk = d // h
    q = x @ W["q"] + W["bq"]                                   # [T, d]
    k = x @ W["k"] + W["bk"]
    v = x @ W["v"] + W["bv"]
    qh = q.reshape(T, h, dk).transpose(1, 0, 2)                # [h, T, dk]
    kh = k.reshape(T, h, dk).transpose(1, 0, 2)
    vh = v.reshape(T, h, dk).transpose(1, 0, 2)
    scores = (qh @ kh.transpose(0, 2, 1)) * np.float32(1 / math.sqrt(dk))   # [h, T, T]
    scores -= scores.max(axis=-1, keepdims=True)
    e = np.exp(scores)
    weights = e / e.sum(axis=-1, keepdims=True)
    out = weights @ vh                                         # [h, T, dk]
    concat = out.transpose(1, 0, 2).reshape(T, d)              # [T, d]
    return concat @ W["o"] + W["bo"]


def flops(T, d, h):
    dk = d // h
    return 2 * (4 * T * d * d + 2 * h * T * T * dk)


def measure(T, d, h, seconds):
    rng = np.random.default_rng(1)
    bound = 1 / math.sqrt(d)
    W = {n: rng.uniform(-bound, bound, (d, d)).astype(np.float32) for n in "qkvo"}
    W.update({"b" + n: rng.uniform(-bound, bound, d).astype(np.float32) for n in "qkvo"})
    x = rng.uniform(-math.sqrt(3), math.sqrt(3), (T, d)).astype(np.float32)
    forward(x, W, h)
    samples = []
    start = time.perf_counter()
    while len(samples) < 3 or (time.perf_counter() - start < seconds and len(samples) < 200):
        t0 = time.perf_counter()
        forward(x, W, h)
        samples.append(time.perf_counter() - t0)
    samples.sort()
    f = flops(T, d, h)
    return {"tokens": T, "d_model": d, "heads": h, "best_ms": samples[0] * 1e3,
            "gflops": f / samples[0] / 1e9, "gflops_median": f / samples[len(samples) // 2] / 1e9}


def blas_info():
    try:
        from threadpoolctl import threadpool_info
        info = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} threads={i.get('num_threads')}"
                for i in threadpool_info() if i.get("user_api") == "blas"]
        if info:
            return f"numpy {np.__version__}, " + "; ".join(info)
    except ImportError:
        pass
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f"numpy {np.__version__}, {blas.get('name')} {blas.get('version')}"
    except Exception:
        return f"numpy {np.__version__}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", action="append", help="T,d_model,heads (repeatable)")
    parser.add_argument("--seconds", type=float, default=1.0, help="time to spend per case")
    parser.add_argument("--json", action="store_true", help="print JSON for mhalearn-bench")
    args = parser.parse_args()
    cases = [tuple(int(v) for v in c.split(",")) for c in (args.case or ["512,768,12", "2048,768,12", "512,4096,32"])]
    results = [measure(T, d, h, args.seconds) for T, d, h in cases]
    if args.json:
        print(json.dumps({"blas": blas_info(), "results": results}))
    else:
        print(blas_info())
        for r in results:
            print(f"T={r['tokens']} d_model={r['d_model']} h={r['heads']}: {r['best_ms']:.2f} ms, {r['gflops']:.1f} GFLOP/s")


if __name__ == "__main__":
    main()
