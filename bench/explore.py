#!/usr/bin/env python3
"""bench/explore.py - w2v's t-SNE, PCA and k-means against scikit-learn's.

Run by bench/explore.sh (make bench-explore), which trains the model. Both
tools get the same unit-length vectors: w2v reads them from the model,
scikit-learn from the .npy that `w2v export` writes (normalised here).
Times are wall clock: w2v's include starting the process and opening the
native model (milliseconds); scikit-learn's are of fit/fit_transform only.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness
from sklearn.neighbors import NearestNeighbors

K_TRUST = 10  # neighbours for trustworthiness
KMEANS_WORDS, KMEANS_K = 100_000, 500


def log(*a):
    print("bench-explore:", *a, file=sys.stderr, flush=True)


def load():
    return os.getloadavg()[0]


def timed(f):
    t = time.perf_counter()
    r = f()
    return r, time.perf_counter() - t


def w2v(args, cmd):
    subprocess.run([args.w2v, *cmd], check=True, stdout=subprocess.DEVNULL)


def read_tsv(path):
    """Coordinates (and classes, if any) of a map's TSV, in its order."""
    with open(path, encoding="utf-8") as f:
        next(f)
        rows = [line.rstrip("\n").split("\t") for line in f]
    return np.array([[float(r[1]), float(r[2])] for r in rows])


def trust(x, y, k=K_TRUST, block=500):
    """scikit-learn's trustworthiness, computed a block of rows at a time so
    that 20,000 points need no 20,000 × 20,000 matrix: for each point, the
    rank in the input of each of its k nearest points on the map. x holds
    unit rows: squared distances are 2 - 2 cos, which rank as distances do."""
    n = len(x)
    nbrs = NearestNeighbors(n_neighbors=k).fit(y).kneighbors(return_distance=False)
    xt = x.T.astype(np.float64)
    penalty = 0.0
    for lo in range(0, n, block):
        hi = min(lo + block, n)
        d = 2 - 2 * (x[lo:hi].astype(np.float64) @ xt)
        d[np.arange(hi - lo), np.arange(lo, hi)] = np.inf
        dj = np.take_along_axis(d, nbrs[lo:hi], axis=1)  # (b, k)
        ranks = (d[:, None, :] < dj[:, :, None]).sum(axis=2) + 1
        penalty += np.maximum(ranks - k, 0).sum()
    return 1 - penalty * 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0))


