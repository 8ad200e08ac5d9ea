"""``orderflow users``: the embedded identity provider's users from the command line, working
directly on its schema (``IDENTITY_DATABASE_URL``, ``IDENTITY_DB_SCHEMA``), so the first operator
can be made before anyone can sign in."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from services.identity.app import users as use
from services.identity.app.unit import Provider
from services.identity.domain.users import Kind, User
from shared.errors import Refusal

T = TypeVar("T")

users = typer.Typer(
    help="Users of the embedded identity provider (people and departmental systems)",
    no_args_is_help=True,
)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _run(job: Callable[[Provider], Awaitable[T]]) -> T:
    from services.identity.main import build_provider

    async def run() -> T:
        provider = build_provider()
        try:
            await provider.start()
            return await job(provider)
        finally:
            await provider.stop()

    try:
        return asyncio.run(run())
    except Refusal as exc:
        _out(f"refused: {exc.detail}")
        raise typer.Exit(1) from None


def _line(user: User) -> str:
    state = "disabled" if user.disabled else "active"
    kind = " (system)" if user.kind is Kind.SYSTEM else ""
    roles = ",".join(user.roles)
    return f"{user.username:<24} {state:<9} {roles:<40} {user.locale:<6} {user.name}{kind}"


@users.command("add")
def add(
    username: str,
    role: Annotated[
        list[str], typer.Option("--role", help="A role of contracts/roles.py; repeat for more")
    ],
    name: Annotated[str | None, typer.Option(help="Display name (default: the username)")] = None,
    locale: Annotated[str, typer.Option(help="zh-CN or en")] = "zh-CN",
    system: Annotated[
        bool, typer.Option("--system", help="A departmental system, not a person")
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
) -> None:
    """Add a user; the password is asked for twice (or read from stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    kind = Kind.SYSTEM if system else Kind.PERSON
    user = _run(
        lambda p: use.add_user(p, username, password, role, name=name, locale=locale, kind=kind)
    )
    _out(f"added {_line(user)}")


@users.command("list")
def list_() -> None:
    """Every user: username, state, roles, locale, name."""
    found = _run(use.list_users)
    for user in found:
        _out(_line(user))
    _out(f"{len(found)} user(s)")


@users.command("disable")
def disable(username: str) -> None:
    """No more sign-ins; the user's refresh tokens are revoked at once."""
    user = _run(lambda p: use.disable_user(p, username))
    _out(f"disabled {_line(user)}")


@users.command("enable")
def enable(username: str) -> None:
    user = _run(lambda p: use.enable_user(p, username))
    _out(f"enabled {_line(user)}")


@users.command("password")
def password(
    username: str,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
) -> None:
    """Set a new password; the user's sign-ins end."""
    if password_stdin:
        new = sys.stdin.readline().rstrip("\r\n")
    else:
        new = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    user = _run(lambda p: use.set_password(p, username, new))
    _out(f"password set for {user.username}")


@users.command("rotate-key")
def rotate_key() -> None:
    """Sign with a new key from now on; the old one stays published until its tokens expire."""
    kid = _run(use.rotate_signing_key)
    _out(f"signing with key {kid}")
