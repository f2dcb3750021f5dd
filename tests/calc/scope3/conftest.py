"""The web test client of ``tests/web`` for the emissions page of a Scope 3 run."""

from tests.web.conftest import web  # noqa: F401 (a fixture)
