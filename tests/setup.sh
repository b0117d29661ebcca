#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh Debian/Ubuntu machine:
# Debian's chromium (browser tests) and the libraries and tools of the PDF editions, a
# virtual environment with builder and the test tools, and the npm packages
# (scorm-again, axe-core). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}

if ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing Debian's chromium" >&2
  apt_install chromium
fi

# The PDF editions (handbook, workbook): WeasyPrint's system libraries (Pango, HarfBuzz)
# and a font; the tests read the PDFs back with poppler-utils (pdftotext) and qpdf.
missing=()
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils qpdf; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian's ${missing[*]}" >&2
  apt_install "${missing[@]}"
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
