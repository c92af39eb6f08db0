#!/usr/bin/python3
"""Loading a fastText .bin model: w2v against gensim.

Trains a fastText model with Debian's fasttext (skip-gram, dim 300, 2M
buckets, one epoch over the Wikipedia slice in testdata, so the file holds
the full 2M x 300 bucket matrix, about 2.4 GB), converts it to w2v's native
format, then times, interleaved, from process start to answer:

  w2v-bin     w2v nearest -m model.bin (a word in the vocabulary)
  w2v-oov     w2v nearest -m model.bin (an unseen word: its subword vector)
  gensim      gensim's load_facebook_vectors, then most_similar; timed
              inside Python (import excluded) and as a whole process
  native-oov  w2v nearest -m model.w2v (an unseen word), the native copy

and prints the best and the spread of each, the ratios, the CPU time
(user + system, which a shared machine's load distorts less than the wall
time) and peak RSS (GNU time's %U, %S and %M). The page cache is warmed by a
first untimed run of each.

  /usr/bin/python3 bench/fasttext_load.py --out /tmp/ftload --runs 3
"""

import argparse
import gzip
import os
import subprocess
import sys
import time

GENSIM = r"""
import sys, time
t0 = time.perf_counter()
from gensim.models.fasttext import load_facebook_vectors
t1 = time.perf_counter()
wv = load_facebook_vectors(sys.argv[1])
ans = wv.most_similar(sys.argv[2], topn=10)
t2 = time.perf_counter()
print("gensim import %.3f load+query %.3f first %s" % (t1 - t0, t2 - t1, ans[0][0]))
"""


def timed(cmd):
    """Runs cmd under GNU time; returns (wall seconds, CPU seconds, peak RSS KiB, stdout)."""
    full = ["/usr/bin/time", "-f", "@@%e %M %U %S"] + cmd
    t0 = time.perf_counter()
    p = subprocess.run(full, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("failed: %s\n%s%s" % (" ".join(cmd), p.stdout, p.stderr))
    f = [l for l in p.stderr.splitlines() if l.startswith("@@")][-1][2:].split()
    return wall, float(f[2]) + float(f[3]), int(f[1]), p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--w2v", default="bin/w2v")
    ap.add_argument("--out", default="bench-out/fasttext")
    ap.add_argument("--corpus", default="testdata/enwiki-2m.txt.gz")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--word", default="king")
    ap.add_argument("--unseen", default="accomodation")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    prefix = os.path.join(a.out, "ft300")
    model, native = prefix + ".bin", prefix + ".w2v"
    if not os.path.exists(model):
        text = os.path.join(a.out, "corpus.txt")
        with gzip.open(a.corpus, "rb") as src, open(text, "wb") as dst:
            dst.write(src.read())
        print("training fastText (dim 300, 2M buckets, 1 epoch) ...", flush=True)
        subprocess.run(["fasttext", "skipgram", "-input", text, "-output", prefix, "-dim", "300",
                        "-bucket", "2000000", "-epoch", "1", "-minCount", "5", "-thread", "2",
                        "-verbose", "0"], check=True)
        os.remove(text)
    size = os.path.getsize(model)
    print("model %s: %.2f GB" % (model, size / 1e9))
    wall, cpu, rss, _ = timed([a.w2v, "convert", model, "-o", native])
    print("convert to native: %.2f s (CPU %.2f s), peak RSS %.0f MB" % (wall, cpu, rss / 1024))

    tools = {
        "w2v-bin": [a.w2v, "nearest", "-m", model, "-k", "10", a.word],
        "w2v-oov": [a.w2v, "nearest", "-m", model, "-k", "10", a.unseen],
        "gensim": ["/usr/bin/python3", "-c", GENSIM, model, a.word],
        "native-oov": [a.w2v, "nearest", "-m", native, "-k", "10", a.unseen],
    }
    times = {k: [] for k in tools}
    cpus = {k: [] for k in tools}
    rss = {k: 0 for k in tools}
    inner = []
    for r in range(a.runs + 1):  # run 0 warms the page cache
        for name, cmd in tools.items():
            wall, cpu, peak, out = timed(cmd)
            if r == 0:
                continue
            times[name].append(wall)
            cpus[name].append(cpu)
            rss[name] = max(rss[name], peak)
            if name == "gensim":
                inner.append(float(out.split("load+query ")[1].split()[0]))
    with open("/proc/loadavg") as f:
        load = f.read().split()[:3]
    print("\n%-12s %9s %9s %9s %10s   (%d runs, interleaved; load average %s)" % ("", "best s", "spread s", "best CPU s", "peak MB", a.runs, " ".join(load)))
    for name in tools:
        t = times[name]
        print("%-12s %9.3f %9.3f %9.3f %10.0f" % (name, min(t), max(t) - min(t), min(cpus[name]), rss[name] / 1024))
    print("%-12s %9.3f %9.3f %10s" % ("gensim-inner", min(inner), max(inner) - min(inner), "(load_facebook_vectors + most_similar, import excluded)"))
    print("\nw2v .bin vs gensim load+query (import excluded): %.1fx faster" % (min(inner) / min(times["w2v-bin"])))
    print("w2v .bin vs gensim whole process: %.1fx faster (CPU time: %.1fx less)" % (min(times["gensim"]) / min(times["w2v-bin"]), min(cpus["gensim"]) / min(cpus["w2v-bin"])))
    print("native, process start to OOV answer: %.0f ms" % (1000 * min(times["native-oov"])))


if __name__ == "__main__":
    main()
