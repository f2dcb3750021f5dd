"""#13.9: the XLSX report is byte-reproducible: its times come from the ledger, not the clock,
so rendering the same data again gives the bytes whose SHA-256 was published."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from tests.conftest import Cli
from tests.factories import entities_file

XLSX = "esg-report-2024.xlsx"


def render(cli: Cli, out: Path, *extra: str) -> dict:
    args = ["report", "--year", "2024", "--format", "xlsx", "--out", str(out), "--json"]
    return json.loads(cli(*args, *extra).stdout)


def test_two_renders_of_the_same_ledger_give_identical_bytes(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    published = render(cli, tmp_path / "a")["archived"][0]["sha256"]
    time.sleep(2.1)  # zip members carry times to 2 s: a clock-stamped workbook would differ
    render(cli, tmp_path / "b", "--preview")  # after the publication: same data, same bytes
    first, again = (tmp_path / "a" / XLSX).read_bytes(), (tmp_path / "b" / XLSX).read_bytes()
    assert first == again
    assert hashlib.sha256(again).hexdigest() == published
