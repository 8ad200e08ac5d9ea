"""RabbitMQ nodes and a PostgreSQL cluster of a test's own, beside the machine's shared ones.

Tests that stop the broker or the database must not stop the instances other test runs share.
Each private RabbitMQ node gets its own node name, AMQP and distribution ports, config, data and
log folders (owned by the ``rabbitmq`` user) under a temporary folder; the broker on 5672 is never
touched. ``private_cluster(3)`` starts three such nodes and joins them with ``rabbitmqctl
join_cluster``. A private PostgreSQL cluster is made with initdb in a folder owned by ``postgres``.
Everything is stopped and removed when the block ends, also on failure::

    with private_node("chaos1") as node:
        node.stop_app(); node.start_app(); node.close_all_connections()
    with private_cluster(3, prefix="ofcl") as nodes:
        nodes[0].amqp_url
    postgres = PrivatePostgres.start("chaos1"); postgres.restart(); postgres.stop()

They need root (the servers run as the ``rabbitmq`` and ``postgres`` users) and the Debian
packages' binaries.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"
HOST = "localhost"
USER = "rabbitmq"
COOKIE_HOME = Path("/var/lib/rabbitmq")  # the node and rabbitmqctl share this Erlang cookie
START_TIMEOUT_S = 90


def unavailable_reason(postgres: bool = False) -> str | None:
    """Why private nodes (and, with ``postgres``, a private PostgreSQL) cannot start here."""
    if shutil.which("rabbitmqctl") is None or not Path(SERVER).exists():
        return "needs rabbitmq-server installed on this machine"
    if os.geteuid() != 0:
        return "needs root to run servers as the rabbitmq and postgres users"
    if postgres and not _pg_bin():
        return "no PostgreSQL server binaries in /usr/lib/postgresql"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ctl(node: str, *args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        ["rabbitmqctl", "-n", node, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        command = " ".join(args)
        raise RuntimeError(f"rabbitmqctl -n {node} {command}: {result.stderr}{result.stdout}")
    return result.stdout


@dataclass
class PrivateNode:
    """One RabbitMQ node of our own: ``start()`` it, then ``stop_app``/``start_app``/``stop``."""

    name: str
    amqp_port: int = field(default_factory=_free_port)
    dist_port: int = field(default_factory=_free_port)
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="orderflow-rmq-")))
    _launched: bool = field(default=False, init=False, repr=False)

    @property
    def node(self) -> str:
        return f"{self.name}@{HOST}"

    @property
    def amqp_url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.amqp_port}/"

    def _env(self) -> dict[str, str]:
        b = self.base
        return {
            "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
            "HOME": str(COOKIE_HOME),
            "LANG": "C.UTF-8",
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.amqp_port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_CONF_ENV_FILE": str(b / "rabbitmq-env.conf"),
            "RABBITMQ_CONFIG_FILE": str(b / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(b / "advanced.config"),
            "RABBITMQ_MNESIA_BASE": str(b / "mnesia"),
            "RABBITMQ_LOG_BASE": str(b / "log"),
            "RABBITMQ_PID_FILE": str(self._pid_file),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(b / "enabled_plugins"),
            "RABBITMQ_FEATURE_FLAGS_FILE": str(b / "feature_flags"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "ERL_FLAGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }

    def _write_files(self) -> None:
        b = self.base
        (b / "mnesia").mkdir(exist_ok=True)
        (b / "log").mkdir(exist_ok=True)
        # our own files, so the machine's /etc/rabbitmq (node name, listener on 5672) stays out
        (b / "rabbitmq-env.conf").write_text("")
        (b / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.amqp_port}\n"
            "loopback_users = none\n"
            "log.console = false\n"
        )
        (b / "advanced.config").write_text("[].\n")
        (b / "enabled_plugins").write_text("[].\n")
        b.chmod(0o755)
        subprocess.run(["chown", "-R", f"{USER}:{USER}", str(b)], check=True)

    def start(self) -> PrivateNode:
        """Start the node (detached, as the rabbitmq user) and wait until it is up."""
        self.launch()
        self.wait_started()
        return self

    def launch(self) -> None:
        """Start the node's VM detached, as the rabbitmq user, without waiting for it."""
        self._write_files()
        self._launched = True
        # the detached VM keeps the launcher's stdout: a pipe that closes would kill it
        with (self.base / "launch.out").open("wb") as out:
            subprocess.run(
                [
                    "runuser", "-u", USER, "--", "sh", "-c",
                    f'ulimit -n "$(ulimit -Hn)"; exec {SERVER} -detached',
                ],
                env=self._env(),
                check=True,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=60,
            )  # fmt: skip

    def wait_started(self) -> None:
        """Wait for a launched VM to write its pid file and for RabbitMQ to start on it."""
        _ctl(self.node, "wait", str(self._pid_file), "--timeout", str(START_TIMEOUT_S))

    @property
    def _pid_file(self) -> Path:
        return self.base / "rabbit.pid"

    def ctl(self, *args: str) -> str:
        return _ctl(self.node, *args)

    def stop_app(self) -> None:
        """Stop RabbitMQ on this node (clients are disconnected); the Erlang VM stays up."""
        self.ctl("stop_app")

    def start_app(self) -> None:
        self.ctl("start_app")
        self.ctl("await_startup", "--timeout", str(START_TIMEOUT_S))

    def join(self, other: PrivateNode) -> None:
        self.ctl("stop_app")
        self.ctl("join_cluster", other.node)
        self.start_app()

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

    def running_nodes(self) -> set[str]:
        status = json.loads(self.ctl("cluster_status", "--formatter", "json"))
        return set(status["running_nodes"])

    def stop(self) -> None:
        """Stop the node's VM, whatever state it is in, and remove its folders."""
        if self._launched:
            # a VM still booting has not registered yet: wait for it, then stop it
            with suppress(RuntimeError, subprocess.TimeoutExpired):
                _ctl(self.node, "wait", str(self._pid_file), "--timeout", "60", timeout=90)
            try:
                _ctl(self.node, "stop", timeout=60)
            except (RuntimeError, subprocess.TimeoutExpired):
                self._kill()
        shutil.rmtree(self.base, ignore_errors=True)

    def _kill(self) -> None:
        with suppress(OSError, ValueError):
            os.kill(int(self._pid_file.read_text().strip()), signal.SIGKILL)


@contextmanager
def private_node(name: str) -> Iterator[PrivateNode]:
    node = PrivateNode(name)
    try:
        yield node.start()
    finally:
        node.stop()


def _stop_all(nodes: list[PrivateNode]) -> None:
    with ThreadPoolExecutor(len(nodes)) as pool:  # side by side: each stop waits on its VM
        list(pool.map(PrivateNode.stop, nodes))


@contextmanager
def private_cluster(size: int = 3, prefix: str = "orderflow") -> Iterator[list[PrivateNode]]:
    """``size`` private nodes joined into one cluster; all stopped and removed afterwards."""
    run = uuid.uuid4().hex[:6]
    with ExitStack() as stack:
        nodes = [PrivateNode(f"{prefix}-{run}-{i}") for i in range(size)]
        stack.callback(_stop_all, nodes)
        for node in nodes:  # the VMs boot side by side
            node.launch()
        for node in nodes:
            node.wait_started()
        for node in nodes[1:]:
            node.join(nodes[0])
        yield nodes


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
        port = port or _free_port()
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
