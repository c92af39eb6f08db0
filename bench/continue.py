#!/usr/bin/python3
"""continue.py - `make bench-continue`: continue training on new text, w2v against gensim.

Usage: /usr/bin/python3 bench/continue.py CORPUS
(normally through bench/continue.sh, which builds bin/w2v and makes CORPUS).

CORPUS is a single-line text8-style file of at least 2 × BENCH_HALF_WORDS words
(default 5,000,000). Its first half and its second half are copied, with a line
break every 1,000 words (gensim's corpus_file mode needs them; both tools train
on the copies), to BENCH_OUT/continue/. Then:

1. each tool trains a model on the first half (sg-ns, dim BENCH_DIM, the main
   bench's reference settings, BENCH_THREADS threads) and keeps it: w2v with
   --save-model, gensim with Word2Vec.save (bench/gensim_continue.py base);
2. each tool continues its model on the second half, BENCH_REPEAT times,
   interleaved (w2v, gensim, w2v, gensim, ...): w2v train --continue;
   gensim build_vocab(update=True) then train (gensim_continue.py continue).
   Each run is timed as a whole process (start to exit, loading the model and
   writing the vectors included) by bench/measure.py; words/s = the second
   half's words × epochs ÷ wall s;
3. the four vector files (each tool's first-half and continued model) are
   evaluated by bench/evalvec.py (analogy, restrict_vocab 30,000, every file
   in the first half's word order; WS-353);
4. the words that occur only in the second half and got vectors are counted,
   and the nearest neighbours of the most frequent few are listed.

The table goes to stdout and BENCH_OUT/continue/results.md, everything measured
to BENCH_OUT/continue/results.json. Standard library only.

BENCH_SUBWORDS=1 (default 0) runs the same steps on fastText's subword
skip-gram, the main bench's sg-sub mode (MODES in bench/bench.py: n-grams of 3-6
characters in 2,000,000 buckets, alpha 0.05): w2v trains with --subwords --minn 3
--maxn 6 --buckets 2000000 and keeps writing text vectors (a subword model's
.txt holds the words' full vectors, their own row and their n-grams' together);
gensim trains FastText(corpus_file=...) and continues it with the same
build_vocab(update=True) and train (gensim_continue.py ... model=FastText). The
words are evaluated from the text vectors as in the default mode (no OOV
vectors). Everything goes to BENCH_OUT/continue-sub/ instead, so the two modes'
results can sit side by side; the table's first line names the mode.
"""
import json
import os
import shlex
import subprocess
import sys
from collections import Counter
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import linebreak  # noqa: E402
# bench.py does nothing on import: its reference settings and modes are the one
# source for both benches.
from bench import MODES, REFERENCE  # noqa: E402


def env(name, default):
    v = os.environ.get(name)
    return default if v in (None, "") else v


def say(msg):
    print(f"bench-continue: {msg}", file=sys.stderr, flush=True)


def die(msg):
    say(f"error: {msg}")
    sys.exit(2)


def without_format(flags):
    """flags less --format and its value: sg-sub's w2v flags ask for a fastText
    .bin, but this bench evaluates every tool's text vectors."""
    out, skip = [], False
    for f in flags:
        if skip:
            skip = False
        elif f == "--format":
            skip = True
        elif not f.startswith("--format="):
            out.append(f)
    return out


def split_halves(corpus, half, out_dir):
    """Writes the first and second half words of corpus, line-broken, and
    returns their paths and the first half's set of distinct words."""
    with open(corpus) as f:
        words = f.read().split()
    if len(words) < 2 * half:
        die(f"{corpus} has {len(words):,} words, fewer than 2 × {half:,}")
    paths = []
    for i, name in enumerate(("first", "second")):
        single = os.path.join(out_dir, f"{name}.txt")
        lines = os.path.join(out_dir, f"{name}.lines.txt")
        with open(single, "w") as f:
            f.write(" ".join(words[i * half:(i + 1) * half]))
        linebreak.linebreak(single, lines, 1000)
        os.remove(single)
        paths.append(lines)
    return paths, set(words[:half]), Counter(words[half:2 * half])


