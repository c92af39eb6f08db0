#!/bin/sh
# Runs every fuzz target in the module for FUZZTIME each (a duration such as
# 5m, or a count of executions such as 3000x). The targets are found with
# `go test -list`, so a new one is run without being listed anywhere.
#
#   scripts/fuzz.sh 5m      # make fuzz
#   scripts/fuzz.sh 3000x   # make test: a short smoke run of each
set -eu
fuzztime=${1:?usage: scripts/fuzz.sh FUZZTIME}
go=${GO:-go}

# `go test -list` prints a package's matching names, then "ok  PKG  TIME".
targets=$("$go" test -list '^Fuzz' ./... | awk '
	/^Fuzz/ { names[n++] = $1; next }
	/^ok/   { for (i = 0; i < n; i++) print $2 ":" names[i]; n = 0 }')
[ -n "$targets" ] || { echo "fuzz: no fuzz targets found" >&2; exit 1; }

for t in $targets; do
	pkg=${t%%:*} name=${t##*:}
	echo "== $name ($pkg, $fuzztime)"
	"$go" test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" "$pkg"
done
