"""The API test client of ``tests/api`` for the screening's read endpoint."""

from tests.api.conftest import api  # noqa: F401 (a fixture)
