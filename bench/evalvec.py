#!/usr/bin/python3
"""evalvec.py - evaluate word vectors the way `make bench` does, with gensim.

Usage: /usr/bin/python3 bench/evalvec.py [--json] [--binary] [--data DIR] [--order FILE] VECTORS...

For each word2vec-format vectors file (text, or binary with --binary or a name
ending in .bin) prints the Google analogy accuracy (semantic = the 5 sections
not named gram*, syntactic = the 9 gram* sections, total) and the WS-353
Spearman correlation; with --json one JSON object per file, one a line.

Every tool's vectors are evaluated by this same code:
  kv = KeyedVectors.load_word2vec_format(path, binary=...)
  kv.evaluate_word_analogies(DATA/eval/questions-words.txt, restrict_vocab=30000,
                             case_insensitive=True)
  kv.evaluate_word_pairs(DATA/eval/EN-WS-353-ALL.txt, case_insensitive=True)
restrict_vocab=30000 keeps the questions whose 4 words are among the first 30,000
words of the file; others are skipped. All three tools write words by descending
count, but they break ties differently (w2v alphabetically, gensim by first
occurrence; fastText also ranks its </s> token), so around the 30,000th word, where
many words share a count, their files keep different words, and so answer
different questions (the "n" reported). With --order FILE (a word a line, or
"word count" lines, most frequent first: `make bench` writes one from the corpus)
the words of every file are first put in that one order (words not in FILE go
last, in file order), so every file answers the same questions; the result in
the file's own order is then reported too, as "analogy_file_order".
WS-353 pairs with an unknown word are skipped (oov_pct).

Every word-similarity set in DATA/eval (EN-*.txt) is also scored the same way,
kv.evaluate_word_pairs(SET, case_insensitive=True) with pairs that have an unknown
word skipped, for every file ("pairs": {"EN-WS-353-ALL": {"spearman", "oov_pct",
"pearson", "n"}, ...}, keyed by the file name without .txt; "ws353" above is the
same as pairs["EN-WS-353-ALL"], kept for older readers). A set that is not
word<TAB>word<TAB>score throughout (spaces, a header line) is first rewritten to a
temporary file in that form ("rewritten"); a set gensim still cannot score (e.g.
every pair out of the vocabulary) gets "spearman": null and an "error" instead.

A fastText .bin model (told by its magic number, whoever wrote it) is loaded with
gensim's load_facebook_vectors: the analogies use its words' full vectors as
above, and every word-similarity set in DATA/eval (EN-*.txt) is also scored with
a vector for every word, unseen words taking the mean of their n-gram vectors,
as fastText's own word-similarity evaluation does ("subword_pairs": Spearman rho
over all pairs, and the coverage, the share of pairs whose two words are in the
vocabulary).

DATA defaults to the repository's testdata (testdata/eval holds the sets). Import
evaluate() to reuse it from Python (run with /usr/bin/python3: it needs gensim).
"""
import json
import math
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.normpath(os.path.join(HERE, "..", "testdata"))
ANALOGIES = "eval/questions-words.txt"
PAIRS = "eval/EN-WS-353-ALL.txt"
RESTRICT_VOCAB = 30000


def _acc(correct, total):
    return 100.0 * correct / total if total else None


def read_order(path):
    """The words of an order file, most frequent first."""
    words = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if parts:
                words.append(parts[0])
    return words


def reorder(kv, order):
    """A copy of kv with its words in the given order (others after, in kv's order)."""
    from gensim.models import KeyedVectors
    idx = kv.key_to_index
    keys = [w for w in order if w in idx]
    seen = set(keys)
    keys += [w for w in kv.index_to_key if w not in seen]
    out = KeyedVectors(kv.vector_size, count=0, dtype=kv.vectors.dtype)
    out.add_vectors(keys, kv.vectors[[idx[w] for w in keys]])
    return out


