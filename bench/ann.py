#!/usr/bin/python3
"""ann.py - w2v's graph index against hnswlib and faiss (make bench-ann).

Usage: /usr/bin/python3 bench/ann.py [--words N] [--dims 100,300] [--out DIR] ...

For each dimension: trains vectors with w2v's defaults on the benchmark
corpus (skip-gram, --epochs 5, --min-count 2: a graph's recall depends on
how the vectors are spread, and one-epoch CBOW vectors at dim 300 were far
harder to search than these, recall@10 0.92 at ef 2560 against 0.999),
takes --queries words out at
random as queries (ann-benchmarks style: they are not in the indexed set),
finds their true 10 nearest by exact inner-product search (faiss
IndexFlatIP on unit vectors, checked against w2v's exact search), then
builds w2v's index, hnswlib's and faiss's IndexHNSWFlat with the same M,
efConstruction and threads, and times single-thread queries at several ef.
Also times exact batch search (w2v's Searcher against faiss IndexFlatIP) and
`w2v nearest` on the indexed model from process start to answer.

Writes DIR/ann.json, DIR/ann.md (tables) and DIR/ann.svg (recall@10 against
queries/s). Everything big stays in DIR (default bench-out/ann).
"""
import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def log(*a):
    print("ann:", *a, file=sys.stderr, flush=True)


def read_w2v_bin(path):
    """Reads word2vec's binary format: words and a float32 matrix."""
    with open(path, "rb") as f:
        data = f.read()
    nl = data.index(b"\n")
    n, dim = map(int, data[:nl].split())
    words = []
    mat = np.empty((n, dim), dtype=np.float32)
    pos = nl + 1
    row = 4 * dim
    for i in range(n):
        sp = data.index(b" ", pos)
        words.append(data[pos:sp].decode("utf-8", "replace").lstrip("\n"))
        mat[i] = np.frombuffer(data, dtype="<f4", count=dim, offset=sp + 1)
        pos = sp + 1 + row
        if pos < len(data) and data[pos:pos + 1] == b"\n":
            pos += 1
    return words, mat


def write_w2v_bin(path, words, mat):
    with open(path + ".tmp", "wb") as f:
        f.write(b"%d %d\n" % mat.shape)
        m = np.ascontiguousarray(mat, dtype="<f4")
        for w, r in zip(words, m):
            f.write(w.encode() + b" " + r.tobytes() + b"\n")
    os.replace(path + ".tmp", path)


def timed(cmd, **kw):
    t = time.perf_counter()
    r = subprocess.run(cmd, check=True, **kw)
    return time.perf_counter() - t, r


def children_cpu():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


