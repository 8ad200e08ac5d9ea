"""The simulated carrier's signing secret on a local system: one per checkout, kept readable by
its owner only, the same for ``orderflow up`` and a later ``orderflow simulate``; an
environment that names its carriers' secrets keeps them."""

from __future__ import annotations

import json
import stat

from orderflow.carrier_sim import (
    SIMULATED_CARRIER,
    local_secret,
    signing_secrets,
    with_carrier_simulator,
)


def test_the_local_secret_is_made_once_private_and_kept(tmp_path):
    path = tmp_path / "var" / "simulated-carrier.secret"
    first = local_secret(path)
    assert len(first) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert local_secret(path) == first
    assert local_secret(tmp_path / "elsewhere.secret") != first


def test_two_processes_starting_the_same_system_agree_on_the_secret(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    services = with_carrier_simulator({})  # what `orderflow up` starts logistics with
    simulator = signing_secrets(with_carrier_simulator({}))  # what `orderflow simulate` signs with
    assert services["LOGISTICS_SIMULATOR_ROUTES"] == "true"
    assert json.loads(services["LOGISTICS_CARRIER_SECRETS"]) == simulator
    assert set(simulator) == {SIMULATED_CARRIER}


def test_secrets_and_switches_the_environment_sets_are_kept(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    given = {
        "LOGISTICS_CARRIER_SECRETS": json.dumps({"zto-gateway": "from operations"}),
        "LOGISTICS_SIMULATOR_ROUTES": "false",
    }
    env = with_carrier_simulator(dict(given))
    assert env == given
    assert signing_secrets(env) == {"zto-gateway": "from operations"}
    assert not (tmp_path / "var").exists()
