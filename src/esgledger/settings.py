"""The one settings object. Every setting has a name, a default and help, read from ``ESG_*``.

The environment is read once per process (:func:`get_settings`): building the object costs
about a millisecond, and the server asks for a setting in every write and every page. Code
that changes ``ESG_*`` variables at run time (``esg serve --workers``, tests) calls
:func:`reset_settings` so the next call reads them again.
"""

from __future__ import annotations

import threading
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Process-wide settings; an explicit ``--db`` on the command line wins over these."""

    model_config = SettingsConfigDict(env_prefix="ESG_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///esg.db",
        description="SQLite file path or SQLAlchemy URL (postgresql+psycopg://user@host/db).",
    )
    actor: str = Field(
        default="cli",
        description="Name recorded in the audit log for writes made from this process.",
    )
    db_pool_size: int = Field(
        default=10,
        ge=1,
        le=200,
        description="Database connections each process keeps open (as many again may be "
        "opened briefly under load); `esg serve` works on this many requests at once, and "
        "more wait their turn.",
    )
    lock_wait_seconds: float = Field(
        default=120,
        ge=0,
        description="How long a write waits for another writer to finish before giving up "
        "(exit code 4, nothing written).",
    )
    session_idle_minutes: int = Field(
        default=30, ge=1, description="A web sign-in ends after this many minutes unused."
    )
    session_max_hours: int = Field(
        default=12,
        ge=1,
        description="A web sign-in ends this many hours after login, however active.",
    )
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Failed logins allowed per username or client address in the window.",
    )
    login_window_minutes: int = Field(
        default=15, ge=1, description="The window the login rate limit counts failures in."
    )
    report_cutoff_months: int = Field(
        default=4,
        ge=0,
        le=24,
        description="Months after the reporting year's end that a calculation's factor editions "
        "must be published by, unless `esg calc --as-of` gives the date (4: 30 April, the "
        "annual-report deadline of companies listed in mainland China).",
    )
    certificate_expiry_days: int = Field(
        default=90,
        ge=0,
        le=3650,
        description="`esg check` warns of a certificate in the certification register that "
        "expires within this many days after the report date (the reporting year's end plus "
        "the cut-off months) and has no renewal.",
    )
    calc_lineage_rows: int = Field(
        default=200_000,
        ge=0,
        description="A calculation over at most this many activity rows stores a result row "
        "per activity and gas; a larger one stores its input digest and editions only, and "
        "`esg calc explain` recomputes its rows (refused if its inputs changed since).",
    )
    calc_chunk_rows: int = Field(
        default=1_000_000,
        ge=0,
        description="`esg calc` over a year with more activity rows than this reads and "
        "computes them in chunks of whole entities of at most this many rows (an entity with "
        "more is a chunk of its own), so memory stays bounded; the figures and input digest "
        "are the in-memory run's to the bit (0: always in memory).",
    )
    activity_store: str | None = Field(
        default=None,
        description="Folder of the Parquet activity store that `esg import activities --store` "
        "writes to (partitioned by year and entity); default: the SQLite database file's name "
        "plus .store, beside it. A PostgreSQL workspace needs it set.",
    )
    spark_master: str = Field(
        default="local[*]",
        description="The Spark master URL `esg calc --engine spark` connects to: local[*] "
        "(this machine), spark://host:7077 (standalone), yarn, k8s://https://host:443.",
    )
    spark_partitions: int = Field(
        default=0,
        ge=0,
        description="Partitions `esg calc --engine spark` splits the activity rows into, by "
        "entity (0: Spark's default parallelism).",
    )
    activity_bounds: str | None = Field(
        default=None,
        description="A CSV file of plausibility bounds per activity type (columns activity, "
        "max_quantity, unit, max_days, reason) added to the shipped ones; see file formats.",
    )
    bulk_set_aside_rows: int = Field(
        default=100_000,
        ge=1,
        description="A SQLite import of at least this many rows into a table holding no more "
        "rows than it adds sets the table's indexes aside and builds them again after the "
        "insert, in the same transaction (faster than updating them row by row).",
    )
    max_upload_mb: int = Field(
        default=60,
        ge=1,
        description="The largest request body the server accepts, in MB (uploads included); "
        "a larger one is refused with 413.",
    )
    preview_workers: int = Field(
        default=1,
        ge=1,
        le=16,
        description="Report previews the web app renders at once (a PDF may take half a "
        "minute); more wait in a queue. A preview of an unchanged ledger is served from cache.",
    )
    token_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description="An API token stops working this many days after issue.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Addresses of reverse proxies (comma-separated) whose X-Forwarded-For "
        "names the client; empty: the header is ignored and the connection's address counts.",
    )
    consolidation_approach: Literal["operational_control", "financial_control", "equity_share"] = (
        Field(
            default="operational_control",
            description="How the report consolidates entities where a year has no boundary of "
            "its own (a boundary states its own approach); printed in the methodology.",
        )
    )
    base_year: int | None = Field(
        default=None,
        ge=1900,
        le=2100,
        description="The base year of emission figures and targets, printed in the methodology; "
        "unset: the report says no base year is set.",
    )
    secure_cookies: bool = Field(
        default=False,
        description="Mark the session cookie Secure (set when serving over HTTPS).",
    )
    gri_claim: Literal["in accordance", "with reference"] = Field(
        default="in accordance",
        description="The GRI statement of use the report makes: `in accordance` with the GRI "
        "Standards, or `with reference` to them. A report that cannot meet GRI 1's "
        "requirements for `in accordance` says `with reference to` instead, and why.",
    )


_current: Settings | None = None
_reading = threading.Lock()


def get_settings() -> Settings:
    """The process's settings, read from the environment on first use (and after a reset)."""
    current = _current
    if current is not None:
        return current
    return _read()


def _read() -> Settings:
    global _current
    with _reading:
        if _current is None:
            _current = Settings()  # an invalid variable raises here, each call, nothing kept
        return _current


def reset_settings() -> None:
    """Forget the settings read so far: the next :func:`get_settings` reads the environment."""
    global _current
    with _reading:
        _current = None
