"""The assessment command groups: `esg materiality`, `esg risk`, `esg climate`, `esg targets`."""

from __future__ import annotations

import typer

from esgledger.cli import climate_cmd, materiality_cmd, risk_cmd, targets_cmd


def register(app: typer.Typer) -> None:
    materiality_cmd.register(app)
    risk_cmd.register(app)
    climate_cmd.register(app)
    targets_cmd.register(app)
