#!/usr/bin/env bash
# gofmt, go vet and a pinned staticcheck (built once into the tools cache).
set -euo pipefail
cd "$(dirname "$0")/.."
STATICCHECK_VERSION=v0.8.2
cache=${TICKWIRE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tickwire/tools}

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt needed on:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
dir=$cache/staticcheck-$STATICCHECK_VERSION
if [ ! -x "$dir/staticcheck" ]; then
	echo "building staticcheck $STATICCHECK_VERSION into $dir (once per version)" >&2
	GOBIN=$dir GOFLAGS=-mod=mod go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
fi
"$dir/staticcheck" ./...
echo "lint clean"
