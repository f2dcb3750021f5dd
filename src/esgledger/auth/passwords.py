"""Password hashing with argon2id (argon2-cffi), so a leaked database does not leak passwords.

The stored string is argon2's PHC format (``$argon2id$v=19$m=…,t=…,p=…$salt$hash``): it
carries its own parameters, so raising them later only means rehashing on the next sign-in
(:func:`needs_rehash`).
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # RFC 9106 low-memory profile: argon2id, t=3, m=64 MiB, p=4


def hash_password(password: str) -> str:
    """An argon2id hash with a fresh random salt (the rules a new password must meet are
    :func:`esgledger.auth.password_rules.check_password`'s; a rehash on sign-in keeps the old)."""
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True only when ``password`` matches ``stored``; an empty or malformed hash never does."""
    if not stored:
        return False
    try:
        return _hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def dummy_hash() -> str:
    """A hash of a random password, verified for unknown or disabled users so that every
    failed sign-in takes as long as a real one."""
    return _hasher().hash(secrets.token_urlsafe(16))


def needs_rehash(stored: str) -> bool:
    return bool(stored) and _hasher().check_needs_rehash(stored)
