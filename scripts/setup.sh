#!/usr/bin/env bash
# Fresh machine to ready: a virtualenv with everything installed, PostgreSQL and RabbitMQ up.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/infra.sh

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ./contracts -e ".[test]"

ensure_infra

# The console's browser tests drive Debian's Chromium (Playwright cannot download its own here).
if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium" >&2
  apt_install chromium
fi
