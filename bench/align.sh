#!/bin/sh
# Acceptance benchmark of w2v align (make bench-align; bench/align.py says
# what it checks): two models trained by w2v, dim 100, default settings, on
# disjoint 10M-word slices of the benchmark corpus (words 0-10M and
# 10M-20M), aligned on the words they share among their 20,000 most
# frequent minus 1,500 held-out test words, against numpy.linalg.svd.
#
# Files go under $ALIGN_OUT (default bench-out/align, about 300 MB); the
# corpus and models there are reused by later runs (delete them to redo).
# Needs Debian's python3-numpy (/usr/bin/python3) and BENCH_CORPUS_SCRIPT
# (default ../shared/data/make-corpus.sh; see bench/README.md).
set -eu
cd "$(dirname "$0")/.."
out=${ALIGN_OUT:-bench-out/align}
script=${BENCH_CORPUS_SCRIPT:-../shared/data/make-corpus.sh}
mkdir -p "$out"
go build -o "$out/w2v" ./cmd/w2v
if [ ! -f "$out/a.txt" ] || [ ! -f "$out/b.txt" ]; then
	if [ ! -f "$script" ]; then
		echo "bench/align.sh: no corpus script at $script; set BENCH_CORPUS_SCRIPT (bench/README.md)" >&2
		exit 1
	fi
	bash "$script" "$out/corpus-20m.txt" 20000000
	tr ' ' '\n' <"$out/corpus-20m.txt" | head -n 10000000 | tr '\n' ' ' >"$out/a.tmp" && mv "$out/a.tmp" "$out/a.txt"
	tr ' ' '\n' <"$out/corpus-20m.txt" | tail -n +10000001 | tr '\n' ' ' >"$out/b.tmp" && mv "$out/b.tmp" "$out/b.txt"
fi
for m in a b; do
	if [ ! -f "$out/$m.bin" ]; then
		/usr/bin/time -f "train $m: %e s, %M KiB peak" "$out/w2v" train "$out/$m.txt" -o "$out/$m.bin" --dim 100 --quiet
	fi
done
echo "bench-align: $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
exec /usr/bin/python3 bench/align.py --w2v "$out/w2v" --a "$out/a.bin" --b "$out/b.bin" --out "$out"
