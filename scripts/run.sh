#!/usr/bin/env bash
# Set up, then run Orderflow's main job. Until the services land, the main job is the runtime
# kit's own proof on this machine: one hop (outbox -> relay -> broker -> inbox handler) measured.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python -m bench.kit_roundtrip "$@"
