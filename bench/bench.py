#!/usr/bin/python3
"""bench.py - train w2v, gensim and fastText side by side and compare them.

Usage: /usr/bin/python3 bench/bench.py CORPUS
(normally through bench/run.sh, which builds bin/w2v, installs the peers and
makes CORPUS first; see bench/README.md for the environment variables).

CORPUS is a single-line text8-style file from make-corpus.sh (its word count is
read from CORPUS.stamp). A copy with line breaks every BENCH_LINE_WORDS words is
made beside it (CORPUS minus .txt plus .lines.txt). For each dimension in
BENCH_DIMS, every row trains one tool, one process at a time, and is timed as a
whole process (start to exit, including reading the corpus, building the
vocabulary and writing the vectors); peak RSS is the child's ru_maxrss from
wait4. Then every tool's vectors are evaluated by bench/evalvec.py (gensim), the
same way. The table goes to stdout and to BENCH_OUT/results.md; everything
measured (commands, all repeats, self-reported phases) to BENCH_OUT/results.json.

Standard library only: gensim is used only by the child processes.
"""
import json
import os
from collections import Counter
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import linebreak  # noqa: E402

# Reference settings (from the project's issues). A mode may override some.
REFERENCE = {"window": 5, "negative": 5, "sample": "1e-4", "min_count": 5, "epochs": 5, "alpha": "0.025"}

# Training modes: one line each. "settings" overrides REFERENCE; the tool keys
# give that tool's own way of asking for the mode (w2v: extra flags; gensim:
# Word2Vec keyword arguments; fasttext: the command, then extra flags).
MODES = {
    "sg-ns": {"settings": {}, "w2v": [], "gensim": {"sg": 1}, "fasttext": ["skipgram"]},
    "cbow-ns": {"settings": {"alpha": "0.05"}, "w2v": ["--model", "cbow"], "gensim": {"sg": 0}, "fasttext": ["cbow"]},
    "sg-hs": {"settings": {"negative": 0}, "w2v": ["--hs"], "gensim": {"sg": 1, "hs": 1}, "fasttext": ["skipgram", "-loss", "hs"]},
    "cbow-hs": {"settings": {"negative": 0, "alpha": "0.05"}, "w2v": ["--model", "cbow", "--hs"], "gensim": {"sg": 0, "hs": 1}, "fasttext": ["cbow", "-loss", "hs"]},
    # fastText's subword model (issue 12): n-grams of 3-6 characters in 2M buckets, fastText's
    # learning rate for every tool. Each tool writes a fastText .bin, evaluated with OOV vectors.
    "sg-sub": {"settings": {"alpha": "0.05"}, "subwords": True,
               "w2v": ["--subwords", "--minn", "3", "--maxn", "6", "--buckets", "2000000", "--format", "fasttext"],
               "gensim": {"sg": 1, "model": "FastText", "min_n": 3, "max_n": 6, "bucket": 2000000},
               "fasttext": ["skipgram", "-minn", "3", "-maxn", "6", "-bucket", "2000000"]},
}
TOOLS = ("w2v", "gensim", "fasttext")

# Rows: "TOOL[/MODE][@CORPUS][:N] [EXTRA FLAGS]", one string per row. MODE defaults
# to sg-ns, CORPUS to lines (the line-broken copy; "single" = the single-line
# file). ":N" runs the row only in the first N of the BENCH_REPEAT repeats (default
# all), e.g. "gensim:2" or "w2v/sg-ns:2 --shared-negatives=false". EXTRA FLAGS are
# the tool's own: w2v/fastText flags, gensim KEY=VALUE.
# w2v's skip-gram with negative sampling trains on shared negatives by default;
# "--shared-negatives=false" is word2vec's per-pair updates.
DEFAULT_EXTRA_ROWS = ("w2v@single; w2v --shared-negatives=false; w2v --loss softmax --temperature 1; "
                      "w2v --loss softmax --temperature 0.5")
# How each tool is given a seed (BENCH_SEEDS=1): w2v/fastText flag, gensim keyword.
SEED_FLAGS = {"w2v": "--seed", "gensim": "seed", "fasttext": "-seed"}


def rel(path, start=ROOT):
    """path relative to the repository root when inside it, else absolute."""
    r = os.path.relpath(path, start)
    return path if r.startswith("..") else r


def env(name, default):
    v = os.environ.get(name)
    return default if v is None else v


def die(msg):
    print(f"bench: error: {msg}", file=sys.stderr)
    sys.exit(2)