def run_timed(py, argv, log_path):
    """Runs argv through bench/measure.py; returns its wall time and rusage."""
    result = log_path + ".rusage.json"
    load = os.getloadavg()
    with open(log_path, "wb") as log:
        log.write(("$ " + shlex.join(argv) + "\n").encode())
        log.flush()
        p = subprocess.run([py, "-S", "-I", os.path.join(HERE, "measure.py"), result] + argv,
                           stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        with open(result) as f:
            r = json.load(f)
    except (OSError, ValueError):
        r = {"exit": p.returncode}
    r["load_before"] = [round(x, 2) for x in load]
    r["command"] = shlex.join(argv)
    if r.get("exit") != 0:
        with open(log_path, errors="replace") as f:
            tail = f.read().splitlines()[-5:]
        die(f"{argv[0]} failed (exit {r.get('exit')}); the end of {log_path}:\n" + "\n".join(tail))
    return r


def check_text(vec):
    """Stops unless vec starts as a word2vec text file does ("WORDS DIM"):
    evalvec.py would take a fastText .bin too, and score it with the n-gram
    vectors of unseen words, so the four files would not be evaluated alike."""
    with open(vec, "rb") as f:
        line = f.readline(64)
    head = line.split()
    if len(head) != 2 or not all(x.isdigit() for x in head):
        die(f"{vec} is not a word2vec text file (it starts {line[:16]!r})")


def evaluate(py, data, order, vec):
    check_text(vec)
    p = subprocess.run([py, os.path.join(HERE, "evalvec.py"), "--json", "--data", data, "--order", order, vec],
                       capture_output=True, text=True)
    if p.returncode != 0:
        die(f"evalvec.py {vec}: " + (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1])
    return json.loads(p.stdout.strip().splitlines()[-1])


def vocab_of(vec):
    with open(vec, errors="replace") as f:
        f.readline()
        return [line.split(" ", 1)[0] for line in f]


def main(argv):
    if len(argv) != 1:
        die("usage: continue.py CORPUS")
    corpus = argv[0]
    py = env("BENCH_PYTHON", "/usr/bin/python3")
    w2v = os.path.abspath(env("BENCH_W2V", os.path.join(ROOT, "bin", "w2v")))
    half = int(env("BENCH_HALF_WORDS", "5000000"))
    dim = int(env("BENCH_DIM", "100"))
    threads = int(env("BENCH_THREADS", "2"))
    repeat = int(env("BENCH_REPEAT", "2"))
    data = os.path.abspath(env("BENCH_DATA", os.path.join(ROOT, "testdata")))
    subwords = env("BENCH_SUBWORDS", "0")
    if subwords not in ("0", "1"):
        die(f"BENCH_SUBWORDS must be 0 or 1, got {subwords!r}")
    subwords = subwords == "1"
    mode = "sg-sub" if subwords else "sg-ns"
    out = os.path.join(os.path.abspath(env("BENCH_OUT", os.path.join(ROOT, "bench-out"))),
                       "continue-sub" if subwords else "continue")
    os.makedirs(out, exist_ok=True)
    started = datetime.now(timezone.utc)
    s = dict(REFERENCE, **MODES[mode]["settings"])

    say(f"splitting {corpus} into two halves of {half:,} words")
    (first, second), first_words, second_counts = split_halves(corpus, half, out)
    second_total = sum(second_counts.values())
    order = os.path.join(out, "order.txt")
    with open(first) as f:
        c = Counter(f.read().split())
    with open(order, "w") as f:
        for w, n in sorted(((w, n) for w, n in c.items() if n >= s["min_count"]), key=lambda x: (-x[1], x[0])):
            f.write(f"{w} {n}\n")
    del c

    p = lambda name: os.path.join(out, name)  # noqa: E731
    w2v_flags = ["--dim", str(dim), "--window", str(s["window"]), "--negative", str(s["negative"]),
                 "--sample", s["sample"], "--min-count", str(s["min_count"]), "--epochs", str(s["epochs"]),
                 "--alpha", s["alpha"]] + without_format(MODES[mode]["w2v"]) + ["--threads", str(threads), "--quiet"]
    # sg-ns: sg=1; sg-sub: sg=1 model=FastText min_n=3 max_n=6 bucket=2000000.
    gensim_mode = [f"{k}={v}" for k, v in MODES[mode]["gensim"].items()]
    gensim_kw = gensim_mode + [f"vector_size={dim}", f"window={s['window']}", f"negative={s['negative']}",
                               f"sample={s['sample']}", f"min_count={s['min_count']}", f"epochs={s['epochs']}",
                               f"alpha={s['alpha']}", f"workers={threads}"]
    # continue needs only the class to load the model with; the rest is the model's.
    gensim_kind = [kv for kv in gensim_mode if kv.startswith("model=")]
    gc = os.path.join(HERE, "gensim_continue.py")
    runs = {"w2v": {}, "gensim": {}}
    say("training the first-half models")
    runs["w2v"]["base"] = run_timed(py, [w2v, "train", first, "-o", p("w2v-first.txt"), "--save-model",
                                         p("w2v-first.w2vm")] + w2v_flags, p("w2v-base.log"))
    runs["gensim"]["base"] = run_timed(py, [py, gc, "base", first, p("gensim-first.txt"), p("gensim-first.model")]
                                       + gensim_kw, p("gensim-base.log"))
    for tool in runs:
        runs[tool]["continue"] = []
    for i in range(repeat):
        for tool in ("w2v", "gensim"):
            say(f"continue {i + 1}/{repeat}: {tool}")
            if tool == "w2v":
                argv = [w2v, "train", "--continue", p("w2v-first.w2vm"), second, "-o", p("w2v-continued.txt"),
                        "--threads", str(threads), "--quiet"]
            else:
                argv = [py, gc, "continue", p("gensim-first.model"), second, p("gensim-continued.txt")] + gensim_kind
            r = run_timed(py, argv, p(f"{tool}-continue-{i + 1}.log"))
            r["words_per_s"] = second_total * s["epochs"] / r["wall_s"]
            # On a shared machine the wall time depends on the others' load;
            # the CPU time it took does much less.
            r["words_per_cpu_s"] = second_total * s["epochs"] / (r["user_s"] + r["sys_s"])
            runs[tool]["continue"].append(r)

    say("evaluating")
    evals = {}
    for tool in runs:
        for stage in ("first", "continued"):
            evals[f"{tool}-{stage}"] = evaluate(py, data, order, p(f"{tool}-{stage}.txt"))

    only_second = {}
    for tool in runs:
        words = vocab_of(p(f"{tool}-continued.txt"))
        only_second[tool] = [w for w in words if w not in first_words]
    # The most frequent second-half-only words that both tools have.
    both = set(only_second["gensim"])
    probe = [w for w in only_second["w2v"] if w in both and w.isalpha()][:int(env("BENCH_PROBES", "6"))]
    neighbours = {}
    for tool in runs:
        r = subprocess.run([py, gc, "neighbours", "5", p(f"{tool}-continued.txt")] + probe,
                           capture_output=True, text=True)
        if r.returncode != 0:
            die(f"neighbours {tool}: {r.stderr.strip().splitlines()[-1:]}")
        neighbours[tool] = json.loads(r.stdout.strip().splitlines()[-1])

    def best(tool):
        return max(r["words_per_s"] for r in runs[tool]["continue"])

    def spread(tool):
        xs = [r["words_per_s"] for r in runs[tool]["continue"]]
        return (max(xs) - min(xs)) / max(xs) * 100

    title = "Continue training"
    if subwords:
        title += (f", subword skip-gram (sg-sub: w2v {' '.join(without_format(MODES[mode]['w2v']))}; gensim "
                  f"FastText {' '.join(kv for kv in gensim_mode if not kv.startswith(('sg=', 'model=')))}; "
                  f"alpha {s['alpha']} for both)")
    md = [f"{title}: {half:,} words, then the next {half:,} (BENCH_OUT {out}); "
          f"{started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, load before the continue runs "
          + ", ".join("/".join(f"{x:.2f}" for x in r["load_before"]) for t in runs for r in runs[t]["continue"]),
          "",
          "| tool | analogy, first half | analogy, continued | WS-353, continued | vocabulary | words only in the 2nd half with vectors | continue: best words/s | spread | best wall s | words/CPU s | peak RSS MiB |",
          "|---|---|---|---|---|---|---|---|---|---|---|"]
    for tool in runs:
        e1, e2 = evals[f"{tool}-first"], evals[f"{tool}-continued"]
        rs = runs[tool]["continue"]
        md.append(f"| {tool} | {e1['analogy']['total']:.1f}% | {e2['analogy']['total']:.1f}% | {e2['ws353']['spearman']:.3f} | "
                  f"{len(vocab_of(p(f'{tool}-continued.txt'))):,} | {len(only_second[tool]):,} | "
                  f"{best(tool) / 1e3:,.0f}k | {spread(tool):.0f}% | {min(r['wall_s'] for r in rs):.1f} | "
                  f"{max(r['words_per_cpu_s'] for r in rs) / 1e3:,.0f}k | "
                  f"{max(r['maxrss_kib'] for r in rs) / 1024:.0f} |")
    n = {evals[k]['analogy']['n'] for k in evals}
    md += ["", f"Analogy: questions-words.txt, the {'/'.join(map(str, sorted(n)))} questions among the first half's "
           "30,000 most frequent words (every file put in the first half's word order, so all four answer the same "
           "questions; bench/evalvec.py --order). WS-353: Spearman's rho.",
           "", f"w2v's continue step: {best('w2v') / best('gensim'):.2f}× gensim's words/s (best of "
           f"{repeat} each, interleaved). words/s = {second_total:,} second-half words × {s['epochs']} epochs ÷ wall s "
           "of the whole process (loading the model and writing the vectors included); "
           "words/CPU s divides by its user + system CPU time instead.", "",
           "Nearest neighbours (cosine, top 5) of the most frequent words found only in the second half:", "",
           "| word | 2nd-half count | w2v | gensim |", "|---|---|---|---|"]
    for w in probe:
        cells = [", ".join(n for n, _ in (neighbours[t].get(w) or [])) for t in runs]
        md.append(f"| {w} | {second_counts[w]:,} | {cells[0]} | {cells[1]} |")
    text = "\n".join(md) + "\n"
    print(text)
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(text)
    results = {"started": started.isoformat(), "half_words": half, "dim": dim, "threads": threads,
               "settings": s, "second_half_words": second_total, "runs": runs, "eval": evals,
               "only_second_half": {t: len(v) for t, v in only_second.items()}, "probes": probe,
               "neighbours": neighbours}
    if subwords:
        # Only in this mode, so that the default mode's results.json stays as it was.
        results["mode"] = mode
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
