"""The composition root: the one place that assembles the API and the web pages into the
application ``esg serve`` runs, so neither interface imports the other."""

from esgledger.server.app import app_from_settings, create_app

__all__ = ["app_from_settings", "create_app"]