def analogies(kv, data, restrict_vocab):
    """Google analogy accuracy of kv (percentages) and questions answered."""
    _, sections = kv.evaluate_word_analogies(
        os.path.join(data, ANALOGIES), restrict_vocab=restrict_vocab, case_insensitive=True)
    # gensim appends a 'Total accuracy' section that repeats all the others: leave it out.
    sections = [s for s in sections if s["section"] != "Total accuracy"]
    groups = {"semantic": [0, 0], "syntactic": [0, 0]}
    per_section = {}
    for s in sections:
        c, n = len(s["correct"]), len(s["correct"]) + len(s["incorrect"])
        per_section[s["section"]] = {"correct": c, "n": n}
        g = groups["syntactic" if s["section"].startswith("gram") else "semantic"]
        g[0] += c
        g[1] += n
    n_sem_sections = sum(1 for s in sections if not s["section"].startswith("gram"))
    if (n_sem_sections, len(sections)) != (5, 14):
        raise ValueError(f"{ANALOGIES}: expected 5 semantic sections of 14, got {n_sem_sections} of {len(sections)}")
    correct = groups["semantic"][0] + groups["syntactic"][0]
    answered = groups["semantic"][1] + groups["syntactic"][1]
    return {
        "semantic": _acc(*groups["semantic"]),
        "syntactic": _acc(*groups["syntactic"]),
        "total": _acc(correct, answered),
        "n_semantic": groups["semantic"][1],
        "n_syntactic": groups["syntactic"][1],
        "n": answered,
        "correct": correct,
        "restrict_vocab": restrict_vocab,
        "sections": per_section,
    }


FASTTEXT_MAGIC = 793712314


def is_fasttext_model(path):
    """Whether path starts with fastText's .bin magic number."""
    with open(path, "rb") as f:
        head = f.read(4)
    return len(head) == 4 and int.from_bytes(head, "little") == FASTTEXT_MAGIC


def read_pairs(path):
    """(word, word, score) triples of a word-similarity file (fields separated by tabs
    or spaces); # lines are comments, and a line whose third field is not a number (a
    header) is skipped."""
    pairs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 3 or line.startswith("#"):
                continue
            try:
                score = float(parts[2])
            except ValueError:
                continue
            pairs.append((parts[0].lower(), parts[1].lower(), score))
    return pairs


def similarity_sets(data):
    """The file names of the word-similarity sets in data/eval (EN-*.txt), sorted."""
    return sorted(n for n in os.listdir(os.path.join(data, "eval")) if n.startswith("EN-") and n.endswith(".txt"))


def _gensim_readable(path):
    """Whether every line that is not empty or a # comment is word<TAB>word<TAB>number,
    the only form evaluate_word_pairs reads (it silently skips other lines)."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                return False
            try:
                float(parts[2])
            except ValueError:
                return False
    return True


def _num(x):
    """x as a float, None for NaN (JSON has no NaN)."""
    x = float(x)
    return None if math.isnan(x) else x


def word_pairs(kv, data):
    """Every EN-*.txt set in data/eval scored with gensim's evaluate_word_pairs
    (case-insensitive, pairs with an unknown word skipped): Spearman rho and the
    share of pairs skipped, keyed by file name without .txt."""
    out = {}
    try:
        names = similarity_sets(data)
    except OSError as e:
        return {"error": f"no similarity sets: {e}"}
    for name in names:
        path = os.path.join(data, "eval", name)
        r, tmp = {}, None
        try:
            pairs = read_pairs(path)
            if not _gensim_readable(path):
                fd, tmp = tempfile.mkstemp(prefix="evalvec-", suffix="-" + name)
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.writelines(f"{a}\t{b}\t{score!r}\n" for a, b, score in pairs)
                r["rewritten"] = "not word<TAB>word<TAB>score throughout: scored from a rewritten copy"
            pearson, spearman, oov_pct = kv.evaluate_word_pairs(tmp or path, case_insensitive=True)
            r.update(spearman=_num(spearman[0]), oov_pct=float(oov_pct), pearson=_num(pearson[0]), n=len(pairs))
        except Exception as e:  # an unreadable set, or none of its pairs in the vocabulary
            r.update(spearman=None, error=f"{type(e).__name__}: {e}")
        finally:
            if tmp:
                os.remove(tmp)
        out[name[:-4]] = r
    return out


def subword_pairs(ft, data):
    """Spearman rho of every EN-*.txt similarity set in data/eval, with a vector for
    every word (unseen words from their n-grams), and each set's coverage."""
    import numpy as np
    from scipy.stats import spearmanr
    out = {}
    eval_dir = os.path.join(data, "eval")
    for name in similarity_sets(data):
        pairs = read_pairs(os.path.join(eval_dir, name))
        gold, cos, covered = [], [], 0
        for a, b, score in pairs:
            va, vb = ft[a], ft[b]  # gensim gives unseen words their n-gram vectors
            na, nb = np.linalg.norm(va), np.linalg.norm(vb)
            gold.append(score)
            cos.append(float(va @ vb / (na * nb)) if na and nb else 0.0)
            covered += a in ft.key_to_index and b in ft.key_to_index
        out[name[:-4]] = {"spearman": float(spearmanr(gold, cos)[0]), "n": len(pairs),
                          "coverage_pct": 100.0 * covered / len(pairs) if pairs else None}
    return out


