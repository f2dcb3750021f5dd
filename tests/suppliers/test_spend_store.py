"""#16/#18: a supplier's spend counts its purchase lines wherever they are kept.

Purchase lines imported to the Parquet activity store (``--store``) have no ledger row; a
spend read from the ledger alone would understate the supplier without a word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.factories import ACTIVITY_HEADER, entities_file, write_csv
from tests.suppliers.factories import register_files


def test_spend_adds_the_purchase_lines_kept_in_the_activity_store(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESG_ACTIVITY_STORE", str(tmp_path / "store"))  # PostgreSQL needs one
    cli("import", "entities", str(entities_file(tmp_path)))
    cli("suppliers", "import", "suppliers", str(register_files(tmp_path)["suppliers"]))
    header = [*ACTIVITY_HEADER, "supplier"]
    in_ledger = [
        ["SZ1", "2024-01-01", "2024-01-31", "spend.purchased_goods", "1000", "RMB", "S001"]
    ]
    in_store = [
        ["SZ1", "2024-02-01", "2024-02-29", "spend.purchased_goods", "500", "RMB", "S001"],
        ["SZ1", "2024-03-01", "2024-03-31", "spend.purchased_goods", "70", "USD", "S001"],
        ["SZ1", "2024-03-01", "2024-03-31", "spend.purchased_goods", "9", "RMB", "S003"],
        ["SZ1", "2023-03-01", "2023-03-31", "spend.purchased_goods", "8", "RMB", "S001"],
    ]
    cli("import", "activities", str(write_csv(tmp_path / "l.csv", header, in_ledger)))
    cli("import", "activities", str(write_csv(tmp_path / "s.csv", header, in_store)), "--store")
    s001 = json.loads(cli("suppliers", "show", "S001", "--year", "2024", "--json").stdout)
    assert s001["spend_in_year"] == {
        "source": "purchases",
        "by_unit": {"RMB": 1500.0, "USD": 70.0},
    }
    s003 = json.loads(cli("suppliers", "show", "S003", "--year", "2024", "--json").stdout)
    assert s003["spend_in_year"] == {"source": "purchases", "by_unit": {"RMB": 9.0}}
