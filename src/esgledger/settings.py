"""The one settings object. Every setting has a name, a default and help, read from ``ESG_*``."""

from __future__ import annotations

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
    secure_cookies: bool = Field(
        default=False,
        description="Mark the session cookie Secure (set when serving over HTTPS).",
    )


def get_settings() -> Settings:
    return Settings()
