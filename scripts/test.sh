#!/usr/bin/env bash
# Everything a change must pass: lint, types, import boundaries, and all tests against the real
# RabbitMQ and PostgreSQL. Does its own set-up, so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy contracts/contracts shared services orderflow
.venv/bin/python -m pytest --durations=20 "$@"
