"""A RabbitMQ node and a PostgreSQL cluster of a test's own, beside the shared ones.

Tests that stop the broker or the database must not stop the instances other test runs share.
These launchers start private ones on other ports, in temporary folders owned by the service
users, and remove them again::

    node = PrivateRabbit.start("chaos1", port=25672)
    node.stop_app(); node.start_app(); node.close_all_connections(); node.stop()

    cluster = PrivatePostgres.start("chaos1", port=25432)
    cluster.restart(); cluster.stop()

Both need root (they run the servers as the ``rabbitmq`` and ``postgres`` users) and the Debian
packages' binaries.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_RABBIT_BIN = Path("/usr/lib/rabbitmq/bin")


def available() -> str | None:
    """Why private instances cannot run here, or None when they can."""
    if os.geteuid() != 0:
        return "needs root to run servers as the rabbitmq and postgres users"
    if not (_RABBIT_BIN / "rabbitmq-server").exists():
        return "no RabbitMQ server installed"
    if not _pg_bin():
        return "no PostgreSQL server binaries in /usr/lib/postgresql"
    for user in ("rabbitmq", "postgres"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            return f"no {user} user"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, within_s: float, what: str) -> None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.2)
    raise TimeoutError(f"{what} not listening on {port} after {within_s}s")


def _own_dir(prefix: str, user: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    account = pwd.getpwnam(user)
    os.chown(path, account.pw_uid, account.pw_gid)
    path.chmod(0o700)
    return path


def _as(user: str) -> dict[str, object]:
    account = pwd.getpwnam(user)
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


@dataclass
class PrivateRabbit:
    """One RabbitMQ node with its own name, ports, data and logs."""

    name: str
    port: int
    base: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]

    @property
    def node(self) -> str:
        return str(self.env["RABBITMQ_NODENAME"])

    @property
    def amqp_url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    @classmethod
    def start(
        cls, name: str, port: int | None = None, dist_port: int | None = None
    ) -> PrivateRabbit:
        port = port or free_port()
        base = _own_dir(f"orderflow-rabbit-{name}-", "rabbitmq")
        conf = base / "rabbitmq.conf"
        conf.write_text(f"listeners.tcp.local = 127.0.0.1:{port}\nloopback_users = none\n")
        (base / "enabled_plugins").write_text("[].\n")
        (base / "rabbitmq-env.conf").write_text("")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": pwd.getpwnam("rabbitmq").pw_dir,
            "LANG": "C.UTF-8",
            "RABBITMQ_NODENAME": f"{name}@localhost",
            "RABBITMQ_NODE_PORT": str(port),
            "RABBITMQ_DIST_PORT": str(dist_port or free_port()),
            "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
            "RABBITMQ_CONFIG_FILE": str(conf),
            "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(base / "log"),
            "RABBITMQ_PID_FILE": str(base / "rabbit.pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
            "RABBITMQ_FEATURE_FLAGS_FILE": str(base / "feature_flags"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
        }
        for path in base.iterdir():
            shutil.chown(path, "rabbitmq", "rabbitmq")
        # started outside systemd the soft open-file limit is 1024: too few (see scripts/infra.sh)
        process = subprocess.Popen(
            ["/bin/sh", "-c", f'ulimit -n "$(ulimit -Hn)"; exec {_RABBIT_BIN}/rabbitmq-server'],
            env=env,
            cwd=base,
            stdout=(base / "stdout.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **_as("rabbitmq"),  # type: ignore[arg-type]
        )
        node = cls(name, port, base, env, process)
        try:
            node._await_startup(within_s=150)
        except BaseException:
            node.stop()
            raise
        return node

    def ctl(self, *args: str, timeout: float = 120) -> str:
        result = subprocess.run(
            [str(_RABBIT_BIN / "rabbitmqctl"), "-n", self.node, *args],
            env=self.env,
            cwd=self.base,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **_as("rabbitmq"),  # type: ignore[arg-type]
        )
        if result.returncode != 0:
            raise subprocess.CalledProcessError(
                result.returncode, result.args, result.stdout, f"{result.stderr}{result.stdout}"
            )
        return result.stdout

    def _await_startup(self, within_s: float) -> None:
        """Until the node runs its app and takes connections; ``await_startup`` fails at once
        while the node has not registered its name yet, so it is asked again."""
        deadline = time.monotonic() + within_s
        while True:
            if self.process.poll() is not None:
                log = (self.base / "stdout.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"RabbitMQ {self.name} exited: {log}")
            try:
                self.ctl("await_startup", "--timeout", "60", timeout=90)
                break
            except subprocess.CalledProcessError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        _wait_port(self.port, max(5.0, deadline - time.monotonic()), f"RabbitMQ {self.name}")

    def stop_app(self) -> None:
        self.ctl("stop_app")

    def start_app(self) -> None:
        self.ctl("start_app")
        self._await_startup(within_s=120)

    def close_all_connections(self, reason: str = "closed by a test") -> None:
        self.ctl("close_all_connections", reason)

    def queues(self) -> dict[str, int]:
        """Every queue on the node with the number of messages in it."""
        out = self.ctl("list_queues", "-q", "--no-table-headers", "name", "messages")
        found: dict[str, int] = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                found[parts[0]] = int(parts[1])
        return found

    def stop(self) -> None:
        """Stop the node and remove its folder; kills it if it does not stop in time."""
        if self.process.poll() is None:
            with contextlib.suppress(Exception):
                self.ctl("stop", timeout=60)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        shutil.rmtree(self.base, ignore_errors=True)


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


@dataclass
class PrivatePostgres:
    """One PostgreSQL cluster (trust auth, user postgres, database postgres) in a temp folder."""

    name: str
    port: int
    base: Path

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def database_url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    @classmethod
    def start(cls, name: str, port: int | None = None) -> PrivatePostgres:
        port = port or free_port()
        cluster = cls(name, port, _own_dir(f"orderflow-pg-{name}-", "postgres"))
        try:
            cluster._pg("initdb", "-D", str(cluster.data), "-A", "trust", "-U", "postgres")
            with (cluster.data / "postgresql.conf").open("a") as conf:
                conf.write(
                    f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{cluster.base}'\n"
                    "max_connections = 200\nfsync = off\nfull_page_writes = off\n"
                )
            cluster._ctl("start", "-w", "-t", "60")
            _wait_port(port, 30, f"PostgreSQL {name}")
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _pg(self, program: str, *args: str, timeout: float = 120) -> str:
        bin_dir = _pg_bin()
        assert bin_dir is not None
        result = subprocess.run(
            [str(bin_dir / program), *args],
            cwd=self.base,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **_as("postgres"),  # type: ignore[arg-type]
        )
        if result.returncode != 0:
            raise subprocess.CalledProcessError(
                result.returncode, result.args, result.stdout, f"{result.stderr}{result.stdout}"
            )
        return result.stdout

    def _ctl(self, action: str, *args: str) -> str:
        log = str(self.base / "server.log")
        return self._pg("pg_ctl", action, "-D", str(self.data), "-l", log, *args)

    def restart(self, mode: str = "fast") -> None:
        """Stop (``fast`` ends sessions, ``immediate`` is a crash) and start again."""
        self._ctl("restart", "-m", mode, "-w", "-t", "60")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                self._ctl("stop", "-m", "immediate", "-w", "-t", "30")
        shutil.rmtree(self.base, ignore_errors=True)
