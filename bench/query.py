#!/usr/bin/env python3
"""Query-side benchmark: w2v against gensim 4 on the same synthetic vectors.

Run through bench/query.sh, which builds w2v first. Measures, each tool in a
child process of its own (peak RSS from os.wait4):

  load     reading a WORDS x DIM word2vec binary file: gensim's
           KeyedVectors.load_word2vec_format (timed inside the child, so
           Python and gensim start-up are not counted) against a whole
           `w2v nearest -m FILE` process that loads the file and exits;
           then w2v opening the same vectors converted to its native format.
  eval     the whole questions-words.txt evaluation at restrict 30000:
           gensim's evaluate_word_analogies (timed inside the child, the
           model already loaded) against a whole `w2v analogy --questions`
           process, loading included.

Vectors are random, with every word of questions-words.txt among the first
rows so all questions are answered. Files go to --out (bench-out/query by
default, ignored by git) and are reused when their size matches. The
machine may be shared: every measurement is repeated (--repeat) and the
best time kept, and CPU times are shown beside wall times.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

GENSIM_PY = "/usr/bin/python3"  # Debian's python3-gensim

GENSIM_LOAD = r"""
import json, sys, time
from gensim.models import KeyedVectors
t, c = time.perf_counter(), time.process_time()
kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=True)
print(json.dumps({"wall": time.perf_counter() - t, "cpu": time.process_time() - c, "words": len(kv)}))
"""

GENSIM_EVAL = r"""
import json, sys, time
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=True)
t, c = time.perf_counter(), time.process_time()
score, sections = kv.evaluate_word_analogies(sys.argv[2], restrict_vocab=30000, case_insensitive=True)
print(json.dumps({"wall": time.perf_counter() - t, "cpu": time.process_time() - c, "accuracy": score,
                  "answered": sum(len(s["correct"]) + len(s["incorrect"]) for s in sections[:-1])}))
"""


def best(repeat, cmd):
    """Runs cmd repeat times; returns the run with the least wall time."""
    return min((child(cmd) for _ in range(repeat)), key=lambda r: r[1])


def best_json(repeat, cmd):
    """Runs a child that reports its own "wall" in JSON; returns the best
    report, with the peak RSS of its process added as "rss"."""
    runs = []
    for _ in range(repeat):
        out, _, _, rss = child(cmd)
        runs.append(dict(json.loads(out), rss=rss))
    return min(runs, key=lambda r: r["wall"])


def child(cmd, stdin=b""):
    """Runs cmd; returns stdout, wall seconds, CPU seconds, peak RSS bytes."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=out, stderr=err)
        p.stdin.write(stdin)
        p.stdin.close()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if p.returncode != 0:
            sys.exit(f"{' '.join(cmd)}: exit {p.returncode}\n{err.read().decode(errors='replace')}")
        return out.read(), wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024


def question_words(path):
    seen, words = set(), []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith(":"):
                continue
            for w in line.lower().split():
                if w not in seen:
                    seen.add(w)
                    words.append(w)
    return words


def write_vectors(path, first_words, n, dim):
    """A random n x dim word2vec binary file, first_words first."""
    if os.path.exists(path):
        return
    tmp = path + ".tmp"
    rng = np.random.default_rng(1)
    with open(tmp, "wb", buffering=1 << 20) as f:
        f.write(b"%d %d\n" % (n, dim))
        chunk = 50000
        for lo in range(0, n, chunk):
            rows = rng.standard_normal((min(chunk, n - lo), dim), dtype=np.float32)
            for i, row in enumerate(rows):
                j = lo + i
                w = first_words[j] if j < len(first_words) else "w%07d" % j
                f.write(w.encode() + b" " + row.tobytes() + b"\n")
    os.replace(tmp, path)


