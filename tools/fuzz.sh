#!/usr/bin/env bash
# Runs every fuzz target of the module (each func Fuzz* in a _test.go file)
# for FUZZTIME (default 10s) each, one after the other; the committed seed
# corpora (testdata/fuzz) run first. FUZZPARALLEL sets the fuzzing workers
# (default: go's, one per CPU). A failing input is written to the target's
# testdata/fuzz directory, where go test replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}
parallel=()
if [ -n "${FUZZPARALLEL:-}" ]; then
	parallel=(-parallel "$FUZZPARALLEL")
fi
targets=$(git ls-files '*_test.go' 2>/dev/null || find . -name '*_test.go')
found=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for file in $(grep -l '^func Fuzz' $targets); do
	pkg=./$(dirname "$file")
	for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
		found=$((found + 1))
		echo "== $pkg $name ($fuzztime)"
		# The last lines on success; all of them when the target fails, for
		# go test's reason is often above its last lines. Go's fuzzer can
		# fail with "context deadline exceeded" and no failing input when
		# -fuzztime ends while a worker is busy (golang/go#51484, frequent
		# on a loaded machine): such a run is tried once more; a failing
		# input, or a second failure, fails the script.
		for try in 1 2; do
			if go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" "${parallel[@]}" "$pkg" >"$out" 2>&1; then
				tail -n 3 "$out"
				break
			fi
			cat "$out"
			if [ "$try" = 1 ] && grep -q 'context deadline exceeded' "$out" && ! grep -q 'Failing input written' "$out"; then
				echo "fuzz target $name of $pkg: the fuzzer's deadline failure without a failing input; once more" >&2
				continue
			fi
			echo "fuzz target $name of $pkg failed" >&2
			exit 1
		done
	done
done
echo "fuzzed $found targets for $fuzztime each"
