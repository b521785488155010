#!/usr/bin/env bash
# make web: type-checks the TypeScript of web/ (the SDK, its tests and, once
# it exists, the app) with tsc, after npm ci when web/node_modules is
# missing or stale. The browser game's bundle step belongs here too.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/webinstall.sh
web_install
for project in web/sdk/tsconfig.json web/sdk/test/tsconfig.json; do
	web/node_modules/.bin/tsc -p "$project"
done
echo "web type check clean"
