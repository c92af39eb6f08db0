#!/usr/bin/python3
"""Check w2v align against a short numpy reference (make bench-align).

Given two word2vec binary models A and B, builds the dictionary of the words
among the 20,000 most frequent of both, holds out 1,500 of them (random,
seeded) as test pairs (each word to itself), runs `w2v align` with and
without refinement, recomputes the Procrustes map and precision@1 (plain
cosine and CSLS, k = 10) with numpy.linalg.svd, and checks:
  - w2v's map equals the reference's to 1e-4 (the map recovered from w2v's
    mapped vectors by least squares, and the mapped vectors themselves);
  - precision@1, NN and CSLS, equals the reference's;
  - CSLS >= NN; refinement does not lower precision@1.
Prints a table and a JSON line of the figures; exits 1 if a check fails.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np


def read_bin(path):
    """Reads a word2vec binary file: words and a float32 matrix."""
    with open(path, "rb") as f:
        n, dim = map(int, f.readline().split())
        words, rows = [], np.empty((n, dim), dtype=np.float32)
        for i in range(n):
            w = bytearray()
            while True:
                c = f.read(1)
                if c == b" ":
                    break
                w += c
            words.append(w.decode().strip())
            rows[i] = np.frombuffer(f.read(4 * dim), dtype="<f4")
    return words, rows


def read_text(path):
    with open(path) as f:
        n, dim = map(int, f.readline().split())
        words, rows = [], np.empty((n, dim), dtype=np.float32)
        for i, line in enumerate(f):
            parts = line.rstrip("\n").split(" ")
            words.append(parts[0])
            rows[i] = np.array(parts[1 : dim + 1], dtype=np.float32)
    return words, rows


def unit(m):
    n = np.linalg.norm(m, axis=1, keepdims=True)
    n[n == 0] = 1
    return (m / n).astype(np.float32)


def radii(queries, base, k, block=1000):
    """Mean cosine of each query row's k nearest base rows (unit rows)."""
    r = np.empty(len(queries), dtype=np.float64)
    for lo in range(0, len(queries), block):
        s = queries[lo : lo + block] @ base.T
        top = np.partition(s, -k, axis=1)[:, -k:]
        r[lo : lo + block] = top.astype(np.float64).mean(axis=1)
    return r


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--w2v", required=True)
    p.add_argument("--a", required=True)
    p.add_argument("--b", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--top", type=int, default=20000)
    p.add_argument("--test", type=int, default=1500)
    p.add_argument("--refine", type=int, default=1)
    args = p.parse_args()

    wa, xa = read_bin(args.a)
    wb, yb = read_bin(args.b)
    ib = {w: i for i, w in enumerate(wb)}
    topb = set(wb[: args.top])
    common = [w for w in wa[: args.top] if w in topb]
    rng = np.random.default_rng(2015)
    order = rng.permutation(len(common))
    test = [common[i] for i in order[: args.test]]
    train = [common[i] for i in sorted(order[args.test :])]
    dict_path = os.path.join(args.out, "dict.txt")
    test_path = os.path.join(args.out, "test.txt")
    with open(dict_path, "w") as f:
        f.writelines(f"{w} {w}\n" for w in train)
    with open(test_path, "w") as f:
        f.writelines(f"{w} {w}\n" for w in test)

    runs = {}
    for name, extra in [("procrustes", []), ("refined", ["--refine", str(args.refine)])]:
        mapped = os.path.join(args.out, f"mapped-{name}.txt")
        cmd = [args.w2v, "align", args.a, args.b, "--dict", dict_path, "--eval", test_path, "-o", mapped, "--json"] + extra
        t0 = time.time()
        res = subprocess.run(cmd, check=True, capture_output=True, text=True)
        runs[name] = {"report": json.loads(res.stdout), "seconds": time.time() - t0, "mapped": mapped}

    # The reference: W = U Vt from the SVD of X^T Y over the dictionary.
    t0 = time.time()
    ia = {w: i for i, w in enumerate(wa)}
    X = xa[[ia[w] for w in train]].astype(np.float64)
    Y = yb[[ib[w] for w in train]].astype(np.float64)
    U, _, Vt = np.linalg.svd(X.T @ Y)
    W = U @ Vt
    mapped_ref = (xa.astype(np.float64) @ W).astype(np.float32)
    src, tgt = unit(mapped_ref), unit(yb)
    q = src[[ia[w] for w in test]]
    gold = np.array([ib[w] for w in test])
    cos = q @ tgt.T
    nn1 = float((cos.argmax(axis=1) == gold).mean())
    r_s = radii(tgt, src, 10)  # each target's radius among the mapped sources
    csls = 2 * cos.astype(np.float64) - r_s[None, :]
    csls1 = float((csls.argmax(axis=1) == gold).mean())
    ref_seconds = time.time() - t0

    words_m, m = read_text(runs["procrustes"]["mapped"])
    assert words_m == wa, "mapped file's words differ from the source's"
    W_w2v, *_ = np.linalg.lstsq(xa.astype(np.float64), m.astype(np.float64), rcond=None)
    dW = float(np.abs(W_w2v - W).max())
    dM = float(np.abs(m - mapped_ref).max())

    p = runs["procrustes"]["report"]["scores"][0]
    r = runs["refined"]["report"]["scores"]
    fig = {
        "source_words": len(wa), "target_words": len(wb), "common_top": len(common),
        "dictionary": len(train), "test": len(test),
        "max_abs_diff_map": dW, "max_abs_diff_mapped": dM,
        "ref_p1_nn": nn1, "ref_p1_csls": csls1,
        "w2v_p1_nn": p["nn"]["p@1"], "w2v_p1_csls": p["csls"]["p@1"],
        "w2v_p5_nn": p["nn"]["p@5"], "w2v_p5_csls": p["csls"]["p@5"],
        "w2v_p10_nn": p["nn"]["p@10"], "w2v_p10_csls": p["csls"]["p@10"],
        "refined_pairs": runs["refined"]["report"].get("refined_pairs"),
        "refined_p1_nn": r[-1]["nn"]["p@1"], "refined_p1_csls": r[-1]["csls"]["p@1"],
        "w2v_seconds": runs["procrustes"]["seconds"], "w2v_refined_seconds": runs["refined"]["seconds"],
        "numpy_seconds": ref_seconds,
    }
    checks = [
        ("map equals numpy's to 1e-4", dW <= 1e-4 and dM <= 1e-4),
        ("precision@1 NN equals numpy's", abs(fig["w2v_p1_nn"] - nn1) < 1e-9),
        ("precision@1 CSLS equals numpy's", abs(fig["w2v_p1_csls"] - csls1) < 1e-9),
        ("CSLS >= NN", fig["w2v_p1_csls"] >= fig["w2v_p1_nn"]),
        ("refinement does not lower precision@1",
         fig["refined_p1_nn"] >= fig["w2v_p1_nn"] and fig["refined_p1_csls"] >= fig["w2v_p1_csls"]),
    ]
    pct = lambda x: f"{100 * x:.2f}"
    print(f"models: {len(wa):,} and {len(wb):,} words; {len(common):,} shared among the {args.top:,} most frequent: "
          f"{len(train):,} dictionary pairs, {len(test):,} test words")
    print(f"map: max |W_w2v - W_numpy| = {dW:.2e}; max |mapped_w2v - mapped_numpy| = {dM:.2e}")
    print(f"{'':24}{'p@1':>8}{'p@5':>8}{'p@10':>8}")
    print(f"{'numpy NN':24}{pct(nn1):>8}")
    print(f"{'numpy CSLS':24}{pct(csls1):>8}")
    for name, s in [("w2v NN", p["nn"]), ("w2v CSLS", p["csls"])] + [
            (f"w2v refined({args.refine}) NN", r[-1]["nn"]), (f"w2v refined({args.refine}) CSLS", r[-1]["csls"])]:
        print(f"{name:24}{pct(s['p@1']):>8}{pct(s['p@5']):>8}{pct(s['p@10']):>8}")
    print(f"time: w2v align {fig['w2v_seconds']:.1f} s (refined: {fig['w2v_refined_seconds']:.1f} s), "
          f"numpy reference {ref_seconds:.1f} s (both include their own CSLS radii)")
    ok = True
    for what, good in checks:
        print(f"{'ok  ' if good else 'FAIL'} {what}")
        ok = ok and good
    print(json.dumps(fig))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
