"""Issue #14, the write path: a value entered through a data request is checked without a
one-row DataFrame when it is plainly written. Every rule of the KPI import is tried here:
what the shortcut accepts is the table validation's row to the last field, and whatever the
table refuses the shortcut leaves to it, so the refusal keeps its words."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from esgledger.errors import ImportRejected
from esgledger.ingest.kpi_row import plain_kpi_row
from esgledger.ingest.kpis import validate_kpis
from esgledger.ingest.readers import Table

KNOWN = {"HQ", "SZ1"}
BASE = {"entity": "SZ1", "year": "2025", "metric": "packaging.plastics", "value": "12.50",
        "unit": "t", "status": "", "qualifier": "", "preliminary": "", "note": "",
        "source": "", "restatement_reason": ""}  # fmt: skip
HEADCOUNT = {**BASE, "metric": "workforce.headcount", "unit": "person", "value": "40"}


def table_row(cells: dict[str, str]) -> dict[str, Any] | list[tuple[Any, ...]]:
    """The import's answer: its row, or its problems (row, column, reason)."""
    frame = pl.DataFrame({k: [v] for k, v in cells.items()}, schema=dict.fromkeys(cells, pl.Utf8))
    try:
        return validate_kpis(Table(frame, "request 1", ""), known_entities=KNOWN).to_dicts()[0]
    except ImportRejected as exc:
        return [(p.row, p.column, p.reason) for p in exc.problems]


ACCEPTED = [
    {},
    {"value": "0"},
    {"value": "1200", "unit": "kg"},
    {"value": " 7.125 ", "entity": " HQ ", "note": "  from the meter  "},
    {"value": "3.5", "decimals": "2"},
    {"value": "/"},
    {"value": "n.a."},
    {"value": "N/A"},
    {"value": "-"},
    {"value": "", "status": "Not_Disclosed"},
    {"qualifier": "approx"},
    {"qualifier": "<="},
    {"qualifier": "OVER"},
    {"preliminary": "Yes"},
    {"preliminary": "no"},
    {"restatement_reason": "meter replaced", "source": "invoice 7"},
    {"value": "123456789012345678.25"},
    {"value": "0.30000000000000004"},
]
ACCEPTED_DIMS = [
    {"gender": "female"},
    {"gender": "female", "age_band": "18-30"},
    {"gender": "", "age_band": "above_50"},
]
REFUSED = [
    {"entity": "XX"},
    {"year": "20x5"},
    {"year": "1899"},
    {"metric": "no.such"},
    {"status": "final"},
    {"value": "twelve"},
    {"value": ""},
    {"value": "-3"},
    {"value": "1e22"},
    {"value": "2", "status": "missing"},
    {"value": "2", "decimals": "12"},
    {"value": "2", "decimals": "two"},
    {"qualifier": "roughly"},
    {"unit": ""},
    {"unit": "furlong"},
    {"unit": "MWh"},
]
REFUSED_DIMS = [{"gender": "other"}, {"position": "front_line", "metric": "packaging.plastics"}]
LEFT_TO_THE_TABLE = [  # valid, but not plainly written: the table decides
    {"value": "1,200.5"},
    {"value": "1e3"},
    {"value": "+4"},
    {"qualifier": "≈"},
    {"note": "café"},
    {"value": "n.a.", "decimals": "2"},
]


@pytest.mark.parametrize("change", ACCEPTED + [{**HEADCOUNT, **d} for d in ACCEPTED_DIMS])
def test_a_plain_valid_value_is_the_tables_row(change: dict[str, str]) -> None:
    cells = {**BASE, **change}
    plain = plain_kpi_row(cells, KNOWN)
    assert plain is not None
    assert plain == table_row(cells)


@pytest.mark.parametrize(
    "change", REFUSED + [{**HEADCOUNT, **d} for d in REFUSED_DIMS] + LEFT_TO_THE_TABLE
)
def test_anything_else_is_left_to_the_table(change: dict[str, str]) -> None:
    cells = {**BASE, **change}
    assert plain_kpi_row(cells, KNOWN) is None
    if change in REFUSED or change in [{**HEADCOUNT, **d} for d in REFUSED_DIMS]:
        assert isinstance(table_row(cells), list)  # refused, in the import's words
