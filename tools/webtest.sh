#!/usr/bin/env bash
# The web half of make test (after the Go tests): npm ci when needed, the
# generated TypeScript is current, the type check, the unit tests of the
# SDK and the game (node --test; they include the cross-language vectors
# and tests against a real tickwire server), the committed bundle of the
# game is current, then the browser end-to-end tests in headless Chromium
# (installed with apt-get when /usr/bin/chromium is missing).
#
# TICKWIRE_RACE=1 builds the server the tests run with the race detector;
# TICKWIRE_SERVER_BIN names one already built; TICKWIRE_CHROMIUM another
# Chromium than /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/webinstall.sh
web_install

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== generated TypeScript"
tools/proto.sh check-es

echo "== type check"
tools/web.sh typecheck

if [ -z "${TICKWIRE_SERVER_BIN:-}" ]; then
	race=()
	if [ "${TICKWIRE_RACE:-}" = 1 ]; then race=(-race); fi
	go build "${race[@]}" -o "$tmp/tickwire" ./cmd/tickwire
	export TICKWIRE_SERVER_BIN=$tmp/tickwire
fi

echo "== SDK and game unit tests"
node web/scripts/test.mjs

echo "== committed bundle of web/app"
node web/scripts/build-app.mjs "$tmp/dist" >/dev/null
if ! diff -r web/app/dist "$tmp/dist"; then
	echo "web/app/dist is stale: run make web and commit web/app/dist" >&2
	exit 1
fi
echo "web/app/dist is current"

# Browser end-to-end tests: web/app on a real server in headless Chromium.
run_browser_e2e() {
	if [ -z "${TICKWIRE_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
		echo "== apt-get install chromium"
		local sudo=()
		if [ "$(id -u)" != 0 ]; then sudo=(sudo); fi
		"${sudo[@]}" apt-get update -qq
		DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium >/dev/null
	fi
	echo "== browser end-to-end tests"
	node web/scripts/e2e.mjs
}
run_browser_e2e