def inertia(x, labels):
    """Sum of squared distances of the rows to the mean of their class."""
    total = 0.0
    x = x.astype(np.float64)
    for c in np.unique(labels):
        m = x[labels == c]
        total += ((m - m.mean(axis=0)) ** 2).sum()
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--w2v", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--tsne", type=int, nargs="+", default=[5000, 20000])
    ap.add_argument("--kmeans-words", type=int, default=KMEANS_WORDS, help="(smaller only to check the harness)")
    args = ap.parse_args()
    kwords = args.kmeans_words
    d = args.dir
    res = {"date": datetime.date.today().isoformat(), "cpus": os.cpu_count(), "sklearn": sklearn.__version__, "tsne": [], "load_start": load()}

    npy = os.path.join(d, "npy")
    w2v(args, ["export", "-m", args.model, "--format", "npy", "--restrict", str(kwords), "-o", npy])
    x = np.load(os.path.join(npy, "vectors.npy"))
    with open(os.path.join(npy, "words.txt"), encoding="utf-8") as f:
        words = f.read().split("\n")[: len(x)]
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    if len(x) < kwords:
        sys.exit(f"the model has {len(x)} words; the k-means comparison needs {kwords}")
    log(f"{len(x)} unit vectors of dim {x.shape[1]}; scikit-learn {sklearn.__version__}, {os.cpu_count()} CPUs")

    # PCA: the same coordinates up to each component's sign.
    n = 5000
    out = os.path.join(d, "pca.tsv")
    _, t_w = timed(lambda: w2v(args, ["map", "-m", args.model, "--top", str(n), "--method", "pca", "-q", "-o", out]))
    # svd_solver="full": the exact PCA. The default, "auto", takes the
    # randomized solver at this shape, an approximation that moves the
    # coordinates by about 1e-3 (reported too).
    ref, t_s = timed(lambda: PCA(n_components=2, svd_solver="full").fit_transform(x[:n].astype(np.float64)))
    approx = PCA(n_components=2, random_state=0).fit_transform(x[:n].astype(np.float64))
    ours = read_tsv(out)

    def diff(ref):
        return float(max(min(np.abs(ours[:, c] - ref[:, c]).max(), np.abs(ours[:, c] + ref[:, c]).max()) for c in range(2)))

    res["pca"] = {"words": n, "max_abs_diff": diff(ref), "max_abs_diff_auto": diff(approx), "w2v_s": t_w, "sklearn_s": t_s}
    log(f"PCA of {n}: largest difference up to sign {diff(ref):.2e} (svd_solver=\"auto\": {diff(approx):.2e}); w2v {t_w:.2f} s, scikit-learn {t_s:.2f} s")

    # k-means: 500 classes of the 100,000 most frequent words.
    xk = x[:kwords]
    out = os.path.join(d, "classes.txt")
    l0 = load()
    _, t_w = timed(lambda: w2v(args, ["classes", "-m", args.model, "-k", str(KMEANS_K), "--restrict", str(kwords), "-q", "-o", out]))
    index = {w: i for i, w in enumerate(words)}
    ours = np.full(kwords, -1)
    with open(out, encoding="utf-8") as f:
        for line in f:
            w, c = line.rsplit(" ", 1)
            ours[index[w]] = int(c)
    assert (ours >= 0).all()
    l1 = load()
    km, t_s = timed(lambda: KMeans(n_clusters=KMEANS_K, n_init=1, init="k-means++", random_state=0).fit(xk))
    l2 = load()
    ow, os_ = inertia(xk, ours), inertia(xk, km.labels_)
    res["kmeans"] = {"words": kwords, "k": KMEANS_K, "w2v_objective": ow, "sklearn_objective": os_, "sklearn_iter": int(km.n_iter_),
                     "w2v_s": t_w, "sklearn_s": t_s, "load": [l0, l1, l2]}
    log(f"k-means {KMEANS_K} of {kwords}: objective w2v {ow:.1f}, scikit-learn {os_:.1f} ({100 * (ow / os_ - 1):+.2f} %); "
        f"w2v {t_w:.1f} s, scikit-learn {t_s:.1f} s ({km.n_iter_} iterations) (load {l0:.1f} {l1:.1f} {l2:.1f})")
    # t-SNE on the n most frequent words.
    for n in args.tsne:
        out = os.path.join(d, f"tsne{n}.tsv")
        l0 = load()
        _, t_w = timed(lambda: w2v(args, ["map", "-m", args.model, "--top", str(n), "--method", "tsne", "-q", "-o", out]))
        ours = read_tsv(out)
        l1 = load()
        tsne = TSNE(n_components=2, perplexity=30, method="barnes_hut", init="pca", learning_rate="auto", random_state=0, n_jobs=-1)
        ref, t_s = timed(lambda: tsne.fit_transform(x[:n]))
        l2 = load()
        tw, ts = trust(x[:n], ours), trust(x[:n], ref)
        if n <= 5000:  # the blocked trustworthiness is scikit-learn's
            check = trustworthiness(x[:n], ref, n_neighbors=K_TRUST)
            assert abs(check - ts) < 1e-6, (check, ts)
        r = {"words": n, "w2v_trust": tw, "sklearn_trust": ts, "w2v_s": t_w, "sklearn_s": t_s, "load": [l0, l1, l2]}
        res["tsne"].append(r)
        log(f"t-SNE of {n}: trustworthiness w2v {tw:.4f}, scikit-learn {ts:.4f}; w2v {t_w:.1f} s, scikit-learn {t_s:.1f} s (load {l0:.1f} {l1:.1f} {l2:.1f})")

    res["load_end"] = load()
    with open(os.path.join(d, "results.json"), "w") as f:
        json.dump(res, f, indent=1)

    # The summary, as README's table.
    print(f"\nbench-explore {res['date']}, {res['cpus']} CPUs, scikit-learn {res['sklearn']}, load {res['load_start']:.1f} at the start, {res['load_end']:.1f} at the end\n")
    print("| task | w2v | scikit-learn | goal |")
    print("|---|---|---|---|")
    for r in res["tsne"]:
        ok = r["w2v_trust"] >= r["sklearn_trust"] - 0.01 and r["w2v_s"] <= r["sklearn_s"]
        print(f"| t-SNE {r['words']:,} words: trustworthiness, time | {r['w2v_trust']:.4f}, {r['w2v_s']:.1f} s | "
              f"{r['sklearn_trust']:.4f}, {r['sklearn_s']:.1f} s | ≥ sklearn − 0.01, ≤ sklearn's time: {'met' if ok else 'MISSED'} |")
    p = res["pca"]
    print(f"| PCA {p['words']:,} words: largest coordinate difference from sklearn's (up to sign), time | {p['max_abs_diff']:.1e}, {p['w2v_s']:.2f} s | "
          f"{p['sklearn_s']:.2f} s (svd_solver=\"full\"; \"auto\" differs by {p['max_abs_diff_auto']:.1e}) | ≤ 1e-4: {'met' if p['max_abs_diff'] <= 1e-4 else 'MISSED'} |")
    k = res["kmeans"]
    ok = k["w2v_objective"] <= 1.01 * k["sklearn_objective"] and k["w2v_s"] <= k["sklearn_s"]
    print(f"| k-means {k['k']} of {k['words']:,} words: Σ squared distance, time | {k['w2v_objective']:.1f}, {k['w2v_s']:.1f} s | "
          f"{k['sklearn_objective']:.1f}, {k['sklearn_s']:.1f} s | within 1 %, ≤ sklearn's time: {'met' if ok else 'MISSED'} |")


if __name__ == "__main__":
    main()
