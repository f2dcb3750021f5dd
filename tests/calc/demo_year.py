"""The demo's 2024 ledger, filled once per run and copied for each test that calculates it
(#20): the chunked-run and Spark modules import the same two files."""

from __future__ import annotations

from pathlib import Path

from esgledger.demo.activity_data import ACTIVITY_HEADER, activity_rows
from esgledger.demo.files import write_csv
from esgledger.demo.org import ENTITY_HEADER, entity_rows
from esgledger.ledger.db import Database
from tests.conftest import Cli

YEAR = 2024
NAME = "calc_demo_year"  # the filled template's name, shared by the modules using it


def fill_demo_year(db: Database, folder: Path) -> None:
    """The demo's entities and its 2024 activity file, imported through ``esg``."""
    cli = Cli(db)
    cli("import", "entities", str(write_csv(folder / "e.csv", ENTITY_HEADER, entity_rows())))
    cli(
        "import",
        "activities",
        str(write_csv(folder / "a.csv", ACTIVITY_HEADER, activity_rows(YEAR))),
    )
