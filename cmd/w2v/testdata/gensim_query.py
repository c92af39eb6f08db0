#!/usr/bin/env python3
"""Reference answers from gensim 4 for w2v's query commands.

cmd/w2v/gensim_test.go runs this with Debian's python3-gensim to check that
w2v answers analogy questions and word-pair sets as gensim does:

  gensim_query.py train CORPUS OUT.bin
      train a small CBOW model on CORPUS (a text file of words, maybe .gz)
      and save it in word2vec's binary format.
  gensim_query.py eval MODEL.bin QUESTIONS [PAIRS...]
      print JSON: evaluate_word_analogies(restrict_vocab=30000,
      case_insensitive=True) with gensim's own answer to every question it
      answered, most_similar_cosmul's answers to a sample of questions, and
      evaluate_word_pairs for each PAIRS file.
"""
import gzip
import json
import sys

from gensim.models import KeyedVectors, Word2Vec

RESTRICT = 30000
COSMUL_SAMPLE = 600


def train(corpus, out):
    opener = gzip.open if corpus.endswith(".gz") else open
    with opener(corpus, "rt", encoding="utf-8") as f:
        words = f.read().split()
    sentences = [words[i:i + 1000] for i in range(0, len(words), 1000)]
    # min_count=2 leaves more than 30,000 words, so the restriction to the
    # 30,000 most frequent is exercised.
    model = Word2Vec(sentences, vector_size=50, window=5, min_count=2, sg=0,
                     alpha=0.05, negative=5, epochs=3, workers=2, seed=1)
    model.wv.save_word2vec_format(out, binary=True)


def best_two(sims, ok, ignore):
    """The first two answers evaluate_word_analogies would accept."""
    valid = [(w, s) for w, s in sims if w.upper() in ok and w.upper() not in ignore]
    return valid[:2]


def evaluate(model, questions, pairs):
    kv = KeyedVectors.load_word2vec_format(model, binary=True)
    ok = {k.upper() for k in kv.index_to_key[:RESTRICT]}

    # Record every most_similar call evaluate_word_analogies makes, in order,
    # to recover its answer to each question it did not skip.
    calls = []
    original = kv.most_similar

    def recording(positive=None, negative=None, **kw):
        sims = original(positive=positive, negative=negative, **kw)
        calls.append((positive, negative, sims))
        return sims

    kv.most_similar = recording
    score, sections = kv.evaluate_word_analogies(
        questions, restrict_vocab=RESTRICT, case_insensitive=True)
    del kv.most_similar

    answers = []
    for (b, c), (a,), sims in calls:
        top = best_two(sims, ok, {a, b, c})
        answers.append({
            "question": [a, b, c],
            "answer": top[0][0].upper() if top else None,
            "gap": top[0][1] - top[1][1] if len(top) > 1 else None,
        })

    # 3CosMul over the whole vocabulary (gensim 4 ignores restrict_vocab
    # there), on an evenly spread sample of the questions whose words are
    # all in the vocabulary as written (lower-cased).
    covered = []
    with open(questions, encoding="utf-8") as f:
        for line in f:
            if line.startswith(":"):
                continue
            q = line.lower().split()
            if len(q) == 4 and all(w in kv.key_to_index for w in q):
                covered.append(q)
    step = max(1, len(covered) // COSMUL_SAMPLE)
    cosmul = []
    for a, b, c, d in covered[::step]:
        sims = kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=2)
        cosmul.append({
            "question": [a, b, c],
            "answer": sims[0][0],
            "gap": sims[0][1] - sims[1][1],
        })

    pair_results = []
    for path in pairs:
        pearson, spearman, oov = kv.evaluate_word_pairs(path)
        pair_results.append({"file": path, "spearman": float(spearman[0]), "oov_percent": oov})

    json.dump({
        "words": len(kv.index_to_key),
        "sections": [{"section": s["section"], "correct": len(s["correct"]),
                      "incorrect": len(s["incorrect"])} for s in sections],
        "answers": answers,
        "cosmul": cosmul,
        "pairs": pair_results,
    }, sys.stdout)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "train":
        train(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 4 and sys.argv[1] == "eval":
        evaluate(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit(__doc__)
