#!/usr/bin/python3
"""gensim_train.py - the gensim side of `make bench`.

Usage: /usr/bin/python3 bench/gensim_train.py CORPUS OUT [KEY=VALUE ...]

Runs Word2Vec(corpus_file=CORPUS, KEY=VALUE, ...) (values are Python literals,
e.g. sg=1 vector_size=100 sample=1e-4) and writes the input vectors to OUT in
word2vec's text format with wv.save_word2vec_format. With model=FastText it
trains gensim's FastText(corpus_file=CORPUS, ...) instead (min_n, max_n, bucket
among the KEY=VALUEs) and writes OUT as a fastText .bin with save_facebook_model,
so that unseen words get their n-gram vectors in the evaluation. CORPUS must have line
breaks: in corpus_file mode gensim trains almost nothing on a single-line file.

The bench times this whole process (interpreter start, imports, vocabulary,
training, saving), as it does for the other tools. For information only, the
last line on stdout is a JSON object with the phases timed from inside.
"""
import ast
import json
import logging
import sys
import time

t_start = time.monotonic()


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__.split("\n\n")[1])
    corpus, out, kwargs = argv[0], argv[1], {}
    for kv in argv[2:]:
        key, sep, val = kv.partition("=")
        if not sep or not key.isidentifier():
            sys.exit(f"gensim_train: expected KEY=VALUE, got {kv!r}")
        try:
            kwargs[key] = ast.literal_eval(val)
        except (ValueError, SyntaxError):
            kwargs[key] = val
    logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)
    import gensim
    kind = kwargs.pop("model", "Word2Vec")
    if kind not in ("Word2Vec", "FastText"):
        sys.exit(f"gensim_train: model must be Word2Vec or FastText, got {kind!r}")
    trainer = getattr(gensim.models, kind)
    t_import = time.monotonic()
    model = trainer(corpus_file=corpus, **kwargs)
    t_train = time.monotonic()
    if kind == "FastText":
        from gensim.models.fasttext import save_facebook_model
        save_facebook_model(model, out)
    else:
        model.wv.save_word2vec_format(out)
    t_save = time.monotonic()
    print(json.dumps({
        "gensim": gensim.__version__,
        "model": kind,
        "kwargs": kwargs,
        "vocab": len(model.wv.index_to_key),
        "corpus_total_words": model.corpus_total_words,
        "seconds": {"import": round(t_import - t_start, 3), "vocab_and_train": round(t_train - t_import, 3),
                    "save": round(t_save - t_train, 3)},
    }), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
