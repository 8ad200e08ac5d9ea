"""Who may be a user and which passwords are refused (NIST SP 800-63B: length, not the
username, not one character repeated, not a common password; no composition rules)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.identity.domain.passwords import check_password
from services.identity.domain.users import Kind, User, username_of
from shared.errors import Invalid

NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)


def new(**kw: object) -> User:
    args: dict[str, object] = {
        "username": "li.na",
        "name": None,
        "roles": ["sales_desk"],
        "locale": "zh-CN",
        "kind": Kind.PERSON,
        "password_hash": "h",
        "now": NOW,
    }
    return User.new(**{**args, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short pass", "at least 12"),
        ("x" * 257, "at most 256"),
        ("my li.na password", "username"),
        ("aaaaaaaaaaaaaaaa", "repeated"),
        ("Password1234", "common"),
    ],
)
def test_weak_passwords_are_refused_saying_why(password: str, reason: str):
    with pytest.raises(Invalid) as refused:
        check_password(password, "li.na")
    assert refused.value.field == "password"
    assert reason in refused.value.reason
    assert password not in refused.value.detail


def test_a_long_password_of_any_characters_is_taken():
    check_password("青椒肉丝 and rice, twice", "li.na")


def test_usernames_are_lowercased_and_of_a_plain_alphabet():
    assert username_of("  Li.Na ") == "li.na"
    for bad in ("", "li na", "-li", "l" * 65, "li/na"):
        with pytest.raises(Invalid):
            username_of(bad)


def test_a_user_holds_known_roles_at_least_one_without_duplicates():
    assert new(roles=["qc", "warehouse", "qc"]).roles == ("qc", "warehouse")
    with pytest.raises(Invalid, match="at least one role"):
        new(roles=[])
    with pytest.raises(Invalid, match="unknown role janitor"):
        new(roles=["qc", "janitor"])


def test_the_display_name_defaults_to_the_username_and_the_locale_is_known():
    assert new().name == "li.na"
    assert new(name="  李娜 ").name == "李娜"
    with pytest.raises(Invalid):
        new(locale="fr")
    with pytest.raises(Invalid):
        new(name="n" * 201)


def test_disabling_and_enabling_stamp_the_time():
    user = new()
    later = datetime(2027, 1, 5, tzinfo=UTC)
    user.disable(later)
    assert user.disabled and user.updated_at == later
    user.enable(NOW)
    assert not user.disabled
