"""``python -m esgledger.cli`` runs the ``esg`` command."""

from esgledger.cli.main import run

run()
