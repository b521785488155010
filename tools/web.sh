#!/usr/bin/env bash
# make web: type-checks the TypeScript of web/ (the SDK, its tests, the
# examples of its README and, once it exists, the app) with tsc, after npm ci when web/node_modules is
# missing or stale. The browser game's bundle step belongs here too.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/webinstall.sh
web_install
# The SDK, its tests, and the examples of its README.
readme=$(node web/scripts/readme-example.mjs)
for project in web/sdk/tsconfig.json web/sdk/test/tsconfig.json "$readme"; do
	web/node_modules/.bin/tsc -p "$project"
done
echo "web type check clean"
