#!/bin/sh
# Query-side benchmark: w2v against gensim on synthetic vectors (see
# bench/query.py). Builds w2v, writes its files under bench-out/query
# (about 1.3 GB for the 1M x 300 load test; reused on later runs) and prints
# a table of times, ratios and peak RSS.
#
#   bench/query.sh                  # the full benchmark (several minutes)
#   bench/query.sh --words 200000   # a smaller load test
#   bench/query.sh --skip eval      # stages: load, eval
#
# Needs Debian's python3-gensim (/usr/bin/python3) and the evaluation sets
# in testdata/eval (or W2V_EVAL_DIR).
set -eu
cd "$(dirname "$0")/.."
out=bench-out/query
mkdir -p "$out"
go build -o "$out/w2v" ./cmd/w2v
eval_dir=${W2V_EVAL_DIR:-testdata/eval}
exec /usr/bin/python3 bench/query.py --w2v "$out/w2v" --questions "$eval_dir/questions-words.txt" --out "$out" "$@"
