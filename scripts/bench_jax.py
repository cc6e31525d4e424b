#!/usr/bin/env python3
"""JAX doing the same forward pass as mhalearn's attention core, jit-compiled for the CPU, for
mhalearn-bench's JAX column. Same layer, sizes, flop count and output format as bench_numpy.py.
When JAX is not importable it prints {"skipped": "..."} with --json (exit 0) and a note otherwise.

    python3 scripts/bench_jax.py --json --case 512,768,12
"""
import argparse
import json
import math
import os
import sys
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")
try:
    import jax
    import jax.numpy as jnp
except Exception as error:  # not installed, or a broken install
    jax = None
    missing = f"JAX is not importable ({error.__class__.__name__}: {error}); pip install jax to add the column"


def flops(T, d, h):
    dk = d // h
    return 2 * (4 * T * d * d + 2 * h * T * T * dk)


def make_forward(h):
    def forward(x, W):
        T, d = x.shape
        dk = d // h
        q = x @ W["q"] + W["bq"]
        k = x @ W["k"] + W["bk"]
        v = x @ W["v"] + W["bv"]
        qh = q.reshape(T, h, dk).transpose(1, 0, 2)
        kh = k.reshape(T, h, dk).transpose(1, 0, 2)
        vh = v.reshape(T, h, dk).transpose(1, 0, 2)
        weights = jax.nn.softmax((qh @ kh.transpose(0, 2, 1)) / math.sqrt(dk), axis=-1)
        concat = (weights @ vh).transpose(1, 0, 2).reshape(T, d)
        return concat @ W["o"] + W["bo"]
    return jax.jit(forward)


def measure(T, d, h, seconds):
    key = jax.random.PRNGKey(1)
    keys = jax.random.split(key, 9)
    bound = 1 / math.sqrt(d)
    W = {n: jax.random.uniform(keys[i], (d, d), jnp.float32, -bound, bound) for i, n in enumerate("qkvo")}
    W.update({"b" + n: jax.random.uniform(keys[4 + i], (d,), jnp.float32, -bound, bound) for i, n in enumerate("qkvo")})
    x = jax.random.uniform(keys[8], (T, d), jnp.float32, -math.sqrt(3), math.sqrt(3))
    forward = make_forward(h)
    forward(x, W).block_until_ready()  # compile
    samples = []
    start = time.perf_counter()
    while len(samples) < 3 or (time.perf_counter() - start < seconds and len(samples) < 200):
        t0 = time.perf_counter()
        forward(x, W).block_until_ready()
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
    if jax is None:
        print(json.dumps({"skipped": missing}) if args.json else f"note: {missing}")
        return 0
    cases = [tuple(int(v) for v in c.split(",")) for c in (args.case or ["512,768,12", "2048,768,12", "512,4096,32"])]
    results = [measure(T, d, h, args.seconds) for T, d, h in cases]
    info = f"jax {jax.__version__} on {jax.default_backend()}"
    if args.json:
        print(json.dumps({"blas": info, "results": results}))
    else:
        print(info)
        for r in results:
            print(f"T={r['tokens']} d_model={r['d_model']} h={r['heads']}: {r['best_ms']:.2f} ms, {r['gflops']:.1f} GFLOP/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
