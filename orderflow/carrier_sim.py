"""The built-in simulated carrier on a local system (``orderflow up``, ``demo``, the tests and
the benchmark): its simulator routes switched on, and the secret its system signs its reports
with (``shared.signing``), shared by the logistics process and the simulator's carrier.

The secret is the environment's (``LOGISTICS_CARRIER_SECRETS``) when set; otherwise one made
for this checkout and kept in ``var/`` (readable by its owner only), so that ``orderflow up``
and a later ``orderflow simulate`` agree on it. Nothing here is used in a real deployment:
there, operations give each carrier its own secret.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

SIMULATED_CARRIER = "carrier.sim"
SECRET_FILE = Path("var/simulated-carrier.secret")


def with_carrier_simulator(env: dict[str, str]) -> dict[str, str]:
    """``env`` with the simulator's routes on and the simulated carrier's secret, unless the
    environment already says otherwise."""
    env.setdefault("LOGISTICS_SIMULATOR_ROUTES", "true")
    if "LOGISTICS_CARRIER_SECRETS" not in env:
        env["LOGISTICS_CARRIER_SECRETS"] = json.dumps({SIMULATED_CARRIER: local_secret()})
    return env


def signing_secrets(env: Mapping[str, str]) -> dict[str, str]:
    """Carrier login -> secret, as logistics reads them from ``env``."""
    secrets_by_login = json.loads(env.get("LOGISTICS_CARRIER_SECRETS") or "{}")
    return {str(login): str(secret) for login, secret in secrets_by_login.items()}


def local_secret(path: Path = SECRET_FILE) -> str:
    """This checkout's secret for the simulated carrier, made on first use."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: take theirs
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(secret)
    return secret
