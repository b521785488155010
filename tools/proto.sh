#!/usr/bin/env bash
# Regenerates the Go code beside proto/**/*.proto with pinned buf and
# protoc-gen-go, or with "check" verifies the committed code is current.
#
# Both tools are built once from source into a per-version cache folder
# (TICKWIRE_TOOLS_CACHE, default ~/.cache/tickwire/tools); buf takes a few
# minutes the first time. Nothing here is needed to build or run the server.
set -euo pipefail

BUF_VERSION=v1.75.0
cd "$(dirname "$0")/.."
# protoc-gen-go must match the protobuf runtime that go.mod pins.
PROTOC_GEN_GO_VERSION=$(go list -m -f '{{.Version}}' google.golang.org/protobuf)
cache=${TICKWIRE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tickwire/tools}

install_tool() { # folder package version
	local dir=$cache/$1-$3
	if [ ! -x "$dir/$1" ]; then
		echo "building $1 $3 into $dir (once per version)" >&2
		GOBIN=$dir GOFLAGS=-mod=mod go install "$2@$3"
	fi
	PATH=$dir:$PATH
}
install_tool buf github.com/bufbuild/buf/cmd/buf "$BUF_VERSION"
install_tool protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go "$PROTOC_GEN_GO_VERSION"
export PATH

case "${1:-generate}" in
generate)
	buf generate
	;;
check)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	buf generate -o "$tmp"
	stale=0
	while IFS= read -r f; do
		if ! cmp -s "$tmp/$f" "$f"; then
			echo "stale generated code: $f (run make proto)" >&2
			stale=1
		fi
	done < <(cd "$tmp" && find . -name '*.pb.go' | sed 's|^\./||')
	committed=$(find proto -name '*.pb.go' | wc -l)
	generated=$(cd "$tmp" && find . -name '*.pb.go' | wc -l)
	if [ "$committed" != "$generated" ]; then
		echo "generated files differ in number: $committed committed, $generated generated" >&2
		stale=1
	fi
	[ "$stale" = 0 ] && echo "generated code is current"
	exit "$stale"
	;;
*)
	echo "usage: $0 [generate|check]" >&2
	exit 2
	;;
esac
