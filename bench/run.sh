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
BENCH_DATA=${BENCH_DATA:-../shared/data}
PY=${BENCH_PYTHON:-/usr/bin/python3}
TOOLS=" ${BENCH_TOOLS:-w2v gensim fasttext} "
FASTTEXT=${BENCH_FASTTEXT:-fasttext}
[[ "$BENCH_WORDS" =~ ^[0-9]+$ ]] || die "BENCH_WORDS must be a number of words (0 = the whole corpus)"
export BENCH_DATA BENCH_PYTHON=$PY

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
[[ -f "$BENCH_DATA/make-corpus.sh" ]] || die "no $BENCH_DATA/make-corpus.sh (set BENCH_DATA)"
bash "$BENCH_DATA/make-corpus.sh" "$corpus" "$BENCH_WORDS"

exec "$PY" bench/bench.py "$corpus"