def mib(b):
    return b / (1 << 20)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--w2v", required=True, help="the w2v binary")
    ap.add_argument("--questions", required=True, help="questions-words.txt")
    ap.add_argument("--out", default="bench-out/query", help="directory for the synthetic files")
    ap.add_argument("--words", type=int, default=1_000_000, help="rows of the load benchmark's file")
    ap.add_argument("--eval-words", type=int, default=100_000, help="rows of the eval benchmark's file")
    ap.add_argument("--dim", type=int, default=300)
    ap.add_argument("--skip", default="", help="comma-separated stages to skip: load, eval")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each measurement; the best is kept")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    os.makedirs(args.out, exist_ok=True)
    qwords = question_words(args.questions)
    rows = []  # (what, gensim, w2v, ratio or note)

    if "load" not in skip:
        big = os.path.join(args.out, f"random-{args.words}x{args.dim}.bin")
        native = big[:-4] + ".w2v"
        print(f"writing {big} ...", file=sys.stderr)
        write_vectors(big, qwords, args.words, args.dim)
        matrix = args.words * args.dim * 4
        # Warm the page cache so both tools read from memory.
        with open(big, "rb") as f:
            while f.read(1 << 24):
                pass
        print("gensim load ...", file=sys.stderr)
        g = best_json(args.repeat, [GENSIM_PY, "-c", GENSIM_LOAD, big])
        grss = g["rss"]
        print("w2v load ...", file=sys.stderr)
        _, wwall, wcpu, wrss = best(args.repeat, [args.w2v, "nearest", "-m", big])
        child([args.w2v, "convert", big, "-o", native])
        _, nwall, ncpu, nrss = best(args.repeat, [args.w2v, "nearest", "-m", native])
        _, qwall, _, _ = best(args.repeat, [args.w2v, "nearest", "-m", native, "king"])
        label = f"{args.words:,} x {args.dim} binary"
        rows += [
            (f"load {label}: seconds (wall)", f"{g['wall']:.2f}", f"{wwall:.2f}", f"{g['wall'] / wwall:.1f}x faster"),
            ("  CPU seconds", f"{g['cpu']:.2f}", f"{wcpu:.2f}", f"{g['cpu'] / wcpu:.1f}x less"),
            (f"  peak RSS MiB (matrix {mib(matrix):.0f})", f"{mib(grss):.0f}", f"{mib(wrss):.0f}",
             f"w2v {wrss / matrix:.2f}x the matrix"),
            ("open the same, w2v native: seconds (wall)", "", f"{nwall:.3f}", f"peak RSS {mib(nrss):.0f} MiB"),
            ("  open + one nearest query", "", f"{qwall:.3f}", ""),
        ]

    if "eval" not in skip:
        ev = os.path.join(args.out, f"random-{args.eval_words}x{args.dim}.bin")
        print(f"writing {ev} ...", file=sys.stderr)
        write_vectors(ev, qwords, args.eval_words, args.dim)
        print("gensim evaluate_word_analogies ...", file=sys.stderr)
        g = best_json(args.repeat, [GENSIM_PY, "-c", GENSIM_EVAL, ev, args.questions])
        print("w2v analogy --questions ...", file=sys.stderr)
        out, wwall, wcpu, _ = best(args.repeat, [args.w2v, "analogy", "-m", ev, "--questions", args.questions,
                                                 "--restrict", "30000", "--json"])
        w = json.loads(out)
        if w["total"]["answered"] != g["answered"]:
            sys.exit(f"w2v answered {w['total']['answered']} questions, gensim {g['answered']}")
        label = f"{args.eval_words:,} x {args.dim}"
        rows += [
            (f"questions-words.txt, restrict 30000, {label}: seconds (wall)", f"{g['wall']:.2f}", f"{wwall:.2f}",
             f"{g['wall'] / wwall:.1f}x faster"),
            ("  CPU seconds", f"{g['cpu']:.2f}", f"{wcpu:.2f}", f"{g['cpu'] / wcpu:.1f}x less"),
            ("  questions answered", f"{g['answered']:,}", f"{w['total']['answered']:,}",
             f"w2v search alone {w['seconds']:.2f} s"),
        ]

    width = max(len(r[0]) for r in rows)
    print(f"{'':{width}}  {'gensim':>9}  {'w2v':>9}  ")
    for what, g, w, note in rows:
        print(f"{what:{width}}  {g:>9}  {w:>9}  {note}")


if __name__ == "__main__":
    main()