def load_fasttext(path):
    """The words' full vectors of a fastText .bin as KeyedVectors, and the model."""
    from gensim.models import KeyedVectors
    from gensim.models.fasttext import load_facebook_vectors
    ft = load_facebook_vectors(path)
    kv = KeyedVectors(ft.vector_size, count=0, dtype=ft.vectors.dtype)
    kv.add_vectors(ft.index_to_key, ft.vectors)
    return kv, ft


def evaluate(path, data=DEFAULT_DATA, binary=None, restrict_vocab=RESTRICT_VOCAB, order=None):
    """Evaluate one vectors file; returns a dict of plain numbers (JSON-ready).

    Accuracies are percentages; spearman is rho in [-1, 1]. order: a list of
    words, most frequent first, or the name of an order file (see above).
    """
    import logging
    logging.getLogger("gensim").setLevel(logging.WARNING)
    from gensim.models import KeyedVectors

    if binary is None:
        binary = path.endswith(".bin")
    if isinstance(order, str):
        order = read_order(order)
    t0 = time.monotonic()
    ft = None
    if is_fasttext_model(path):
        kv, ft = load_fasttext(path)
    else:
        kv = KeyedVectors.load_word2vec_format(path, binary=binary)
    t_load = time.monotonic() - t0

    t0 = time.monotonic()
    own = analogies(kv, data, restrict_vocab)
    common = analogies(reorder(kv, order), data, restrict_vocab) if order else None
    t_analogy = time.monotonic() - t0

    t0 = time.monotonic()
    pearson, spearman, oov_pct = kv.evaluate_word_pairs(os.path.join(data, PAIRS), case_insensitive=True)
    pairs = word_pairs(kv, data)
    t_pairs = time.monotonic() - t0

    r = {
        "vectors": path,
        "vocab": len(kv.index_to_key),
        "dim": kv.vector_size,
        "analogy_order": "common" if order else "file",
        "analogy": common or own,
    }
    if order:
        r["analogy_file_order"] = own
    r.update({
        "ws353": {
            "spearman": float(spearman[0]),
            "spearman_p": float(spearman[1]),
            "pearson": float(pearson[0]),
            "oov_pct": float(oov_pct),
        },
        "pairs": pairs,
        "seconds": {"load": round(t_load, 2), "analogy": round(t_analogy, 2), "pairs": round(t_pairs, 2)},
    })
    if ft is not None:
        r["subword_pairs"] = subword_pairs(ft, data)
    return r


def _fmt(x, spec):
    return "n/a" if x is None else format(x, spec)


def main(argv):
    as_json, binary, data, order, files = False, None, DEFAULT_DATA, None, []
    it = iter(argv)
    for a in it:
        if a == "--json":
            as_json = True
        elif a == "--binary":
            binary = True
        elif a == "--data":
            data = next(it, None)
            if data is None:
                sys.exit("evalvec: --data needs a directory")
        elif a == "--order":
            order = next(it, None)
            if order is None:
                sys.exit("evalvec: --order needs a file")
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("-"):
            sys.exit(f"evalvec: unknown option {a} (see --help)")
        else:
            files.append(a)
    if not files:
        sys.exit("usage: evalvec.py [--json] [--binary] [--data DIR] VECTORS...")
    for f in files:
        r = evaluate(f, data=data, binary=binary, order=read_order(order) if order else None)
        if as_json:
            print(json.dumps(r), flush=True)
        else:
            a, w = r["analogy"], r["ws353"]
            line = (f"{f}: {r['vocab']} words x {r['dim']}; analogy semantic {_fmt(a['semantic'], '.2f')}% "
                    f"syntactic {_fmt(a['syntactic'], '.2f')}% total {_fmt(a['total'], '.2f')}% "
                    f"({a['correct']}/{a['n']} answered, top {a['restrict_vocab']} in {r['analogy_order']} order)")
            if "analogy_file_order" in r:
                o = r["analogy_file_order"]
                line += f" [file order: total {_fmt(o['total'], '.2f')}%, {o['correct']}/{o['n']}]"
            line += f"; WS-353 spearman {w['spearman']:.4f} (oov {w['oov_pct']:.1f}%)"
            for name, p in r["pairs"].items():
                if isinstance(p, dict) and p.get("spearman") is not None:
                    line += f"; {name} {p['spearman']:.4f} (oov {p['oov_pct']:.1f}%)"
                else:
                    line += f"; {name} n/a ({p.get('error') if isinstance(p, dict) else p})"
            for name, p in r.get("subword_pairs", {}).items():
                line += f"; {name} with OOV vectors {p['spearman']:.4f} (coverage {p['coverage_pct']:.1f}%)"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
