#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh Debian/Ubuntu machine:
# Debian's chromium (browser tests), a virtual environment with builder and the test
# tools, and the npm packages (scorm-again, axe-core). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing Debian's chromium" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e ".[test]"

if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: done (chromium: $(command -v chromium), python: .venv/bin/python)" >&2
