"""#19: a supplier register figure's note carries its parts as codes and values
(``note_why``), so the KPI page, the report's supply-chain chapter and the API word each
part in Chinese from its code: no English pattern is left to translate a note by."""

from __future__ import annotations

import re
from pathlib import Path

from esgledger.api.schemas import KpiFigure as KpiFigureOut
from esgledger.catalog.messages import translate
from esgledger.disclose.supply_chain_section import supply_chain_section, translated_section
from esgledger.kpi.readout import figure_readout
from esgledger.kpi.register_figures import (
    base_figures,
    dd_figures,
    integrity_figures,
    mineral_figures,
    notes,
    saq_figures,
    supplier_figures,
)
from esgledger.kpi.register_figures.suppliers_minerals import CONFORMANT
from esgledger.kpi.register_source import RegisterFigure
from esgledger.kpi.registered import register_table
from esgledger.kpi.scope import Scopes
from esgledger.ledger.smelter_rollup import rollup
from tests.conftest import Cli
from tests.factories import entities_file, write_csv
from tests.suppliers.cmrt_files import cmrt_file
from tests.suppliers.factories import SUPPLIER_HEADER, SUPPLIERS, register_files

PROVIDERS = (base_figures, supplier_figures, integrity_figures, mineral_figures, dd_figures,
             saq_figures)  # fmt: skip


def _register(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    files = register_files(tmp_path)
    gold = ["S004", "Penang Gold Wire", "MY", "", "gold", "", "", "", "2026-02-01"]
    undated = ["S005", "Hanoi Tin", "VN", "", "tin", "", "", "", ""]
    rows = [*SUPPLIERS, gold, undated]
    cli(
        "suppliers",
        "import",
        "suppliers",
        str(write_csv(tmp_path / "s.csv", SUPPLIER_HEADER, rows)),
    )
    cli("suppliers", "import", "agreements", str(files["agreements"]))
    cli("suppliers", "cmrt", "import", "S001", str(cmrt_file(tmp_path / "s001.xlsx")))


def _figures(cli: Cli) -> list[RegisterFigure]:
    with cli.db.read() as session:
        return [f for p in PROVIDERS for y in range(2021, 2028) for f in p(session, y) if f.note]


def _chinese(part: dict) -> str:
    return translate(notes.CODES[part["code"]][1], "zh") % part["values"]


def test_every_part_of_a_supplier_note_is_worded_in_chinese_from_its_code(
    cli: Cli, tmp_path: Path
) -> None:
    _register(cli, tmp_path)
    figures = _figures(cli)
    codes = {w["code"] for f in figures for w in f.note_why}
    assert {"onboarded_by", "onboarded_in", "integrity_agreements", "no_dealers",
            "cmrt_returned_new", "none_onboarded", "no_audits"} <= codes  # fmt: skip
    assert codes & {"undated_one", "undated_many"}
    for f in figures:
        if f.note_why:
            assert notes.note_of(f.note_why) == f.note  # the English note as it always read
        chinese = notes.worded_note(f.note, f.note_why, "zh").split("；")  # zh joins so
        for part, worded in zip(f.note.split("; "), chinese, strict=True):
            assert notes.coded_part(part, f.note_why) is not None, part  # no part uncoded
            assert not re.search(r"\b[a-z]{3,}\b", worded), (part, worded)
            assert sorted(re.findall(r"\d+", worded)) == sorted(re.findall(r"\d+", part))
    compared = 0
    with cli.db.read() as session:  # the smelter roll-up words its share as the codes do
        for f in (f for f in figures if f.metric == CONFORMANT):
            result = rollup(session, template="CMRT", year=f.year, in_year=True)
            if result.declarations:
                assert result.conformant_share()[1] == f.note
                compared += 1
    assert compared


def test_the_roll_up_codes_its_own_parts_and_the_report_and_api_word_them(
    cli: Cli, tmp_path: Path
) -> None:
    _register(cli, tmp_path)
    with cli.db.read() as session:
        table = register_table(session, 2021, Scopes(session, 2021))
        section = supply_chain_section(session, 2021)
    onsite = table[("supply_chain.onsite_inspections", "")]
    assert onsite.value is None and onsite.note.startswith(
        "not available: the register has no figure for the boundary; "
    )
    assert onsite.note_why[0]["code"] == "no_boundary_figure"
    out = KpiFigureOut.model_validate(figure_readout(onsite.as_dict()))
    assert out.note_why == onsite.note_why  # the API carries the codes and their values
    assert section is not None
    chinese = translated_section(section, "zh")
    assert chinese is not None
    english = {f["metric"]: f for k in ("screening", "audit_figures") for f in section[k]}
    worded = {f["metric"]: f for k in ("screening", "audit_figures") for f in chinese[k]}
    for metric, f in english.items():
        if f.get("note_why"):
            assert worded[metric]["note"] == "; ".join(_chinese(w) for w in f["note_why"])
            assert not re.search(r"\b[a-z]{3,}\b", worded[metric]["note"]), worded[metric]
