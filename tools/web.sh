#!/usr/bin/env bash
# make web: type-checks the TypeScript of web/ (the SDK, the browser game,
# their tests, the browser end-to-end tests and the examples of the SDK's
# README) with tsc, then bundles the game into web/app/dist, which the Go
# server embeds (commit it). npm ci runs first when web/node_modules is
# missing or stale.
#
#   tools/web.sh            type check, then bundle
#   tools/web.sh typecheck  type check only (tools/webtest.sh checks the bundle itself)
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/webinstall.sh
web_install
readme=$(node web/scripts/readme-example.mjs)
for project in web/sdk/tsconfig.json web/sdk/test/tsconfig.json "$readme" \
	web/app/tsconfig.json web/app/test/tsconfig.json web/app/e2e/tsconfig.json; do
	web/node_modules/.bin/tsc -p "$project"
done
echo "web type check clean"
if [ "${1:-}" != typecheck ]; then
	node web/scripts/build-app.mjs
fi
