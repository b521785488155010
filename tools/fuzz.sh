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
for file in $(grep -l '^func Fuzz' $targets); do
	pkg=./$(dirname "$file")
	for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
		found=$((found + 1))
		echo "== $pkg $name ($fuzztime)"
		go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" "${parallel[@]}" "$pkg" 2>&1 | tail -n 3
		# tail hides go test's status: take it from the pipeline.
		if [ "${PIPESTATUS[0]}" -ne 0 ]; then
			echo "fuzz target $name of $pkg failed" >&2
			exit 1
		fi
	done
done
echo "fuzzed $found targets for $fuzztime each"
