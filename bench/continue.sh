#!/usr/bin/env bash
# continue.sh - `make bench-continue`: build w2v, make the corpus, run bench/continue.py.
#
# Usage: bench/continue.sh
# Environment: BENCH_CORPUS_SCRIPT (as for bench/run.sh), BENCH_HALF_WORDS
# (default 5000000: train on that many words, continue on as many more),
# BENCH_DIM, BENCH_THREADS, BENCH_REPEAT, BENCH_OUT, BENCH_PYTHON, BENCH_SUBWORDS
# (default 0; 1: fastText's subword skip-gram, the main bench's sg-sub mode, w2v
# --subwords against gensim's FastText, results in BENCH_OUT/continue-sub/); see
# bench/continue.py.
set -euo pipefail

log() { printf 'bench-continue: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

cd "$(dirname "${BASH_SOURCE[0]}")/.."
half=${BENCH_HALF_WORDS:-5000000}
[[ "$half" =~ ^[1-9][0-9]*$ ]] || die "BENCH_HALF_WORDS must be a positive number of words"
export BENCH_HALF_WORDS=$half
PY=${BENCH_PYTHON:-/usr/bin/python3}
BENCH_CORPUS_SCRIPT=${BENCH_CORPUS_SCRIPT:-../shared/data/make-corpus.sh}

if [[ -z "${BENCH_W2V:-}" ]]; then
	log "go build -o bin/w2v ./cmd/w2v"
	go build -o bin/w2v ./cmd/w2v
fi
if ! "$PY" -c 'import gensim' 2>/dev/null; then
	cmd="apt-get update && apt-get install -y python3-gensim"
	[[ $(id -u) -eq 0 ]] || die "missing python3-gensim; install it with: sudo sh -c '$cmd'"
	log "installing python3-gensim: $cmd"
	apt-get update >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y python3-gensim >&2
fi
[[ -f "$BENCH_CORPUS_SCRIPT" ]] || die "no corpus script at $BENCH_CORPUS_SCRIPT (see bench/README.md: 'SCRIPT OUT N_WORDS')"
words=$((2 * half))
if ((words % 1000000 == 0)); then
	corpus=corpus/en$((words / 1000000))m.txt
else
	corpus=corpus/en$words.txt
fi
bash "$BENCH_CORPUS_SCRIPT" "$corpus" "$words"
exec "$PY" bench/continue.py "$corpus"
