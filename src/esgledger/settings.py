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


def get_settings() -> Settings:
    return Settings()
