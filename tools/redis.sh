#!/usr/bin/env bash
# Installs redis-server (Debian's package) when it is missing: the tests of
# the Redis room directory start their own throwaway redis-server on a free
# loopback port (directory/redistest), and fail without one.
set -euo pipefail
if command -v redis-server >/dev/null && dpkg -s redis-server >/dev/null 2>&1; then
	echo "redis-server is installed: $(redis-server --version | cut -d' ' -f1-3)"
	exit 0
fi
if command -v redis-server >/dev/null; then
	echo "redis-server found at $(command -v redis-server)"
	exit 0
fi
echo "== apt-get install redis-server"
sudo=()
if [ "$(id -u)" != 0 ]; then sudo=(sudo); fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq redis-server >/dev/null
redis-server --version
