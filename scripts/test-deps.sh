#!/bin/sh
# Make sure the programs the tests use are installed: qemu-aarch64 (runs the
# arm64 kernels), gensim under /usr/bin/python3 (the tests compare against
# it), numpy there too (the export tests load .npy files with it), and the
# linters of scripts/lint.sh, shellcheck and pyflakes, and fastText (the
# fastText interop tests train, read and write its .bin models with it).
# As root, missing ones are installed with apt-get. Otherwise, under CI=true
# a missing one fails the run; outside CI the affected tests skip and say so.
set -eu

missing=""
command -v qemu-aarch64 >/dev/null 2>&1 || missing="$missing qemu-user"
/usr/bin/python3 -c 'import gensim' >/dev/null 2>&1 || missing="$missing python3-gensim"
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || missing="$missing python3-numpy"
command -v shellcheck >/dev/null 2>&1 || missing="$missing shellcheck"
/usr/bin/python3 -m pyflakes --version >/dev/null 2>&1 || missing="$missing python3-pyflakes"
command -v fasttext >/dev/null 2>&1 || missing="$missing fasttext"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "test-deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing >&2
	exit 0
fi
if [ "${CI:-}" = true ]; then
	echo "test-deps: missing$missing and cannot install them (not root); CI=true, so failing" >&2
	exit 1
fi
echo "test-deps: missing$missing; tests that need them will skip (install: apt-get install -y$missing)" >&2
