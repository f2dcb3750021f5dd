"""The tests of users and passwords hash with the product's real argon2id parameters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from esgledger.auth import passwords
from tests.conftest import REAL_HASHER


@pytest.fixture(autouse=True)
def real_password_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Undo tests/conftest.py's ``cheap_password_hashing`` for this package: here the hash's
    parameters, its rehash on sign-in and the timing of a failed sign-in are under test."""
    monkeypatch.setattr(passwords, "_hasher", REAL_HASHER)
    passwords.dummy_hash.cache_clear()
    yield
    passwords.dummy_hash.cache_clear()
