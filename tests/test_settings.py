"""Settings are read from the environment once per process (issue #14: building them took
about a millisecond, asked for in every write and page), and read again after a reset."""

from __future__ import annotations

import os

import pytest

from esgledger.settings import get_settings, reset_settings


def test_settings_are_read_once_until_reset() -> None:
    first = get_settings()
    assert get_settings() is first
    os.environ["ESG_TOKEN_DAYS"] = "7"  # set without monkeypatch: no reset yet
    try:
        assert get_settings().token_days == first.token_days
        reset_settings()
        assert get_settings().token_days == 7
    finally:
        del os.environ["ESG_TOKEN_DAYS"]
        reset_settings()
    assert get_settings().token_days == first.token_days


def test_a_monkeypatched_variable_is_seen_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_settings().max_upload_mb == 60
    monkeypatch.setenv("ESG_MAX_UPLOAD_MB", "3")
    assert get_settings().max_upload_mb == 3
    monkeypatch.delenv("ESG_MAX_UPLOAD_MB")
    assert get_settings().max_upload_mb == 60


def test_an_invalid_variable_is_refused_on_every_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESG_DB_POOL_SIZE", "0")
    for _ in range(2):
        with pytest.raises(ValueError, match="db_pool_size"):
            get_settings()
