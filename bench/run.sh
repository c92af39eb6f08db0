#!/usr/bin/env bash
# run.sh - `make bench`: build w2v, install the peers, make the corpus, run bench.py.
#
# Usage: bench/run.sh [--quick]
#   --quick   check the harness itself in a couple of minutes: defaults
#             BENCH_WORDS=1000000 BENCH_DIMS=100 (explicit settings still win)
# Environment: see bench/README.md (BENCH_WORDS, BENCH_DIMS, BENCH_TOOLS, ...).
set -euo pipefail

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

cd "$(dirname "${BASH_SOURCE[0]}")/.."
case "${1:-}" in
--quick) : "${BENCH_WORDS:=1000000}" "${BENCH_DIMS:=100}" ;;
"") ;;
*) die "usage: bench/run.sh [--quick]" ;;
esac
BENCH_WORDS=${BENCH_WORDS:-10000000}
export BENCH_DIMS=${BENCH_DIMS:-100 300}
# The corpus comes from a script `SCRIPT OUT N_WORDS` that writes the first
# N_WORDS words of the benchmark corpus to OUT (and OUT.stamp).
BENCH_CORPUS_SCRIPT=${BENCH_CORPUS_SCRIPT:-../shared/data/make-corpus.sh}
PY=${BENCH_PYTHON:-/usr/bin/python3}
TOOLS=" ${BENCH_TOOLS:-w2v gensim fasttext} "
FASTTEXT=${BENCH_FASTTEXT:-fasttext}
[[ "$BENCH_WORDS" =~ ^[0-9]+$ ]] || die "BENCH_WORDS must be a number of words (0 = the whole corpus)"
export BENCH_PYTHON=$PY

# --- w2v -----------------------------------------------------------------------
if [[ -z "${BENCH_W2V:-}" ]]; then
	log "go build -o bin/w2v ./cmd/w2v"
	go build -o bin/w2v ./cmd/w2v
fi

# --- peers (gensim also evaluates every tool's vectors) ---------------------------
pkgs=()
[[ -x "$PY" ]] && "$PY" -c 'import gensim' 2>/dev/null || pkgs+=(python3-gensim)
if [[ "$TOOLS" == *" fasttext "* ]] && ! command -v "$FASTTEXT" >/dev/null 2>&1; then
	pkgs+=(fasttext)
fi
if ((${#pkgs[@]})); then
	cmd="apt-get update && apt-get install -y ${pkgs[*]}"
	[[ $(id -u) -eq 0 ]] || die "missing ${pkgs[*]}; install them with: sudo sh -c '$cmd'"
	log "installing ${pkgs[*]}: $cmd"
	apt-get update >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y "${pkgs[@]}" >&2
	"$PY" -c 'import gensim' || die "$PY still cannot import gensim"
fi

# --- corpus: corpus/en10m.txt for 10,000,000 words (bench.py adds the line-broken copy)
if ((BENCH_WORDS == 0)); then
	corpus=corpus/en.txt
elif ((BENCH_WORDS % 1000000 == 0)); then
	corpus=corpus/en$((BENCH_WORDS / 1000000))m.txt
else
	corpus=corpus/en$BENCH_WORDS.txt
fi
if [[ ! -f "$BENCH_CORPUS_SCRIPT" ]]; then
	die "no corpus script at $BENCH_CORPUS_SCRIPT. The benchmark trains on the first BENCH_WORDS words
of the 2015 English Wikipedia corpus (text8 style, 70M words); set BENCH_CORPUS_SCRIPT to a script
that writes them: 'SCRIPT OUT N_WORDS' writes OUT and OUT.stamp (with a line 'words=N'), e.g.
  make bench BENCH_CORPUS_SCRIPT=/path/to/make-corpus.sh"
fi
bash "$BENCH_CORPUS_SCRIPT" "$corpus" "$BENCH_WORDS"

exec "$PY" bench/bench.py "$corpus"
