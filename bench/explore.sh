#!/usr/bin/env bash
# explore.sh - `make bench-explore`: w2v's t-SNE, PCA and k-means against
# scikit-learn's on vectors w2v trains on the benchmark corpus.
#
# Usage: bench/explore.sh
# Environment:
#   BENCH_CORPUS_SCRIPT  writes the corpus: SCRIPT OUT N_WORDS (default ../shared/data/make-corpus.sh)
#   BENCH_EXPLORE_WORDS  corpus words (default 0 = the whole corpus, 70M words: 100,000
#                        words reach --min-count 5 only in a corpus that large)
#   BENCH_EXPLORE_DIR    work directory, kept between runs (default /tmp/w2v-bench-explore)
#   BENCH_EXPLORE_TSNE   t-SNE sizes (default "5000 20000")
#   BENCH_PYTHON         python with numpy (default /usr/bin/python3)
set -euo pipefail

log() { printf 'bench-explore: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BENCH_CORPUS_SCRIPT=${BENCH_CORPUS_SCRIPT:-../shared/data/make-corpus.sh}
WORDS=${BENCH_EXPLORE_WORDS:-0}
DIR=${BENCH_EXPLORE_DIR:-/tmp/w2v-bench-explore}
PY=${BENCH_PYTHON:-/usr/bin/python3}
[[ "$WORDS" =~ ^[0-9]+$ ]] || die "BENCH_EXPLORE_WORDS must be a number of words (0 = the whole corpus)"

log "go build -o bin/w2v ./cmd/w2v"
go build -o bin/w2v ./cmd/w2v
W2V=$PWD/bin/w2v

# --- scikit-learn, the peer ---------------------------------------------------------
if ! "$PY" -c 'import sklearn, numpy' 2>/dev/null; then
	cmd="apt-get update && apt-get install -y python3-sklearn"
	[[ $(id -u) -eq 0 ]] || die "missing python3-sklearn; install it with: sudo sh -c '$cmd'"
	log "installing python3-sklearn: $cmd"
	apt-get update >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y python3-sklearn >&2
	"$PY" -c 'import sklearn' || die "$PY still cannot import sklearn"
fi

# --- corpus and model (kept in $DIR: a second run reuses them) -------------------------
mkdir -p "$DIR"
[[ -f "$BENCH_CORPUS_SCRIPT" ]] || die "no corpus script at $BENCH_CORPUS_SCRIPT (set BENCH_CORPUS_SCRIPT; see bench/README.md)"
if ((WORDS == 0)); then
	bash "$BENCH_CORPUS_SCRIPT" "$DIR/corpus.txt"
else
	bash "$BENCH_CORPUS_SCRIPT" "$DIR/corpus.txt" "$WORDS"
fi
if [[ ! -f "$DIR/model.w2v" || "$DIR/corpus.txt" -nt "$DIR/model.w2v" ]]; then
	log "training: w2v train --dim 100 --epochs 1 (the vectors only need to be real, not the best)"
	"$W2V" train "$DIR/corpus.txt" --dim 100 --epochs 1 -q -o "$DIR/model.bin"
	"$W2V" convert "$DIR/model.bin" -o "$DIR/model.w2v"
fi

read -r -a sizes <<<"${BENCH_EXPLORE_TSNE:-5000 20000}"
"$PY" bench/explore.py --w2v "$W2V" --model "$DIR/model.w2v" --dir "$DIR" --tsne "${sizes[@]}"