class Clock:
    """Wall and CPU seconds of this process (all its threads) since start."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def rates(self, n):
        wall, cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        return n / wall, n / cpu


def recall(found, truth):
    k = truth.shape[1]
    hit = 0
    for f, t in zip(found, truth):
        hit += len(set(f[:k].tolist()) & set(t.tolist()))
    return hit / truth.size


def bench_dim(a, dim, corpus, out):
    import faiss
    import hnswlib

    res = {"dim": dim}
    vec = os.path.join(out, f"vec{dim}.bin")
    if not os.path.exists(vec):
        log(f"training dim {dim} (skip-gram, {a.epochs} epoch(s), --min-count 2)")
        sec, _ = timed([a.w2v, "train", "--epochs", str(a.epochs), "--min-count", "2",
                        "--dim", str(dim), "--threads", str(a.threads), corpus, "-o", vec])
        res["train_s"] = sec
    words, mat = read_w2v_bin(vec)
    mat /= np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-30)
    rng = np.random.default_rng(1)
    nq = min(a.queries, len(words) // 10)
    qidx = np.sort(rng.choice(len(words), nq, replace=False))
    keep = np.ones(len(words), dtype=bool)
    keep[qidx] = False
    base, q = np.ascontiguousarray(mat[keep]), np.ascontiguousarray(mat[qidx])
    bwords = [w for w, k in zip(words, keep) if k]
    del mat
    n = len(bwords)
    res.update(rows=n, queries=nq)
    log(f"dim {dim}: {n} rows indexed, {nq} queries")
    basebin, qf = os.path.join(out, f"base{dim}.bin"), os.path.join(out, f"queries{dim}.f32")
    write_w2v_bin(basebin, bwords, base)
    q.astype("<f4").tofile(qf)

    # Ground truth and exact batch throughput.
    k = 10
    faiss.omp_set_num_threads(a.threads)
    flat = faiss.IndexFlatIP(dim)
    flat.add(base)
    c = Clock()
    _, truth = flat.search(q, k)
    res["faiss_flat_qps"], _ = c.rates(nq)
    faiss.omp_set_num_threads(1)
    sub = q[:1000]
    c = Clock()
    flat.search(sub, k)
    res["faiss_flat_qps_1t"], res["faiss_flat_cpu_qps_1t"] = c.rates(len(sub))
    del flat

    # w2v: build (the command, reading base.bin included), then queries.
    idx = os.path.join(out, f"base{dim}.w2v")
    cpu = children_cpu()
    sec, _ = timed([a.w2v, "index", basebin, "-o", idx, "--m", str(a.m), "--ef-construction", str(a.efc),
                    "--threads", str(a.threads), "--seed", "1"], stderr=subprocess.DEVNULL)
    res["w2v_build_s"], res["w2v_build_cpu_s"] = sec, children_cpu() - cpu
    r = subprocess.run([a.annquery, "-model", idx, "-queries", qf, "-ef", ",".join(map(str, a.efs)),
                        "-out", out, "-exact"], check=True, capture_output=True, text=True)
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    res["w2v_index_bytes_per_row"] = lines[0]["index_bytes"] / n
    res["w2v"] = []
    for ln in lines[1:]:
        if "ef" in ln:
            found = np.fromfile(os.path.join(out, f"w2v-ef{ln['ef']}.i32"), dtype="<i4").reshape(nq, k)
            res["w2v"].append({"ef": ln["ef"], "qps": ln["qps"], "cpu_qps": ln["cpu_qps"], "recall": recall(found, truth)})
        elif ln["exact_threads"] == 0:
            res["w2v_exact_qps"] = ln["qps"]
            found = np.fromfile(os.path.join(out, "w2v-exact.i32"), dtype="<i4").reshape(nq, k)
            res["w2v_exact_recall"] = recall(found, truth)
        else:
            res["w2v_exact_qps_1t"], res["w2v_exact_cpu_qps_1t"] = ln["qps"], ln["cpu_qps"]
    log(f"dim {dim}: w2v {res['w2v']}")

    # hnswlib: inner product on unit vectors is cosine.
    h = hnswlib.Index(space="ip", dim=dim)
    h.init_index(max_elements=n, ef_construction=a.efc, M=a.m, random_seed=1)
    h.set_num_threads(a.threads)
    c = Clock()
    h.add_items(base, np.arange(n))
    res["hnswlib_build_s"], res["hnswlib_build_cpu_s"] = time.perf_counter() - c.wall, time.process_time() - c.cpu
    hp = os.path.join(out, f"hnswlib{dim}.bin")
    h.save_index(hp)
    res["hnswlib_index_bytes_per_row"] = (os.path.getsize(hp) - 4 * n * dim) / n
    os.remove(hp)
    h.set_num_threads(1)
    res["hnswlib"] = []
    for ef in a.efs:
        h.set_ef(max(ef, k))
        c = Clock()
        found, _ = h.knn_query(q, k=k)
        qps, cqps = c.rates(nq)
        res["hnswlib"].append({"ef": ef, "qps": qps, "cpu_qps": cqps, "recall": recall(found, truth)})
    del h
    log(f"dim {dim}: hnswlib {res['hnswlib']}")

    # faiss IndexHNSWFlat.
    faiss.omp_set_num_threads(a.threads)
    fx = faiss.IndexHNSWFlat(dim, a.m, faiss.METRIC_INNER_PRODUCT)
    fx.hnsw.efConstruction = a.efc
    c = Clock()
    fx.add(base)
    res["faiss_build_s"], res["faiss_build_cpu_s"] = time.perf_counter() - c.wall, time.process_time() - c.cpu
    res["faiss_index_bytes_per_row"] = (len(faiss.serialize_index(fx)) - 4 * n * dim) / n
    faiss.omp_set_num_threads(1)
    res["faiss"] = []
    for ef in a.efs:
        fx.hnsw.efSearch = max(ef, k)
        c = Clock()
        _, found = fx.search(q, k)
        qps, cqps = c.rates(nq)
        res["faiss"].append({"ef": ef, "qps": qps, "cpu_qps": cqps, "recall": recall(found, truth)})
    del fx
    log(f"dim {dim}: faiss {res['faiss']}")

    # w2v nearest on the indexed model, process start to answer.
    walls = []
    for i in range(7):
        sec, _ = timed([a.w2v, "nearest", "-m", idx, "-k", "10", bwords[100 + i]], stdout=subprocess.DEVNULL)
        walls.append(sec)
    res["nearest_ms"] = {"best": 1000 * min(walls), "median": 1000 * statistics.median(walls)}
    for p in (basebin, qf):
        os.remove(p)
    return res


def at_recall(points, target, key="cpu_qps"):
    """The best queries/s among points reaching the target recall."""
    ok = [p[key] for p in points if p["recall"] >= target]
    return max(ok) if ok else None


def fmt(x, spec=",.0f"):
    return "–" if x is None else format(x, spec)


def table(results, meta):
    out = [f"Run {meta['date']} on {meta['machine']}; load average {meta['load_before']} before, "
           f"{meta['load_after']} after; M {meta['m']}, efConstruction {meta['efc']}, "
           f"{meta['threads']} build threads, queries on 1 thread; vectors: w2v skip-gram, "
           f"{meta['epochs']} epoch(s), --min-count 2, on {meta['corpus_words']} corpus words. "
           "q/s are queries per CPU second of the querying process (the steadier measure on a "
           "shared machine), wall-clock q/s in brackets; build: wall s (CPU s).", ""]
    out += ["| dim | rows | tool | build s | index bytes/word | " +
            " | ".join(f"ef {ef}: recall, q/s" for ef in meta["efs"]) + " | q/s at recall ≥ 0.95 |",
            "|---:|---:|---|---:|---:|" + "---:|" * len(meta["efs"]) + "---:|"]
    for r in results:
        for tool in ("w2v", "hnswlib", "faiss"):
            cells = " | ".join(f"{p['recall']:.3f}, {p['cpu_qps']:,.0f} ({p['qps']:,.0f})" for p in r[tool])
            out.append(f"| {r['dim']} | {r['rows']:,} | {tool} | {r[tool + '_build_s']:.1f} ({r[tool + '_build_cpu_s']:.1f}) | "
                       f"{r[tool + '_index_bytes_per_row']:.0f} | {cells} | {fmt(at_recall(r[tool], 0.95))} "
                       f"({fmt(at_recall(r[tool], 0.95, 'qps'))}) |")
    out += ["", "| dim | exact top-10 in batch, wall q/s: w2v, faiss IndexFlatIP (all threads) | w2v ÷ faiss | "
            "1 thread, q/s per CPU s: w2v, faiss | w2v exact recall vs faiss | "
            "`w2v nearest` on the index, start to answer ms (best / median of 7) |",
            "|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        out.append(f"| {r['dim']} | {r['w2v_exact_qps']:,.0f}, {r['faiss_flat_qps']:,.0f} | "
                   f"{r['w2v_exact_qps'] / r['faiss_flat_qps']:.2f}× | "
                   f"{r['w2v_exact_cpu_qps_1t']:,.0f}, {r['faiss_flat_cpu_qps_1t']:,.0f} | {r['w2v_exact_recall']:.4f} | "
                   f"{r['nearest_ms']['best']:.0f} / {r['nearest_ms']['median']:.0f} |")
    return "\n".join(out) + "\n"


def svg(results):
    """recall@10 (x) against queries per CPU second (y, log scale), one panel per dim."""
    colors = {"w2v": "#d62728", "hnswlib": "#1f77b4", "faiss": "#2ca02c"}
    pw, ph, ml, mb, mt = 360, 260, 60, 40, 30
    w = len(results) * (pw + ml) + 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{ph + mb + mt + 30}" '
             'font-family="sans-serif" font-size="11">', f'<rect width="{w}" height="{ph + mb + mt + 30}" fill="white"/>']
    for i, r in enumerate(results):
        x0, y0 = 20 + i * (pw + ml) + ml, mt
        pts = [p for t in colors for p in r[t]]
        lo = np.log10(min(p["cpu_qps"] for p in pts)) - 0.1
        hi = np.log10(max(p["cpu_qps"] for p in pts)) + 0.1
        rmin = min(0.8, min(p["recall"] for p in pts))

        def X(rec):
            return x0 + (rec - rmin) / (1 - rmin) * pw

        def Y(qps):
            return y0 + ph - (np.log10(qps) - lo) / (hi - lo) * ph
        parts.append(f'<rect x="{x0}" y="{y0}" width="{pw}" height="{ph}" fill="none" stroke="#444"/>')
        parts.append(f'<text x="{x0 + pw / 2}" y="{y0 - 10}" text-anchor="middle">dim {r["dim"]}, '
                     f'{r["rows"]:,} words, 1 thread</text>')
        parts.append(f'<text x="{x0 + pw / 2}" y="{y0 + ph + 30}" text-anchor="middle">recall@10</text>')
        parts.append(f'<text x="{x0 - 45}" y="{y0 + ph / 2}" text-anchor="middle" '
                     f'transform="rotate(-90 {x0 - 45} {y0 + ph / 2})">queries per CPU second</text>')
        for e in range(int(np.ceil(lo)), int(np.floor(hi)) + 1):
            parts.append(f'<text x="{x0 - 4}" y="{Y(10 ** e) + 4:.1f}" text-anchor="end">1e{e}</text>')
            parts.append(f'<line x1="{x0}" x2="{x0 + pw}" y1="{Y(10 ** e):.1f}" y2="{Y(10 ** e):.1f}" stroke="#ddd"/>')
        for t in np.linspace(rmin, 1, 5):
            parts.append(f'<text x="{X(t):.1f}" y="{y0 + ph + 14}" text-anchor="middle">{t:.2f}</text>')
        x95 = X(0.95)
        parts.append(f'<line x1="{x95:.1f}" x2="{x95:.1f}" y1="{y0}" y2="{y0 + ph}" stroke="#aaa" stroke-dasharray="4"/>')
        for j, (tool, c) in enumerate(colors.items()):
            ps = sorted(r[tool], key=lambda p: p["recall"])
            path = " ".join(f"{X(p['recall']):.1f},{Y(p['cpu_qps']):.1f}" for p in ps)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="1.5"/>')
            for p in ps:
                parts.append(f'<circle cx="{X(p["recall"]):.1f}" cy="{Y(p["cpu_qps"]):.1f}" r="2.5" fill="{c}"/>')
            parts.append(f'<text x="{x0 + 8}" y="{y0 + 16 + 14 * j}" fill="{c}">{tool}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus-script", default=os.environ.get("BENCH_CORPUS_SCRIPT", "../shared/data/make-corpus.sh"))
    p.add_argument("--words", type=int, default=0, help="corpus words (0: the whole corpus)")
    p.add_argument("--dims", default="100,300")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--queries", type=int, default=10000)
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--efc", type=int, default=200)
    p.add_argument("--efs", default="10,20,40,80,160,320,640,1280,2560")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--out", default="bench-out/ann")
    p.add_argument("--w2v", default="bin/w2v")
    p.add_argument("--annquery", default="bin/annquery")
    a = p.parse_args()
    a.efs = [int(x) for x in a.efs.split(",")]
    os.makedirs(a.out, exist_ok=True)
    corpus = os.path.join(a.out, "corpus.txt")
    cmd = ["bash", a.corpus_script, corpus] + ([str(a.words)] if a.words else [])
    subprocess.run(cmd, check=True)
    with open(corpus, "rb") as f:
        words = sum(chunk.count(b" ") for chunk in iter(lambda: f.read(1 << 24), b"")) + 1
    meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, shared",
            "load_before": "%.1f" % os.getloadavg()[0], "m": a.m, "efc": a.efc, "threads": a.threads,
            "epochs": a.epochs, "corpus_words": f"{words:,}", "efs": a.efs}
    results = [bench_dim(a, int(d), corpus, a.out) for d in a.dims.split(",")]
    meta["load_after"] = "%.1f" % os.getloadavg()[0]
    with open(os.path.join(a.out, "ann.json"), "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    md = table(results, meta)
    with open(os.path.join(a.out, "ann.md"), "w") as f:
        f.write(md)
    with open(os.path.join(a.out, "ann.svg"), "w") as f:
        f.write(svg(results))
    print(md)


if __name__ == "__main__":
    main()
