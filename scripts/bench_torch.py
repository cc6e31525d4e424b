#!/usr/bin/env python3
"""PyTorch doing the same forward pass as mhalearn's attention core, for mhalearn-bench's PyTorch
column. Same layer, sizes, flop count and output format as bench_numpy.py. When torch is not
importable it prints {"skipped": "..."} with --json (exit 0) and a note otherwise.

    python3 scripts/bench_torch.py --json --case 512,768,12
"""
import argparse
import json
import math
import sys
import time

try:
    import torch
except Exception as error:  # not installed, or a broken install
    torch = None
    missing = f"PyTorch is not importable ({error.__class__.__name__}: {error}); pip install torch to add the column"


def flops(T, d, h):
    dk = d // h
    return 2 * (4 * T * d * d + 2 * h * T * T * dk)


def forward(x, W, h):
    T, d = x.shape
    dk = d // h
    q = x @ W["q"] + W["bq"]
    k = x @ W["k"] + W["bk"]
    v = x @ W["v"] + W["bv"]
    qh = q.reshape(T, h, dk).transpose(0, 1)
    kh = k.reshape(T, h, dk).transpose(0, 1)
    vh = v.reshape(T, h, dk).transpose(0, 1)
    out = torch.nn.functional.scaled_dot_product_attention(qh, kh, vh)
    return out.transpose(0, 1).reshape(T, d) @ W["o"] + W["bo"]


def measure(T, d, h, seconds):
    g = torch.Generator().manual_seed(1)
    bound = 1 / math.sqrt(d)
    W = {n: (torch.rand((d, d), generator=g) * 2 - 1) * bound for n in "qkvo"}
    W.update({"b" + n: (torch.rand((d,), generator=g) * 2 - 1) * bound for n in "qkvo"})
    x = (torch.rand((T, d), generator=g) * 2 - 1) * math.sqrt(3)
    with torch.inference_mode():
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", action="append", help="T,d_model,heads (repeatable)")
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if torch is None:
        print(json.dumps({"skipped": missing}) if args.json else f"note: {missing}")
        return 0
    cases = [tuple(int(v) for v in c.split(",")) for c in (args.case or ["512,768,12", "2048,768,12", "512,4096,32"])]
    results = [measure(T, d, h, args.seconds) for T, d, h in cases]
    info = f"torch {torch.__version__}, {torch.get_num_threads()} threads"
    if args.json:
        print(json.dumps({"blas": info, "results": results}))
    else:
        print(info)
        for r in results:
            print(f"T={r['tokens']} d_model={r['d_model']} h={r['heads']}: {r['best_ms']:.2f} ms, {r['gflops']:.1f} GFLOP/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
