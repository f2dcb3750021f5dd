"""#13.3 for entity, KPI and factor imports, as for activity imports: the file is validated
before the write lock is taken, so another writer goes on meanwhile; what that writer
changed in between (the same entities, KPI keys or factor edition) refuses the validated
file with one line, and nothing of it is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from esgledger.errors import Exit
from tests.conftest import Cli
from tests.factories import ENTITY_HEADER, write_csv
from tests.faults.conftest import chain_verifies, counts, one_line_error, start_esg

VALIDATED = "import.validated"
FACTOR_HEADER = ["kind", "activity", "parameter", "gas", "region", "variant", "value", "unit"]


pytestmark = pytest.mark.usefixtures("short_lock_wait")


@dataclass(frozen=True)
class Kind:
    """One import kind: the command for a file named after ``tag``, and the tables it fills."""

    args: Callable[[Path, str], list[str]]
    tables: tuple[str, ...]
    clash_exit: int
    clash_says: str


def _entities(folder: Path, tag: str) -> list[str]:
    rows = [[tag, f"Site {tag}", "GRP", "CN", "CN-GD", "site"]]
    return ["import", "entities", str(write_csv(folder / f"{tag}.csv", ENTITY_HEADER, rows))]


def _kpis(folder: Path, tag: str) -> list[str]:
    entity = {"a": "SZ1", "b": "WH1"}[tag]
    rows = [[entity, 2025, "ghg.scope1", 5, "tCO2e"]]
    header = ["entity", "year", "metric", "value", "unit"]
    return ["import", "kpis", str(write_csv(folder / f"{tag}.csv", header, rows))]


def _factors(folder: Path, tag: str) -> list[str]:
    rows = [["emission_factor", "electricity.purchased", "ef", "CO2", "CN-GD", "", 0.42, "t/MWh"]]
    path = write_csv(folder / f"{tag}.csv", FACTOR_HEADER, rows)
    return [
        "factors", "import", str(path), "--edition", f"acme-grid-{tag}", "--series",
        "user.acme_grid", "--publisher", "Acme Power", "--title", "Supplier grid factor",
        "--citation", "Acme Power contract annex 3", "--data-year", "2024",
    ]  # fmt: skip


KINDS = {
    "entities": Kind(_entities, ("entities",), Exit.CONTENTION, "another user changed entities"),
    "kpis": Kind(
        _kpis, ("kpi_values",), Exit.CONTENTION, "another user changed the same KPI values"
    ),
    "factors": Kind(_factors, ("factor_editions", "factors"), Exit.BAD_INPUT, "already exists"),
}
LEDGER = ("import_batches", "audit_events")


@pytest.mark.parametrize("kind", list(KINDS))
def test_another_writer_writes_while_a_file_is_validated(
    seeded: Cli, tmp_path: Path, kind: str
) -> None:
    spec = KINDS[kind]
    before = counts(seeded.db, *spec.tables, "import_batches")
    paused = start_esg(*spec.args(tmp_path, "a"), db=seeded.db, fault=f"{VALIDATED}:pause")
    try:
        paused.wait_until_paused()
        seeded(*spec.args(tmp_path, "b"))  # not kept waiting: the lock is free
    finally:
        paused.resume()
    result = paused.finish()
    assert result.returncode == 0, result.stderr
    after = counts(seeded.db, *spec.tables, "import_batches")
    assert after["import_batches"] == before["import_batches"] + 2
    assert all(after[t] == before[t] + 2 for t in spec.tables), (before, after)
    assert chain_verifies(seeded.db)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_clash_arising_meanwhile_refuses_the_validated_file(
    seeded: Cli, tmp_path: Path, kind: str
) -> None:
    spec = KINDS[kind]
    args = spec.args(tmp_path, "a")
    paused = start_esg(*args, db=seeded.db, fault=f"{VALIDATED}:pause")
    try:
        paused.wait_until_paused()
        seeded(*args)  # the same file, by another command, while the first is checked
        before = counts(seeded.db, *spec.tables, *LEDGER)
    finally:
        paused.resume()
    message = one_line_error(paused.finish(), spec.clash_exit)
    assert spec.clash_says in message, message
    assert counts(seeded.db, *spec.tables, *LEDGER) == before
    assert chain_verifies(seeded.db)
