"""Private RabbitMQ nodes beside the machine's own broker, for tests that stop nodes.

Each node gets its own node name, AMQP and distribution ports, config, data and log folders (owned
by the ``rabbitmq`` user) under a temporary folder; the broker on 5672 is never touched.
``private_cluster(3)`` starts three such nodes, joins them with ``rabbitmqctl join_cluster`` and
always stops them and removes their folders when the block ends, also on failure.

    with private_cluster(3, prefix="ofcl") as nodes:
        nodes[0].amqp_url; nodes[0].stop_app(); nodes[0].start_app()
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
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


def unavailable_reason() -> str | None:
    """Why private nodes cannot start here (None when they can)."""
    if shutil.which("rabbitmqctl") is None or not Path(SERVER).exists():
        return "needs rabbitmq-server installed on this machine"
    if os.geteuid() != 0:
        return "needs root to run nodes as the rabbitmq user"
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
