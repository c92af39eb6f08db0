#!/usr/bin/python3
"""gensim_continue.py - the gensim side of `make bench-continue`.

Usage:
  /usr/bin/python3 bench/gensim_continue.py base CORPUS VEC MODEL [KEY=VALUE ...]
  /usr/bin/python3 bench/gensim_continue.py continue MODEL CORPUS VEC [model=FastText]
  /usr/bin/python3 bench/gensim_continue.py neighbours K VEC WORD...

base trains Word2Vec(corpus_file=CORPUS, KEY=VALUE, ...) (values are Python
literals), writes the input vectors to VEC in word2vec's text format and the
whole model (for continuing) to MODEL with Word2Vec.save. With model=FastText
among the KEY=VALUEs (as in bench/gensim_train.py) it trains gensim's
FastText(corpus_file=CORPUS, ...) instead (min_n, max_n, bucket among the
KEY=VALUEs); VEC then holds the words' full vectors (their own row and their
n-grams', as gensim's wv.vectors has them), one line a vocabulary word.

continue loads MODEL (with FastText.load when model=FastText is given; the
kind must be the one base was given, or it stops) and trains it further on CORPUS the way
gensim's documentation describes for both kinds: build_vocab(corpus_file=CORPUS,
update=True), then train(corpus_file=CORPUS, total_words=corpus_total_words,
epochs=epochs) with the model's own settings; it writes the input vectors to
VEC as base does.

neighbours prints, for each WORD, its K nearest words by cosine in VEC (any
tool's word2vec text file), as one JSON object.

The last line on stdout of base and continue is a JSON object with the
phases timed from inside (for information: the bench times whole processes).
"""
import ast
import json
import logging
import sys
import time

t_start = time.monotonic()


def kwargs_of(args):
    kw = {}
    for kv in args:
        key, sep, val = kv.partition("=")
        if not sep or not key.isidentifier():
            sys.exit(f"gensim_continue: expected KEY=VALUE, got {kv!r}")
        try:
            kw[key] = ast.literal_eval(val)
        except (ValueError, SyntaxError):
            kw[key] = val
    return kw


def kind_of(kw):
    """Pops model=... from kw: the gensim class to train or load."""
    kind = kw.pop("model", "Word2Vec")
    if kind not in ("Word2Vec", "FastText"):
        sys.exit(f"gensim_continue: model must be Word2Vec or FastText, got {kind!r}")
    return kind


def main(argv):
    if len(argv) < 1 or argv[0] not in ("base", "continue", "neighbours"):
        sys.exit(__doc__.split("\n\n")[1])
    cmd, args = argv[0], argv[1:]
    logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)
    import gensim
    from gensim.models import KeyedVectors
    t_import = time.monotonic()
    if cmd == "neighbours":
        if len(args) < 3:
            sys.exit("gensim_continue: neighbours K VEC WORD...")
        k, kv = int(args[0]), KeyedVectors.load_word2vec_format(args[1])
        print(json.dumps({w: [[n, round(s, 3)] for n, s in kv.most_similar(w, topn=k)] if w in kv.key_to_index else None
                          for w in args[2:]}))
        return
    if cmd == "base":
        if len(args) < 3:
            sys.exit("gensim_continue: base CORPUS VEC MODEL [KEY=VALUE ...]")
        corpus, vec, path = args[:3]
        kw = kwargs_of(args[3:])
        kind = kind_of(kw)
        model = getattr(gensim.models, kind)(corpus_file=corpus, **kw)
        t_train = time.monotonic()
        model.save(path)
        before = None
    else:
        if len(args) not in (3, 4):
            sys.exit("gensim_continue: continue MODEL CORPUS VEC [model=FastText]")
        path, corpus, vec = args[:3]
        kw = kwargs_of(args[3:])
        kind = kind_of(kw)
        if kw:
            sys.exit(f"gensim_continue: continue takes only model=..., got {sorted(kw)}")
        # gensim's load checks only for a Word2Vec (FastText is one), so
        # FastText.load would take a plain Word2Vec model and train it without n-grams.
        model = getattr(gensim.models, kind).load(path)
        if type(model).__name__ != kind:
            sys.exit(f"gensim_continue: {path} holds a {type(model).__name__} model, not {kind}")
        before = len(model.wv.index_to_key)
        t_load = time.monotonic()
        model.build_vocab(corpus_file=corpus, update=True)
        model.train(corpus_file=corpus, total_words=model.corpus_total_words, epochs=model.epochs)
        t_train = time.monotonic()
    model.wv.save_word2vec_format(vec)
    t_save = time.monotonic()
    report = {"gensim": gensim.__version__, "model": kind, "vocab": len(model.wv.index_to_key),
              "corpus_total_words": model.corpus_total_words,
              "seconds": {"import": round(t_import - t_start, 3), "train": round(t_train - t_import, 3),
                          "save": round(t_save - t_train, 3)}}
    if before is not None:
        report["vocab_before"] = before
        report["seconds"]["load"] = round(t_load - t_import, 3)
        report["seconds"]["train"] = round(t_train - t_load, 3)
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
