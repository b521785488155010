#!/usr/bin/env bash
# The web half of make test (after the Go tests): npm ci when needed, the
# generated TypeScript is current, the type check, then the SDK's unit tests
# (node --test; they include the cross-language vectors and tests against a
# real tickwire server that they build with go build).
#
# TICKWIRE_RACE=1 builds that server with the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/webinstall.sh
web_install

echo "== generated TypeScript"
tools/proto.sh check-es

echo "== type check"
tools/web.sh

echo "== SDK tests"
node web/scripts/test.mjs

# Browser end-to-end tests (web/app on a real server in headless Chromium)
# go here, with the apt-get install of /usr/bin/chromium they need.
run_browser_e2e() {
	:
}
run_browser_e2e
