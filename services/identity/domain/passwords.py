"""Which passwords are refused, as NIST SP 800-63B advises: long enough, not the username, not
one character repeated, not one of the passwords every attacker tries first. No composition
rules (they make passwords harder to remember, not to guess)."""

from __future__ import annotations

from shared.errors import Invalid

MIN_LENGTH = 12
MAX_LENGTH = 256
# The most common choices in breached-password lists, and this company's obvious ones.
COMMON = frozenset(
    {
        "123456789012",
        "1234567890123",
        "password1234",
        "password12345",
        "passw0rd1234",
        "qwertyuiop12",
        "qwerty123456",
        "iloveyou1234",
        "administrator",
        "welcome12345",
        "changeme1234",
        "letmein12345",
        "orderflow123",
        "orderflow1234",
        "a1b2c3d4e5f6",
        "1q2w3e4r5t6y",
    }
)


def check_password(password: str, username: str) -> None:
    """Raise ``Invalid("password", ...)`` saying what is wrong; the password is never echoed."""
    if len(password) < MIN_LENGTH:
        raise Invalid("password", f"at least {MIN_LENGTH} characters / 至少 {MIN_LENGTH} 个字符")
    if len(password) > MAX_LENGTH:
        raise Invalid("password", f"at most {MAX_LENGTH} characters / 最多 {MAX_LENGTH} 个字符")
    lowered = password.lower()
    if username and username.lower() in lowered:
        raise Invalid("password", "must not contain the username / 不能包含用户名")
    if len(set(password)) == 1:
        raise Invalid("password", "must not be one character repeated / 不能是同一字符重复")
    if lowered in COMMON:
        raise Invalid("password", "too common: choose another / 过于常见,请另选")
