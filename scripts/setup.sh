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
