"""#16 the integrity-agreement share and new material suppliers' conflict-minerals due
diligence, counted from the register by hand, with the rows behind them; and the end of a
supplier's cooperation (``ended_on``) in the counts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from esgledger.kpi.register_figures import base_figures, dd_figures, integrity_figures
from esgledger.kpi.register_source import PROVIDERS, RegisterFigure
from esgledger.ledger.supplier_models import MineralDeclaration, SupplierAgreement
from tests.conftest import Cli
from tests.factories import entities_file, write_csv
from tests.suppliers.cmrt_files import Cmrt, cmrt_file, company
from tests.suppliers.factories import SUPPLIER_HEADER, SUPPLIERS, register_files

INTEGRITY = "supply_chain.integrity_agreements_share"
ENDED_HEADER = [*SUPPLIER_HEADER, "ended_on"]


def _one(cli: Cli, provider: object, year: int) -> RegisterFigure:
    with cli.db.read() as session:
        (figure,) = provider(session, year)  # type: ignore[operator]
    return figure


def _active(cli: Cli, year: int) -> tuple[str | int, ...]:
    with cli.db.read() as session:
        figures = {f.metric: f for f in base_figures(session, year)}
    return figures["supply_chain.suppliers.active"].row_ids


def test_the_providers_are_registered() -> None:
    assert integrity_figures in PROVIDERS and dd_figures in PROVIDERS


def test_integrity_share_counts_agreements_in_force_of_suppliers_in_cooperation(
    cli: Cli, tmp_path: Path
) -> None:
    """S001 (2024), S002 (2023), S003 (no onboarding date); S001 signed the integrity
    agreement on 2024-03-01, in force to 2025-02-28."""
    cli("import", "entities", str(entities_file(tmp_path)))
    files = register_files(tmp_path)
    cli("suppliers", "import", "suppliers", str(files["suppliers"]))
    missing = _one(cli, integrity_figures, 2024)
    assert (missing.value, missing.note) == (
        None,
        "not available: no supplier agreements are recorded",
    )
    cli("suppliers", "import", "agreements", str(files["agreements"]))
    with cli.db.read() as session:
        signed = session.scalar(
            select(SupplierAgreement.id).where(SupplierAgreement.kind == "integrity_agreement")
        )
    share = _one(cli, integrity_figures, 2024)
    assert (share.value, share.unit, share.entity_id, share.row_ids) == (
        pytest.approx(100 / 3),
        "%",
        "GRP",
        (signed,),
    )
    assert share.note == (
        "1 of 3 suppliers in cooperation at the end of 2024 have an integrity agreement in "
        "force; dealers are not in the register"
    )
    # Expired on 2025-02-28: none of the three holds one at the end of 2025 (a counted 0).
    later = _one(cli, integrity_figures, 2025)
    assert (later.value, later.row_ids) == (0.0, ())
    # S002 ends on 2024-06-30: it still counts in 2024, no longer in 2025.
    rows = [[*r, "2024-06-30" if r[0] == "S002" else ""] for r in SUPPLIERS]
    cli("suppliers", "import", "suppliers",
        str(write_csv(tmp_path / "ended.csv", ENDED_HEADER, rows)))  # fmt: skip
    assert _one(cli, integrity_figures, 2024).value == pytest.approx(100 / 3)
    assert _one(cli, integrity_figures, 2025).note.startswith("0 of 2 suppliers")
    assert _active(cli, 2024) == ("S001", "S002", "S003")
    assert _active(cli, 2025) == ("S001", "S003")


def test_integrity_share_of_a_year_without_suppliers_is_not_available(
    cli: Cli, tmp_path: Path
) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    files = register_files(tmp_path)
    only = write_csv(tmp_path / "one.csv", SUPPLIER_HEADER, [SUPPLIERS[0]])  # from 2024
    cli("suppliers", "import", "suppliers", str(only))
    cli("suppliers", "import", "agreements", str(files["agreements"]))
    figure = _one(cli, integrity_figures, 2023)
    assert (figure.value, figure.row_ids) == (None, ())
    assert figure.note == "not available: no supplier is in cooperation at the end of 2023"


def test_new_material_suppliers_covered_by_a_cmrt(cli: Cli, tmp_path: Path) -> None:
    """New material suppliers of 2026: S004 (gold) and S005 (tungsten); S006 (packaging) is
    new but not a material supplier. Only S004 returns a CMRT (effective 15-Jan-2026)."""
    cli("import", "entities", str(entities_file(tmp_path)))
    new = [["S004", "Penang Gold Wire", "MY", "", "gold; bonding wire", "", "", "", "2026-02-01"],
           ["S005", "Ganzhou Tungsten", "CN", "", "tungsten", "", "", "", "2026-05-01"],
           ["S006", "Box Makers", "CN", "", "packaging", "", "", "", "2026-03-01"]]  # fmt: skip
    path = write_csv(tmp_path / "suppliers.csv", SUPPLIER_HEADER, [*SUPPLIERS, *new])
    cli("suppliers", "import", "suppliers", str(path))
    assert _one(cli, dd_figures, 2026).note == (
        "not available: no CMRT is effective by the end of 2026"
    )
    spec = Cmrt(fields=company(**{"Company Unique ID:": "S004"}))
    cli("suppliers", "cmrt", "import", "S004", str(cmrt_file(tmp_path / "s004.xlsx", spec)))
    with cli.db.read() as session:
        declaration = session.scalar(select(MineralDeclaration.id))
    figure = _one(cli, dd_figures, 2026)
    assert (figure.value, figure.unit, figure.entity_id, figure.row_ids) == (
        50.0,
        "%",
        "GRP",
        (declaration,),
    )
    assert figure.note == "1 of 2 new material suppliers returned a CMRT"
    # 2025: no CMRT is effective by its end, so no campaign is known: not 0 %.
    assert _one(cli, dd_figures, 2025).value is None
    # 2027: a CMRT is known, but no material supplier was onboarded in 2027.
    none_new = _one(cli, dd_figures, 2027)
    assert (none_new.value, none_new.note) == (
        None,
        "not available: no supplier onboarded in 2027 names a CMRT metal or 3TG",
    )


def test_an_ended_supplier_leaves_the_cmrt_scope_from_the_next_year(
    cli: Cli, tmp_path: Path
) -> None:
    """S001 (tin, 2024) ends on 2025-03-31: asked for a CMRT in 2025, not in 2026."""
    from esgledger.kpi.register_figures import mineral_figures

    cli("import", "entities", str(entities_file(tmp_path)))
    gold = ["S004", "Penang Gold Wire", "MY", "", "gold; bonding wire", "", "", "",
            "2024-02-01", ""]  # fmt: skip
    rows = [[*r, "2025-03-31" if r[0] == "S001" else ""] for r in SUPPLIERS] + [gold]
    cli("suppliers", "import", "suppliers",
        str(write_csv(tmp_path / "s.csv", ENDED_HEADER, rows)))  # fmt: skip
    spec = Cmrt(fields=company(**{"Company Unique ID:": "S004"}))
    cli("suppliers", "cmrt", "import", "S004", str(cmrt_file(tmp_path / "s004.xlsx", spec)))
    with cli.db.read() as session:
        response = {f.metric: f for f in mineral_figures(session, 2026)}
    rate = response["supply_chain.conflict_minerals.cmrt_response_rate"]
    assert (rate.value, rate.note) == (100.0, "1 of 1 in-scope suppliers returned a CMRT")


def test_every_supplier_figure_note_has_its_chinese(cli: Cli, tmp_path: Path) -> None:
    """The notes the supplier providers write, over years with and without rows, each read in
    Chinese part by part from its codes (no English word left), numbers kept."""
    from esgledger.kpi.register_figures import mineral_figures, saq_figures, supplier_figures
    from esgledger.kpi.register_figures.notes import worded_note

    providers = (base_figures, supplier_figures, integrity_figures, mineral_figures,
                 dd_figures, saq_figures)  # fmt: skip
    cli("import", "entities", str(entities_file(tmp_path)))
    files = register_files(tmp_path)
    gold = ["S004", "Penang Gold Wire", "MY", "", "gold", "", "", "", "2026-02-01"]
    path = write_csv(tmp_path / "suppliers.csv", SUPPLIER_HEADER, [*SUPPLIERS, gold])
    cli("suppliers", "import", "suppliers", str(path))
    notes: dict[str, list[dict[str, Any]]] = {}

    def collect() -> None:
        with cli.db.read() as session:
            notes.update((f.note, f.note_why) for p in providers for y in range(2021, 2028)
                         for f in p(session, y) if f.note)  # fmt: skip

    collect()
    cli("suppliers", "import", "agreements", str(files["agreements"]))
    cli("suppliers", "cmrt", "import", "S001", str(cmrt_file(tmp_path / "s001.xlsx")))
    collect()
    assert any("integrity agreement" in n for n in notes)
    assert any("new material suppliers" in n for n in notes)
    assert any("no onboarding date" in n for n in notes)
    for note in sorted(notes):
        chinese = worded_note(note, notes[note], "zh")
        assert not re.search(r"\b[a-z]{3,}\b", chinese), (note, chinese)
        assert sorted(re.findall(r"\d+", chinese)) == sorted(re.findall(r"\d+", note))
