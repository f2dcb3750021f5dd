"""Server-rendered pages for each role, on the same services as the CLI and the API."""

from esgledger.web.app import install

__all__ = ["install"]
