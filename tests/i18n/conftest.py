"""The pages' client for the language tests: the same fixture the page tests use."""

from tests.web.conftest import web

__all__ = ["web"]
