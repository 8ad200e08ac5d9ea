#!/usr/bin/env bash
# Set up, then run Orderflow's main job: all five services as separate processes and a seeded
# story of orders (classes A, B and C, signatures, deposits, cancellations) played through their
# public APIs, then a report. Extra arguments go to `orderflow demo` (e.g. --orders 50 --seed 3).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/orderflow demo "$@"