def say(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


@dataclass
class Row:
    spec: str
    tool: str
    mode: str
    corpus: str
    extra: list = field(default_factory=list)
    repeat: int = None  # runs only in the first `repeat` repeats; None: all

    @property
    def id(self):
        s = f"{self.tool}-{self.mode}" + ("-single" if self.corpus == "single" else "")
        if self.extra:
            s += "-" + re.sub(r"[^A-Za-z0-9.]+", "-", " ".join(self.extra)).strip("-")
        return s

    @property
    def label(self):
        parts = [self.mode] + self.extra
        if self.corpus == "single":
            parts.append("[single-line file]")
        return " ".join(parts)


def parse_row(spec):
    words = shlex.split(spec)
    if not words:
        return None
    m = re.fullmatch(r"([a-z0-9]+)(?:/([a-z0-9-]+))?(?:@([a-z]+))?(?::([0-9]+))?", words[0])
    if not m:
        die(f"bad row {spec!r}: expected TOOL[/MODE][@CORPUS][:N] [FLAGS...]")
    tool, mode, corpus = m.group(1), m.group(2) or "sg-ns", m.group(3) or "lines"
    if tool not in TOOLS:
        die(f"bad row {spec!r}: tool must be one of {', '.join(TOOLS)}")
    if mode not in MODES:
        die(f"bad row {spec!r}: mode must be one of {', '.join(MODES)}")
    if corpus not in ("lines", "single"):
        die(f"bad row {spec!r}: corpus must be lines or single")
    repeat = None if m.group(4) is None else int(m.group(4))
    if repeat == 0:
        die(f"bad row {spec!r}: :N must be at least 1")
    return Row(spec.strip(), tool, mode, corpus, words[1:], repeat)


def rows_from_env():
    tools = env("BENCH_TOOLS", " ".join(TOOLS)).split()
    for t in tools:
        if t not in TOOLS:
            die(f"BENCH_TOOLS: unknown tool {t!r} (known: {' '.join(TOOLS)})")
    if "BENCH_ROWS" in os.environ:
        specs = os.environ["BENCH_ROWS"].split(";")
    else:
        modes = env("BENCH_MODES", " ".join(MODES)).split()
        specs = [f"{t}/{m}" for m in modes for t in TOOLS]
        specs += env("BENCH_EXTRA_ROWS", DEFAULT_EXTRA_ROWS).split(";")
    rows, seen = [], set()
    for s in specs:
        r = parse_row(s)
        if r is None or r.tool not in tools:
            continue
        if r.id in seen:
            die(f"row {s!r} appears twice")
        seen.add(r.id)
        rows.append(r)
    if not rows:
        die("no rows to run (check BENCH_TOOLS / BENCH_ROWS)")
    return rows


# --- commands --------------------------------------------------------------------


def settings_for(row):
    s = dict(REFERENCE)
    s.update(MODES[row.mode]["settings"])
    return s


def epochs_of(row, s):
    """The epochs the row really trains (extra flags may override the setting)."""
    ep = s["epochs"]
    flag = {"w2v": "--epochs", "fasttext": "-epoch"}.get(row.tool)
    for i, a in enumerate(row.extra):
        if row.tool == "gensim" and a.startswith("epochs="):
            ep = int(a.split("=", 1)[1])
        elif flag and a == flag and i + 1 < len(row.extra):
            ep = int(row.extra[i + 1])
        elif flag and a.startswith(flag + "="):
            ep = int(a.split("=", 1)[1])
    return ep


def own_seed(row):
    """The seed the row's extra flags set (as written), or None."""
    flag, seed = SEED_FLAGS[row.tool], None
    for i, a in enumerate(row.extra):
        if row.tool == "gensim":
            if a.startswith("seed="):
                seed = a.split("=", 1)[1]
        elif a == flag and i + 1 < len(row.extra):
            seed = row.extra[i + 1]
        elif a.startswith(flag + "="):
            seed = a.split("=", 1)[1]
    return seed


def seed_for(cfg, row, rep):
    """(seed to pass or None, the seed the run trains with or None, where it comes from)."""
    own = own_seed(row)
    if own is not None:
        return None, int(own) if own.isdigit() else own, "row flags"
    if cfg["seeds"]:
        return rep + 1, rep + 1, "BENCH_SEEDS"
    return None, None, "tool default"


def command(cfg, row, dim, vec_base, seed=None):
    """Returns (argv, vectors path, files to delete after the run). seed: passed to
    the tool when not None (before the row's extra flags)."""
    s = settings_for(row)
    corpus = cfg["lines"] if row.corpus == "lines" else cfg["corpus"]
    threads = str(cfg["threads"])
    # Subword models are written (and evaluated) as fastText .bin files: evalvec.py gives
    # unseen words their n-gram vectors from them.
    ext = ".bin" if MODES[row.mode].get("subwords") else ".txt"
    if row.tool == "w2v":
        vec = vec_base + ext
        argv = [cfg["w2v"], "train", corpus, "-o", vec, "--dim", str(dim), "--window", str(s["window"]),
                "--negative", str(s["negative"]), "--sample", s["sample"], "--min-count", str(s["min_count"]),
                "--epochs", str(s["epochs"]), "--alpha", s["alpha"], "--threads", threads, "--quiet", "--json"]
        if seed is not None:
            argv += ["--seed", str(seed)]
        return argv + MODES[row.mode]["w2v"] + row.extra, vec, []
    if row.tool == "gensim":
        vec = vec_base + ext
        kw = dict(MODES[row.mode]["gensim"])
        kw.update(vector_size=dim, window=s["window"], negative=s["negative"], sample=s["sample"],
                  min_count=s["min_count"], epochs=s["epochs"], alpha=s["alpha"], workers=threads)
        if seed is not None:
            kw["seed"] = seed
        for a in row.extra:
            k, sep, v = a.partition("=")
            if not sep:
                die(f"row {row.spec!r}: gensim flags are KEY=VALUE, got {a!r}")
            kw[k] = v
        argv = [cfg["python"], os.path.join(HERE, "gensim_train.py"), corpus, vec]
        return argv + [f"{k}={v}" for k, v in kw.items()], vec, []
    # fasttext
    ft = MODES[row.mode]["fasttext"]
    argv = [cfg["fasttext"], ft[0], "-input", corpus, "-output", vec_base, "-dim", str(dim),
            "-ws", str(s["window"]), "-neg", str(s["negative"]), "-t", s["sample"],
            "-minCount", str(s["min_count"]), "-epoch", str(s["epochs"]), "-lr", s["alpha"],
            "-thread", threads, "-minn", "0", "-maxn", "0"]
    if seed is not None:
        argv += ["-seed", str(seed)]
    if ext == ".bin":
        return argv + ft[1:] + row.extra, vec_base + ".bin", [vec_base + ".vec"]
    return argv + ft[1:] + row.extra, vec_base + ".vec", [vec_base + ".bin"]


def w2v_flags(w2v):
    """The long flags `w2v train --help` lists."""
    try:
        out = subprocess.run([w2v, "train", "--help"], capture_output=True, text=True, timeout=60).stdout
    except OSError as e:
        die(f"cannot run {w2v}: {e}")
    return set(re.findall(r"^\s+(?:-\w, )?--([a-z0-9-]+)", out, re.M))


def unsupported_w2v_flag(argv, known):
    for a in argv[3:]:
        if a.startswith("--"):
            name = a[2:].split("=", 1)[0]
            if name not in known:
                return f"w2v train has no --{name}"
    return None


# --- running ---------------------------------------------------------------------


def child_env():
    """The environment for the trainings: ours minus w2v's W2V_* settings."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("W2V_")}
    return e, sorted(k for k in os.environ if k.startswith("W2V_"))


def warm_cache(path):
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def run_timed(cfg, argv, log_path, cwd, env_):
    """Runs argv alone through bench/measure.py, which times the whole process
    and takes its rusage from wait4 (see there for why not from here)."""
    load = os.getloadavg()
    result = log_path + ".rusage.json"
    if os.path.exists(result):
        os.remove(result)
    with open(log_path, "wb") as log:
        log.write(("$ " + shlex.join(argv) + "\n").encode())
        log.flush()
        try:
            p = subprocess.Popen([cfg["python"], "-S", "-I", os.path.join(HERE, "measure.py"), result] + argv,
                                 stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=cwd, env=env_)
        except OSError as e:
            return {"exit": None, "error": str(e)}
        try:
            p.wait()
        except BaseException:  # Ctrl-C, SIGTERM: stop the training too
            p.terminate()
            p.wait()
            raise
    try:
        with open(result) as f:
            r = json.load(f)
        os.remove(result)
    except (OSError, ValueError):
        return {"exit": None, "error": f"measure.py exit {p.returncode}, no {result}"}
    r["load_before"] = [round(x, 2) for x in load]
    return r


def log_tail(path, n=3):
    try:
        with open(path, errors="replace") as f:
            lines = [l.rstrip() for l in f.read().replace("\r", "\n").splitlines() if l.strip()]
    except OSError:
        return ""
    return " | ".join(lines[1:][-n:])


def log_head(path):
    """The first line a command wrote to its log (after the "$ command" line)."""
    try:
        with open(path, errors="replace") as f:
            lines = [l.strip() for l in f.read().replace("\r", "\n").splitlines() if l.strip()]
    except OSError:
        return ""
    return lines[1] if len(lines) > 1 else ""


def w2v_error(log_path):
    """w2v's own error message ("w2v: ...") from a log, or None."""
    try:
        with open(log_path, errors="replace") as f:
            for line in f:
                if line.startswith("w2v: "):
                    return line[5:].strip()
    except OSError:
        pass
    return None


def self_report(log_path, prefix):
    """The last JSON line of a log that starts with prefix: gensim_train.py's
    '{"gensim"' phases, or w2v's --json summary '{"output"' (words/s, peak RSS,
    loss per epoch); None if there is none."""
    try:
        with open(log_path, errors="replace") as f:
            for line in reversed(f.read().splitlines()):
                if line.startswith(prefix):
                    return json.loads(line)
    except (OSError, ValueError):
        pass
    return None


def last_loss(run):
    """The training loss of a w2v run's last epoch (per loss unit), if it reported one."""
    rep = run.get("self_report") or {}
    epochs = rep.get("epochs") or []
    return epochs[-1]["loss"] if epochs else None


def write_order(corpus, path, min_count):
    """Writes the corpus's words counted at least min_count times as "word count"
    lines, by descending count, ties in byte order: the common word order in which
    every tool's vectors are evaluated (see evalvec.py)."""
    c = Counter()
    carry = b""
    with open(corpus, "rb") as f:
        while True:
            buf = f.read(1 << 24)
            if not buf:
                break
            buf = carry + buf
            parts = buf.split()
            carry = b"" if buf[-1:].isspace() else (parts.pop() if parts else b"")
            c.update(parts)
    if carry:
        c[carry] += 1
    items = sorted(((w, n) for w, n in c.items() if n >= min_count), key=lambda x: (-x[1], x[0]))
    with open(path, "wb") as f:
        f.writelines(b"%s %d\n" % (w, n) for w, n in items)
    return len(items)


def evaluate(cfg, vec):
    t0 = time.perf_counter()
    p = subprocess.run([cfg["python"], os.path.join(HERE, "evalvec.py"), "--json", "--data", cfg["data"],
                        "--order", cfg["order"], vec], capture_output=True, text=True)
    if p.returncode != 0:
        return {"error": (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]}
    r = json.loads(p.stdout.strip().splitlines()[-1])
    r["eval_wall_s"] = round(time.perf_counter() - t0, 2)
    return r


# --- summary and table -------------------------------------------------------------


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def summarize(res, tokens):
    # Timing from every run that trained; accuracy from those evaluated
    # (BENCH_EVAL_RUNS may leave later runs out).
    ev = [r["eval"] for r in res["runs"] if r.get("exit") == 0 and "eval" in r and "error" not in r["eval"]]
    runs = [r for r in res["runs"] if r.get("exit") == 0 and "error" not in r.get("eval", {})]
    if not runs or not ev:
        return None
    wall = median([r["wall_s"] for r in runs])
    return {
        "n_runs": len(runs),
        "wall_s": wall,
        "wall_min_s": min(r["wall_s"] for r in runs),
        "wall_max_s": max(r["wall_s"] for r in runs),
        "words_per_s": tokens * res["epochs"] / wall,
        # The best run is the one least slowed by the machine's other jobs;
        # the spread (slowest ÷ fastest − 1) says how much they slowed the rest.
        "best_words_per_s": tokens * res["epochs"] / min(r["wall_s"] for r in runs),
        "spread": max(r["wall_s"] for r in runs) / min(r["wall_s"] for r in runs) - 1,
        # Words per second of CPU time (user + system), best run: what a core
        # achieves, steadier than wall time when other jobs take cores away.
        "words_per_cpu_s": max(tokens * res["epochs"] / (r["user_s"] + r["sys_s"]) for r in runs),
        "maxrss_mib": median([r["maxrss_kib"] for r in runs]) / 1024,
        "cpu_s": median([r["user_s"] + r["sys_s"] for r in runs]),
        "semantic": median([e["analogy"]["semantic"] for e in ev]),
        "syntactic": median([e["analogy"]["syntactic"] for e in ev]),
        "total": median([e["analogy"]["total"] for e in ev]),
        "n": median([e["analogy"]["n"] for e in ev]),
        "ws353": median([e["ws353"]["spearman"] for e in ev]),
        "loss": median([last_loss(r) for r in runs]),
        "vocab": median([e["vocab"] for e in ev]),
        "file_order_total": median([e["analogy_file_order"]["total"] for e in ev if "analogy_file_order" in e]),
        "file_order_n": median([e["analogy_file_order"]["n"] for e in ev if "analogy_file_order" in e]),
    }


def fmt(x, spec, none="—"):
    return none if x is None else format(x, spec)


def baseline_for(group, row):
    for r in group:
        if r["row"].tool == "w2v" and r["row"].mode == row.mode and r["row"].corpus == "lines" \
                and not r["row"].extra and r["summary"]:
            return r
    return None


def table(results, repeat):
    head = ["dim", "tool", "flags", "wall s", "CPU s", "words/s", "best words/s", "spread %", "words/CPU-s",
            "peak RSS MiB", "semantic %", "syntactic %", "total %", "n", "WS-353 ρ", "loss", "w2v÷row best words/s",
            "w2v÷row words/CPU-s", "Δ sem pp", "Δ syn pp", "Δ total pp", "Δ ρ"]
    lines = []
    for dim, group in results:
        for r in group:
            row, s = r["row"], r["summary"]
            cells = [str(dim), row.tool, row.label]
            if s is None:
                cells += [r["status"].split(":", 1)[0].split(" (", 1)[0]] + ["—"] * (len(head) - 4)
                lines.append(cells)
                continue
            wall = fmt(s["wall_s"], ".1f")
            if repeat > 1:
                wall += f" [{s['wall_min_s']:.1f}–{s['wall_max_s']:.1f}]"
            cells += [wall, fmt(s["cpu_s"], ".0f"), fmt(s["words_per_s"], ",.0f"), fmt(s["best_words_per_s"], ",.0f"),
                      fmt(100 * s["spread"], ".0f"), fmt(s["words_per_cpu_s"], ",.0f"), fmt(s["maxrss_mib"], ",.0f"),
                      fmt(s["semantic"], ".2f"), fmt(s["syntactic"], ".2f"), fmt(s["total"], ".2f"),
                      fmt(s["n"], ".0f"), fmt(s["ws353"], ".4f"), fmt(s["loss"], ".4f")]
            b = baseline_for(group, row)
            if b is None or b is r:
                cells += ["—"] * 6
            else:
                bs = b["summary"]
                d = lambda k, spec: "—" if bs[k] is None or s[k] is None else format(bs[k] - s[k], spec)
                cells += [f"{bs['best_words_per_s'] / s['best_words_per_s']:.2f}×",
                          f"{bs['words_per_cpu_s'] / s['words_per_cpu_s']:.2f}×", d("semantic", "+.2f"),
                          d("syntactic", "+.2f"), d("total", "+.2f"), d("ws353", "+.4f")]
            lines.append(cells)
    return md_table(head, lines, set(range(3, len(head))))


def md_table(head, lines, right):
    """A Markdown table, columns padded; the columns in `right` right-aligned."""
    widths = [max(len(c[i]) for c in [head] + lines) for i in range(len(head))]

    def render(cells):
        return "| " + " | ".join(c.rjust(w) if i in right else c.ljust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + " |"
    sep = "|" + "|".join(("-" * (w + 1) + ":") if i in right else ("-" * (w + 2))
                         for i, w in enumerate(widths)) + "|"
    return "\n".join([render(head), sep] + [render(c) for c in lines])


# Similarity sets' short names in the across-runs table, in this order; other
# EN-*.txt sets follow, named without "EN-".
PAIR_SETS = {"EN-WS-353-ALL": "WS-353", "EN-WS-353-REL": "WS-REL", "EN-WS-353-SIM": "WS-SIM",
             "EN-MC-30": "MC-30", "EN-RG-65": "RG-65", "EN-MTurk-287": "MTurk-287"}


def short_set(name):
    return PAIR_SETS.get(name, name[3:] if name.startswith("EN-") else name)


def spread_of(values):
    """{"values": per run (None where missing), "mean", "min", "max"} of the runs' values."""
    xs = [x for x in values if x is not None]
    return {"values": values, "mean": statistics.fmean(xs) if xs else None,
            "min": min(xs) if xs else None, "max": max(xs) if xs else None}


def across_runs(res):
    """A row's accuracy in each evaluated run, and its mean, min and max; None if no run was evaluated."""
    runs = [r for r in res["runs"] if r.get("exit") == 0 and "eval" in r and "error" not in r["eval"]]
    if not runs:
        return None
    names = []
    for r in runs:
        names += [n for n, p in r["eval"].get("pairs", {}).items() if isinstance(p, dict) and n not in names]
    known = list(PAIR_SETS)
    names.sort(key=lambda n: (known.index(n) if n in known else len(known), n))
    return {
        "n": len(runs),
        "logs": [r.get("log") for r in runs],
        "seeds": [r.get("seed") for r in runs],
        "analogy": {k: spread_of([r["eval"]["analogy"][k] for r in runs]) for k in ("semantic", "syntactic", "total")},
        "ws353": spread_of([r["eval"]["ws353"]["spearman"] for r in runs]),
        "pairs": {n: dict(spread_of([r["eval"].get("pairs", {}).get(n, {}).get("spearman") for r in runs]),
                          oov_pct=spread_of([r["eval"].get("pairs", {}).get(n, {}).get("oov_pct") for r in runs]))
                  for n in names},
    }


def mean_range(sp, spec):
    """ "mean [min–max]" of a spread_of() dict ("(k of n)" when some runs have no value)."""
    xs = [x for x in sp["values"] if x is not None]
    if not xs:
        return "—"
    out = format(sp["mean"], spec)
    if len(xs) > 1:
        out += f" [{format(sp['min'], spec)}–{format(sp['max'], spec)}]"
    if len(xs) < len(sp["values"]):
        out += f" ({len(xs)} of {len(sp['values'])})"
    return out


def accuracy_section(results):
    """The "Accuracy across runs" section (Markdown), or "" when no row has 2 or more evaluated runs."""
    if not any(r.get("across_runs") and r["across_runs"]["n"] >= 2 for _, g in results for r in g):
        return ""
    parts = ["## Accuracy across runs"]
    oov = {}
    for dim, group in results:
        rows = [r for r in group if r.get("across_runs")]
        names = []
        for r in rows:
            names += [n for n in r["across_runs"]["pairs"] if n not in names]
        known = list(PAIR_SETS)
        names.sort(key=lambda n: (known.index(n) if n in known else len(known), n))
        head = ["tool", "flags", "runs", "seeds", "semantic %", "syntactic %", "total %"] + [
            f"{short_set(n)} ρ" for n in names]
        lines = []
        for r in rows:
            a = r["across_runs"]
            seeds = a["seeds"]
            cells = [r["row"].tool, r["row"].label, str(a["n"]),
                     "—" if all(x is None for x in seeds) else ",".join("—" if x is None else str(x) for x in seeds)]
            cells += [mean_range(a["analogy"][k], ".2f") for k in ("semantic", "syntactic", "total")]
            for n in names:
                p = a["pairs"].get(n)
                cells.append(mean_range(p, ".4f") if p else "—")
                if p:
                    oov.setdefault(n, []).extend(x for x in p["oov_pct"]["values"] if x is not None)
            lines.append(cells)
        parts += [f"### dim {dim}", md_table(head, lines, set(range(2, len(head))))]
    parts.append(
        "Each cell: mean [min–max] over the row's evaluated runs (runs; seeds: the seed of each, — for the "
        "tool's default). Analogy % as in the main table (common word order, restrict_vocab 30000). "
        "ρ: gensim evaluate_word_pairs(EN-<set>.txt, case_insensitive=True) Spearman ρ on each "
        "word-similarity set in DATA/eval, pairs with a word out of the vocabulary skipped (WS-353 = "
        "EN-WS-353-ALL, the main table's; WS-REL/WS-SIM its relatedness and similarity subsets). Pairs "
        "skipped, over all rows and runs: "
        + "; ".join(f"{short_set(n)} {min(v):.1f}–{max(v):.1f}%" for n, v in oov.items() if v) + ".")
    return "\n\n".join(parts)


def subword_notes(results):
    """A line on the word-similarity sets scored with OOV vectors (sg-sub rows), if any:
    each set's mean [min–max] over the row's runs, as issue 12's acceptance reads it."""
    parts = []
    for dim, group in results:
        for r in group:
            evs = [run["eval"] for run in r["runs"] if "subword_pairs" in run.get("eval", {})]
            if evs:
                names = list(dict.fromkeys(n for e in evs for n in e["subword_pairs"]))
                cells = []
                for name in names:
                    ps = [e["subword_pairs"].get(name) for e in evs]
                    cover = {p["coverage_pct"] for p in ps if p}
                    cells.append(f"{name} {mean_range(spread_of([p['spearman'] if p else None for p in ps]), '.4f')} "
                                 f"({'/'.join(f'{c:.1f}' for c in sorted(cover))}%)")
                parts.append(f"dim {dim} {r['row'].tool} {r['row'].label} ({len(evs)} run{'s' * (len(evs) > 1)}): "
                             + ", ".join(cells))
    if not parts:
        return []
    return ["Word similarity with OOV vectors (every pair scored, unseen words from their n-grams; "
            "Spearman ρ, mean [min–max] over the runs, and the coverage: pairs with both words in the "
            "vocabulary): " + "; ".join(parts) + "."]


def footnotes(cfg, results):
    s = REFERENCE
    notrun = [f"dim {dim} {r['row'].tool} {r['row'].label}: {r['status']}"
              for dim, group in results for r in group if r["summary"] is None]
    return "\n".join((["Not run or failed: " + "; ".join(notrun) + "."] if notrun else []) + [
        f"Settings: {cfg['tokens']:,}-word corpus ({rel(cfg['corpus'], ROOT)}; peers and w2v rows "
        f"train on its copy with {cfg['line_words']} words a line unless marked [single-line file]), window "
        f"{s['window']}, negative {s['negative']}, sample {s['sample']}, min-count {s['min_count']}, "
        f"{s['epochs']} epochs, alpha {s['alpha']}, {cfg['threads']} threads; modes: sg = skip-gram, "
        f"cbow = CBOW (alpha {MODES['cbow-ns']['settings']['alpha']} for every tool, word2vec's CBOW default), "
        f"ns = negative sampling, hs = hierarchical softmax with negative 0; fastText: -minn 0 -maxn 0, "
        f"no subwords, except in sg-sub: fastText's subword skip-gram ({' '.join(MODES['sg-sub']['fasttext'][1:])}; "
        f"w2v --subwords; gensim FastText), alpha {MODES['sg-sub']['settings']['alpha']} for every tool, "
        f"each model written and evaluated as a fastText .bin. Tools run one at a time.",
        "wall s: the whole training process, start to exit (interpreter start and imports for gensim, "
        "reading the corpus, vocabulary, training, writing the vectors; fastText also writes its .bin)"
        + (f"; median of {cfg['repeat']} runs [min–max]" if cfg["repeat"] > 1 else "")
        + (" (rows with a :N suffix ran only in the first N repeats: " + "; ".join(
            f"{r.tool} {r.label} {r.repeat}" for r in cfg["rows"] if r.repeat < cfg["repeat"]) + ")"
           if any(r.repeat < cfg["repeat"] for r in cfg["rows"]) else "") + ".",
        "CPU s: the process's user + system CPU time. words/s = corpus words × epochs ÷ wall s (median run); "
        "best words/s: the same for the fastest run; spread: slowest run's wall ÷ fastest's − 1; "
        "words/CPU-s = corpus words × epochs ÷ CPU s, best run (a core's throughput, steadier than wall time "
        "on a shared machine). "
        "peak RSS: the process's ru_maxrss from wait4 in bench/measure.py, a small process in between "
        "(from bench.py itself it would include bench.py's memory; floor about 5 MiB)."
        + (f" Load average (1 min) just before the runs: {min(cfg['loads']):.1f} to {max(cfg['loads']):.1f} on "
           f"{os.cpu_count()} CPUs (other jobs on the machine slow the wall times; CPU s suffers less)."
           if cfg.get("loads") else ""),
        "Accuracy: every tool's vectors evaluated alike by bench/evalvec.py: gensim "
        "evaluate_word_analogies(questions-words.txt, restrict_vocab=30000, case_insensitive=True) after "
        "putting each file's words in one common order (corpus count, ties alphabetical), so that every row "
        "answers the same n questions (the tools break count ties differently, which otherwise changes which "
        "words make the top 30,000); semantic = the 5 non-gram sections, syntactic = the 9 gram* sections. "
        "WS-353: evaluate_word_pairs(EN-WS-353-ALL.txt, case_insensitive=True) Spearman ρ.",
        "loss: w2v's training loss in the last epoch, per (context, centre) pair (per centre word for CBOW), "
        "from its --json summary (median of the runs); with --loss softmax it is that objective's loss, not "
        "comparable with the logistic rows'. Other tools: — (gensim tallies it only when asked, in float32).",
    ] + (["Seeds (BENCH_SEEDS=1): run r passes seed r to every tool (w2v --seed, gensim seed=, fastText -seed), "
          "except rows whose flags set a seed; each run's seed is in results.json (runs[].seed) and in the "
          "accuracy-across-runs table."] if cfg["seeds"] else []) + subword_notes(results) + [
        "Total % in each file's own word order (n): " + "; ".join(
            f"dim {dim} {r['row'].tool} {r['row'].label} {fmt(r['summary']['file_order_total'], '.2f')} "
            f"({fmt(r['summary']['file_order_n'], '.0f')})"
            for dim, group in results for r in group if r["summary"]) + ".",
        "w2v÷row best words/s = w2v's best words/s ÷ this row's, and the same for words/CPU-s (above 1: w2v "
        "is faster); Δ = w2v − this row "
        "(above 0: w2v is more accurate), against the w2v row of the same dim and mode with no extra flags.",
    ])


# --- environment info ------------------------------------------------------------


def capture(argv):
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        return (p.stdout or p.stderr).strip()
    except (OSError, subprocess.TimeoutExpired):
        return None


def machine_info(cfg, tools):
    cpu = None
    try:
        with open("/proc/cpuinfo") as f:
            for l in f:
                if l.startswith("model name"):
                    cpu = l.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info = {
        "host": socket.gethostname(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "kernel": os.uname().release,
        "git": capture(["git", "-C", ROOT, "describe", "--always", "--dirty", "--abbrev=12"]),
        "w2v": capture([cfg["w2v"], "version"]),
        "python": capture([cfg["python"], "-c", "import sys; print(sys.version.split()[0])"]),
    }
    info["gensim"] = capture([cfg["python"], "-c",
                              "import gensim, numpy, scipy; print(gensim.__version__, 'numpy', numpy.__version__, "
                              "'scipy', scipy.__version__)"])
    if "fasttext" in tools:
        info["fasttext"] = capture(["dpkg-query", "-W", "-f", "${Version}", "fasttext"]) or cfg["fasttext"]
    return info


# --- main --------------------------------------------------------------------------


def read_words(stamp):
    try:
        with open(stamp) as f:
            for l in f:
                if l.startswith("words="):
                    return int(l.split("=", 1)[1])
    except (OSError, ValueError):
        pass
    return None


def positive_int(name, default):
    v = env(name, str(default))
    if not v.isdigit() or int(v) < 1:
        die(f"{name} must be a positive integer, got {v!r}")
    return int(v)


def on_sigterm(sig, _frame):
    raise SystemExit(f"bench: stopped by signal {sig}")


def main(argv):
    signal.signal(signal.SIGTERM, on_sigterm)
    if len(argv) != 1 or argv[0].startswith("-"):
        sys.exit(__doc__.split("\n\n")[1])
    corpus = os.path.abspath(argv[0])
    if not os.path.isfile(corpus):
        die(f"no corpus at {corpus} (bench/run.sh makes it)")
    out = os.path.abspath(env("BENCH_OUT", os.path.join(ROOT, "bench-out")))
    dims = [int(d) for d in env("BENCH_DIMS", "100 300").split()] or die("BENCH_DIMS is empty")
    cfg = {
        "corpus": corpus,
        "threads": positive_int("BENCH_THREADS", 2),
        "repeat": positive_int("BENCH_REPEAT", 1),
        "epochs": positive_int("BENCH_EPOCHS", REFERENCE["epochs"]),
        "eval_runs": positive_int("BENCH_EVAL_RUNS", 1 << 30),
        "line_words": positive_int("BENCH_LINE_WORDS", 1000),
        "w2v": os.path.abspath(env("BENCH_W2V", os.path.join(ROOT, "bin", "w2v"))),
        "python": env("BENCH_PYTHON", "/usr/bin/python3"),
        "fasttext": env("BENCH_FASTTEXT", shutil.which("fasttext", path="/usr/bin:" + os.environ.get("PATH", ""))
                        or "fasttext"),
        "data": os.path.abspath(env("BENCH_DATA", os.path.join(ROOT, "testdata"))),
        "keep_vectors": env("BENCH_KEEP_VECTORS", "1") == "1",
        "seeds": env("BENCH_SEEDS", "0") == "1",
    }
    if env("BENCH_SEEDS", "0") not in ("0", "1", ""):
        die(f"BENCH_SEEDS must be 0 or 1, got {os.environ['BENCH_SEEDS']!r}")
    REFERENCE["epochs"] = cfg["epochs"]  # every row's and the footnote's
    rows = rows_from_env()
    for r in rows:
        if r.repeat is None:
            r.repeat = cfg["repeat"]
        elif r.repeat > cfg["repeat"]:
            die(f"row {r.spec!r}: :{r.repeat} is more than BENCH_REPEAT={cfg['repeat']}")
    tools = {r.tool for r in rows}

    tokens = read_words(corpus + ".stamp")
    base = corpus[:-4] if corpus.endswith(".txt") else corpus
    cfg["lines"] = f"{base}.lines.txt" if cfg["line_words"] == 1000 else f"{base}.lines{cfg['line_words']}.txt"
    say(f"line-broken copy {rel(cfg['lines'], ROOT)} ({cfg['line_words']} words a line)")
    n = linebreak.linebreak(corpus, cfg["lines"], cfg["line_words"])
    if tokens is None:
        tokens = n
    elif tokens != n:
        die(f"{corpus}.stamp says {tokens} words but the corpus has {n}")
    cfg["tokens"] = tokens
    os.makedirs(out, exist_ok=True)
    cfg["order"] = os.path.join(out, "eval-order.txt")
    n = write_order(cfg["lines"], cfg["order"], REFERENCE["min_count"])
    say(f"evaluation word order: {n:,} words counted at least {REFERENCE['min_count']} times in "
        f"{rel(cfg['order'], ROOT)}")

    for d in ("vectors", "logs", "run"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    cwd = os.path.join(out, "run")  # empty: no ./w2v.yaml is picked up
    if os.path.exists(os.path.join(cwd, "w2v.yaml")):
        os.remove(os.path.join(cwd, "w2v.yaml"))
    cenv, dropped = child_env()
    if dropped:
        say(f"not passing {', '.join(dropped)} to the trainings")
    known = w2v_flags(cfg["w2v"]) if "w2v" in tools else set()

    info = machine_info(cfg, tools)
    started = datetime.now(timezone.utc)
    say(f"{len(rows)} rows × dims {' '.join(map(str, dims))} × {cfg['repeat']} repeat(s) on "
        f"{tokens:,} words; logs in {rel(out, ROOT)}/logs")

    # results[dim] = list of {row, runs, epochs, status, summary}
    results = [(dim, [{"row": r, "runs": [], "epochs": epochs_of(r, settings_for(r)), "status": None}
                      for r in rows]) for dim in dims]
    total = len(dims) * sum(r.repeat for r in rows)
    k = 0
    # Repeats go round all rows, so a slow spell of the machine hits every tool alike.
    for rep in range(cfg["repeat"]):
        for dim, group in results:
            for res in group:
                row = res["row"]
                if rep >= row.repeat:  # a :N row: only in the first N repeats
                    continue
                k += 1
                name = f"d{dim}-{row.id}"
                tag = f"[{k}/{total}] dim {dim} {row.tool} {row.label}" + (f" (run {rep + 1})" if cfg["repeat"] > 1 else "")
                if res["status"] and res["status"].startswith("unsupported"):
                    continue
                vec_base = os.path.join(out, "vectors", name)
                seed, seed_used, seed_from = seed_for(cfg, row, rep)
                argv, vec, junk = command(cfg, row, dim, vec_base, seed)
                res.setdefault("command", shlex.join(argv))  # the first run's
                if row.tool == "w2v":
                    why = unsupported_w2v_flag(argv, known)
                    if why:
                        res["status"] = f"unsupported: {why}"
                        say(f"{tag}: {res['status']}")
                        continue
                for f in [vec] + junk:
                    if os.path.exists(f):
                        os.remove(f)
                warm_cache(cfg["lines"] if row.corpus == "lines" else corpus)
                log = os.path.join(out, "logs", f"{name}.r{rep + 1}.log")
                say(f"{tag}: running")
                run = run_timed(cfg, argv, log, cwd, cenv)
                run["log"] = os.path.relpath(log, out)
                run.update(command=shlex.join(argv), seed=seed_used, seed_from=seed_from)
                res["runs"].append(run)
                for f in junk:
                    if os.path.exists(f):
                        os.remove(f)
                if run["exit"] != 0:
                    msg = log_head(log) if row.tool == "fasttext" else log_tail(log, 1)
                    if row.tool == "w2v" and run["exit"] == 2:  # w2v's exit code for usage errors
                        res["status"] = f"unsupported: {w2v_error(log) or msg}"
                    else:
                        res["status"] = f"failed (exit {run['exit']}): {msg or run.get('error', '')}"
                    say(f"{tag}: {res['status']} (log {rel(log, ROOT)})")
                    continue
                if row.tool == "gensim":
                    run["self_report"] = self_report(log, '{"gensim"')
                if row.tool == "w2v":
                    run["self_report"] = self_report(log, '{"output"')
                if not os.path.exists(vec):
                    run["eval"] = {"error": f"no vectors file {vec}"}
                elif rep >= cfg["eval_runs"]:
                    # Timed only: the accuracy comes from the row's first runs.
                    run["vectors_bytes"] = os.path.getsize(vec)
                    os.remove(vec)
                    res["status"] = "ok"
                    say(f"{tag}: {run['wall_s']:.1f} s, {tokens * res['epochs'] / run['wall_s']:,.0f} words/s, "
                        f"peak RSS {run['maxrss_kib'] / 1024:,.0f} MiB, CPU {run['user_s'] + run['sys_s']:.0f} s (not evaluated)")
                    continue
                else:
                    run["vectors_bytes"] = os.path.getsize(vec)
                    run["eval"] = evaluate(cfg, vec)
                    if not cfg["keep_vectors"]:
                        os.remove(vec)
                ev = run["eval"]
                if "error" in ev:
                    res["status"] = f"evaluation failed: {ev['error']}"
                    say(f"{tag}: {res['status']}")
                    continue
                res["status"] = "ok"
                a = ev["analogy"]
                wps = tokens * res["epochs"] / run["wall_s"]
                say(f"{tag}: {run['wall_s']:.1f} s, {wps:,.0f} words/s, peak RSS {run['maxrss_kib'] / 1024:,.0f} MiB, "
                    f"CPU {run['user_s'] + run['sys_s']:.0f} s; vocab {ev['vocab']:,}, analogy {fmt(a['total'], '.2f')}% "
                    f"(n {a['n']}), WS-353 {ev['ws353']['spearman']:.4f}")
    cfg["loads"] = [r["load_before"][0] for _, g in results for res in g for r in res["runs"] if "load_before" in r]
    for _, group in results:
        for res in group:
            res["summary"] = summarize(res, tokens)
            res["across_runs"] = across_runs(res)
            if res["summary"] is None and not res["status"]:
                res["status"] = "no successful run"
            elif res["summary"] is not None and res["status"] != "ok":
                res["status"] = "ok (some runs failed: " + res["status"] + ")"
    finished = datetime.now(timezone.utc)

    tab = table(results, cfg["repeat"])
    cfg["rows"] = rows
    notes = footnotes(cfg, results)
    acc = accuracy_section(results)
    when = started.strftime("%Y-%m-%d %H:%M UTC")
    title = f"w2v bench, {when}, {info['host']} ({info['cpus']} CPUs: {info['cpu']})"
    versions = (f"w2v {info['git']} ({info['w2v']}); gensim {info['gensim']} (python {info['python']})"
                + (f"; fastText {info['fasttext']}" if "fasttext" in info else ""))
    print(f"\n{title}\n{versions}\n\n{tab}\n\n{notes}\n" + (f"\n{acc}\n" if acc else ""))

    cmds = []
    for dim, group in results:
        for res in group:
            if "command" in res:
                cmds.append(f"- dim {dim}, {res['row'].tool} {res['row'].label}: `{res['command']}`"
                            + (" (run 1; run r passes seed r)" if cfg["seeds"] and own_seed(res["row"]) is None
                               else ""))
    md = (f"# {title}\n\n{versions}\n\n{tab}\n\n" + notes.replace("\n", "\n\n")
          + f"\n\nRun {started.isoformat(timespec='seconds')} to {finished.isoformat(timespec='seconds')}; "
          f"every number from this one run on this one machine. Environment variables not passed to the "
          f"trainings: {', '.join(dropped) or 'none'}; trainings ran in an empty directory.\n\n"
          + (f"{acc}\n\n" if acc else "") +
          "## Commands\n\n" + "\n".join(cmds) + "\n")
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(md)
    doc = {
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "machine": info,
        "config": {k: v for k, v in cfg.items() if k != "rows"},
        "reference_settings": REFERENCE,
        "dropped_env": dropped,
        "env": {k: v for k, v in os.environ.items() if k.startswith("BENCH_")},
        "results": [
            {"dim": dim, "tool": res["row"].tool, "mode": res["row"].mode, "corpus": res["row"].corpus,
             "extra": res["row"].extra, "row": res["row"].spec, "id": res["row"].id, "label": res["row"].label,
             "repeat": res["row"].repeat, "status": res["status"], "command": res.get("command"),
             "epochs": res["epochs"], "summary": res["summary"], "across_runs": res["across_runs"],
             "runs": res["runs"]}
            for dim, group in results for res in group],
    }
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(doc, f, indent=1)
    say(f"wrote {rel(out, ROOT)}/results.md and results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
