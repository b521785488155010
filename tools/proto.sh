#!/usr/bin/env bash
# Regenerates the code of proto/**/*.proto with pinned buf and plugins, or
# with "check" verifies the committed code is current:
#   - Go beside each .proto (buf.gen.yaml, protoc-gen-go), always;
#   - TypeScript for the web SDK in web/sdk/src/gen (buf.gen.es.yaml,
#     protoc-gen-es from web/node_modules), when web/node_modules has it
#     (npm ci in web/); without node the Go part alone runs.
# "check-es" checks the TypeScript alone (tools/webtest.sh runs it).
#
# buf and protoc-gen-go are built once from source into a per-version cache
# folder (TICKWIRE_TOOLS_CACHE, default ~/.cache/tickwire/tools); buf takes a
# few minutes the first time. Nothing here is needed to build or run the
# server.
set -euo pipefail

BUF_VERSION=v1.75.0
cd "$(dirname "$0")/.."
# protoc-gen-go must match the protobuf runtime that go.mod pins.
PROTOC_GEN_GO_VERSION=$(go list -m -f '{{.Version}}' google.golang.org/protobuf)
cache=${TICKWIRE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tickwire/tools}
es_plugin=web/node_modules/.bin/protoc-gen-es
es_out=web/sdk/src/gen

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

have_es() { [ -x "$es_plugin" ]; }

# compare NAME COMMITTED_DIR GENERATED_DIR PATTERN: report files of PATTERN
# that differ or exist on one side only; returns 1 when any does.
compare() {
	local name=$1 committed=$2 generated=$3 pattern=$4 stale=0 f
	while IFS= read -r f; do
		if ! cmp -s "$generated/$f" "$committed/$f"; then
			echo "stale generated $name code: $committed/$f (run make proto)" >&2
			stale=1
		fi
	done < <(cd "$generated" && find . -name "$pattern" | sed 's|^\./||' | sort)
	while IFS= read -r f; do
		if [ ! -e "$generated/$f" ]; then
			echo "generated $name file no longer produced: $committed/$f (run make proto)" >&2
			stale=1
		fi
	done < <(cd "$committed" && find . -name "$pattern" | sed 's|^\./||' | sort)
	return "$stale"
}

check_go() {
	local tmp
	tmp=$(mktemp -d)
	buf generate -o "$tmp"
	local rc=0
	compare Go proto "$tmp/proto" '*.pb.go' || rc=1
	rm -rf "$tmp"
	[ "$rc" = 0 ] && echo "generated Go code is current"
	return "$rc"
}

check_es() {
	local tmp
	tmp=$(mktemp -d)
	buf generate --template buf.gen.es.yaml -o "$tmp"
	local rc=0
	compare TypeScript "$es_out" "$tmp/$es_out" '*.ts' || rc=1
	rm -rf "$tmp"
	[ "$rc" = 0 ] && echo "generated TypeScript code is current"
	return "$rc"
}

case "${1:-generate}" in
generate)
	buf generate
	if have_es; then
		buf generate --template buf.gen.es.yaml
	else
		echo "skipping the TypeScript code: no $es_plugin (run npm ci in web/)" >&2
	fi
	;;
check)
	rc=0
	check_go || rc=1
	if have_es; then
		check_es || rc=1
	else
		echo "not checking the TypeScript code: no $es_plugin (tools/webtest.sh checks it)" >&2
	fi
	exit "$rc"
	;;
check-es)
	if ! have_es; then
		echo "no $es_plugin: run npm ci in web/" >&2
		exit 1
	fi
	check_es
	;;
*)
	echo "usage: $0 [generate|check|check-es]" >&2
	exit 2
	;;
esac
