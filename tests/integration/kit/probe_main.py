"""The probe as an OS process (``python -m tests.integration.kit.probe_main``), for tests that
stop and start a service the way ops do. Settings come from ``PROBE_*`` environment variables."""

from __future__ import annotations

from shared.entry import serve
from tests.integration.kit.probe import runtime_from_env

if __name__ == "__main__":
    serve(runtime_from_env())
