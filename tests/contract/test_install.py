"""The contracts distribution installs alone: pydantic and nothing of the platform."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "contracts"
PLATFORM = {"faststream", "sqlalchemy", "aio-pika", "aiormq", "structlog", "asyncpg", "orderflow"}


def _run(*command: str | Path, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_NO_INPUT"] = "1"
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_contracts_install_alone(tmp_path: Path) -> None:
    # Build from a copy so the build leaves nothing in the working tree.
    source = tmp_path / "src"
    shutil.copytree(
        SOURCE,
        source,
        ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"),
    )
    wheels = tmp_path / "wheels"
    pip = (sys.executable, "-m", "pip")
    _run(*pip, "wheel", "--no-deps", "-q", source, "--wheel-dir", wheels, cwd=tmp_path)
    (wheel,) = wheels.glob("orderflow_contracts-0.1.0-*.whl")

    _run(sys.executable, "-m", "venv", tmp_path / "venv", cwd=tmp_path)
    python = tmp_path / "venv" / "bin" / "python"
    _run(python, "-m", "pip", "install", "-q", wheel, cwd=tmp_path)

    listed = json.loads(_run(python, "-m", "pip", "list", "--format=json", cwd=tmp_path))
    names = {entry["name"].lower().replace("_", "-") for entry in listed}
    assert {"orderflow-contracts", "pydantic"} <= names
    assert names & PLATFORM == set()

    probe = (
        "import json, sys\n"
        "import contracts\n"
        "from contracts.registry import REGISTRY\n"
        "from contracts.export import published_schemas\n"
        "print(json.dumps({'messages': len(REGISTRY.all()), 'schemas': len(published_schemas()),"
        " 'file': contracts.__file__}))\n"
    )
    report = json.loads(_run(python, "-c", probe, cwd=tmp_path))
    assert report["messages"] > 50
    assert report["schemas"] == report["messages"] + 1  # plus the envelope
    assert str(tmp_path / "venv") in report["file"]
