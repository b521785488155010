#!/usr/bin/env bash
# Installs web/node_modules with npm ci when it is missing or was installed
# from another web/package-lock.json. Sourced by tools/web.sh and
# tools/webtest.sh; needs node and npm.
web_install() {
	local stamp=web/node_modules/.tickwire-lock
	if [ -d web/node_modules ] && cmp -s web/package-lock.json "$stamp"; then
		return 0
	fi
	echo "== npm ci in web/" >&2
	(cd web && npm ci --no-audit --no-fund)
	cp web/package-lock.json "$stamp"
}
