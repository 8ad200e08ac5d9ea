"""Start services as separate OS processes, prefix their logs, wait until ready, stop gracefully.

Each service migrates its own schema on start (an advisory lock makes concurrent starts safe),
so "migrate, then start" is one step per process. Stopping sends SIGTERM: a service stops
consuming, finishes in-flight handlers and flushes its outbox before it exits.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import httpx

from orderflow.services import ServiceProcess
from shared.clock import AnchoredClock

_COLOURS = ("36", "33", "35", "32", "34", "31")


@dataclass
class Supervisor:
    services: Sequence[ServiceProcess]
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    log_to: object = sys.stderr
    clock: AnchoredClock | None = None  # None: every service on the system clock
    processes: dict[str, asyncio.subprocess.Process] = field(default_factory=dict)
    _pumps: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self) -> None:
        """The identity provider first, ready before the others (they check its tokens, and
        whoever drives them signs in there first); then the rest."""
        issuer = self._issuer()
        if issuer is not None:
            await self._spawn(issuer)
            await self.wait_ready(only=[issuer.name])
        for service in self.services:
            if service is not issuer:
                await self._spawn(service)

    def _issuer(self) -> ServiceProcess | None:
        return next((s for s in self.services if s.name == "identity"), None)

    async def _spawn(self, service: ServiceProcess) -> None:
        index = list(self.services).index(service)
        env = {**self.env, f"{service.env_prefix}HTTP_PORT": str(service.port)}
        if self.clock is not None:
            env.update(self.clock.env(service.env_prefix))
        if service.name == "console":  # the console talks to the services started here
            env.update({f"CONSOLE_{s.name.upper()}_URL": s.base_url() for s in self.services})
        env.update(self._issuer_env(service, env))
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            service.module,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self.processes[service.name] = process
        colour = _COLOURS[index % len(_COLOURS)]
        self._pumps.append(asyncio.create_task(self._pump(service.name, colour, process)))

    def _issuer_env(self, service: ServiceProcess, env: Mapping[str, str]) -> dict[str, str]:
        """An identity provider started here is the issuer every service trusts, on whatever
        port it was given, unless the environment already names an issuer."""
        issuer = self._issuer()
        if issuer is None:
            return {}
        if service is issuer:
            return {"IDENTITY_ISSUER": env.get("IDENTITY_ISSUER", issuer.base_url())}
        url = env.get("IDENTITY_ISSUER", issuer.base_url())
        return {
            f"{service.env_prefix}AUTH_ISSUER": env.get(f"{service.env_prefix}AUTH_ISSUER", url)
        }

    async def kill(self, name: str) -> None:
        """SIGKILL one service: no graceful stop, in-flight work is cut where it stands."""
        process = self.processes[name]
        if process.returncode is None:
            process.kill()
        await process.wait()

    async def restart(self, name: str, *, hard: bool = False) -> None:
        """Stop one service (SIGKILL when ``hard``, else gracefully) and start it again."""
        if hard:
            await self.kill(name)
        else:
            await self._terminate(name, self.processes[name], grace_s=30.0)
        await self._spawn(next(s for s in self.services if s.name == name))

    async def _pump(self, name: str, colour: str, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        tty = getattr(self.log_to, "isatty", lambda: False)()
        prefix = f"\x1b[{colour}m{name:>16}\x1b[0m | " if tty else f"{name:>16} | "
        async for line in process.stdout:
            self.log_to.write(prefix + line.decode(errors="replace"))  # type: ignore[attr-defined]

    async def wait_ready(self, within_s: float = 120.0, only: Sequence[str] = ()) -> None:
        """Until every service (or those named) answers /health/ready with 200; fail if one
        dies first."""
        pending = {s.name: s for s in self.services if not only or s.name in only}
        deadline = time.monotonic() + within_s
        async with httpx.AsyncClient(timeout=2.0) as client:
            while pending:
                for name in list(pending):
                    process = self.processes[name]
                    if process.returncode is not None:
                        raise RuntimeError(f"{name} exited with {process.returncode}")
                    if await _ready(client, pending[name]):
                        del pending[name]
                if time.monotonic() > deadline:
                    raise TimeoutError(f"not ready after {within_s}s: {sorted(pending)}")
                if pending:
                    await asyncio.sleep(0.25)

    async def stop(self, grace_s: float = 30.0) -> None:
        for process in self.processes.values():
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for name, process in self.processes.items():
            await self._terminate(name, process, grace_s)
        for pump in self._pumps:
            pump.cancel()

    async def _terminate(
        self, name: str, process: asyncio.subprocess.Process, grace_s: float
    ) -> None:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), grace_s)
        except TimeoutError:
            self.log_to.write(f"{name} did not stop in {grace_s}s; killing\n")  # type: ignore[attr-defined]
            process.kill()
            await process.wait()

    def exited(self) -> dict[str, int]:
        return {
            name: p.returncode for name, p in self.processes.items() if p.returncode is not None
        }


async def _ready(client: httpx.AsyncClient, service: ServiceProcess) -> bool:
    try:
        response = await client.get(f"{service.base_url()}/health/ready")
    except httpx.HTTPError:
        return False
    return response.status_code == 200
