#!/bin/sh
# Lints what the Go tools do not: the shell scripts with shellcheck and the
# Python under bench/ and testdata/ with pyflakes. A missing linter fails the
# run under CI=true; otherwise its check is skipped with a note.
set -eu

status=0
if command -v shellcheck >/dev/null 2>&1; then
	shellcheck scripts/*.sh bench/*.sh .ci/run || status=1
elif [ "${CI:-}" = true ]; then
	echo "lint: shellcheck is missing and CI=true (apt-get install -y shellcheck)" >&2
	status=1
else
	echo "lint: shellcheck is missing; shell scripts not checked (apt-get install -y shellcheck)" >&2
fi

py=$(git ls-files --cached --others --exclude-standard '*.py' 2>/dev/null || find . -name '*.py' -not -path './corpus/*')
if /usr/bin/python3 -m pyflakes --version >/dev/null 2>&1; then
	# shellcheck disable=SC2086 # one argument per file
	/usr/bin/python3 -m pyflakes $py || status=1
elif [ "${CI:-}" = true ]; then
	echo "lint: pyflakes is missing and CI=true (apt-get install -y python3-pyflakes)" >&2
	status=1
else
	echo "lint: pyflakes is missing; Python not checked (apt-get install -y python3-pyflakes)" >&2
fi
exit $status
