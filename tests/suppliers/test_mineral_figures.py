"""#16 conflict-minerals figures from the register: CMRT response rate and conformant-smelter
share, counted by hand, with the declarations behind them and "not available" with a reason."""

from __future__ import annotations

from pathlib import Path

from esgledger.kpi.register_figures import mineral_figures
from esgledger.kpi.register_source import PROVIDERS, RegisterFigure
from tests.conftest import Cli
from tests.factories import entities_file, write_csv
from tests.suppliers.cmrt_files import cmrt_file
from tests.suppliers.factories import SUPPLIER_HEADER, SUPPLIERS, register_files

RESPONSE = "supply_chain.conflict_minerals.cmrt_response_rate"
CONFORMANT = "supply_chain.conflict_minerals.rmi_conformant_smelters_share"


def _figures(cli: Cli, year: int) -> dict[str, RegisterFigure]:
    with cli.db.read() as session:
        return {f.metric: f for f in mineral_figures(session, year)}


def test_response_rate_and_conformant_share(cli: Cli, tmp_path: Path) -> None:
    assert mineral_figures in PROVIDERS
    cli("import", "entities", str(entities_file(tmp_path)))
    cli("suppliers", "import", "suppliers", str(register_files(tmp_path)["suppliers"]))
    assert _figures(cli, 2026) == {}  # no declaration stored: no figure
    # Only S001 ("castings;tin solder") is in scope; its CMRT is effective 15-Jan-2026.
    cli("suppliers", "cmrt", "import", "S001", str(cmrt_file(tmp_path / "s001.xlsx")))
    figures = _figures(cli, 2026)
    response = figures[RESPONSE]
    assert (response.value, response.entity_id, response.rows) == (100.0, "GRP", 1)
    assert response.note == "1 of 1 in-scope suppliers returned a CMRT"
    share = figures[CONFORMANT]
    assert share.value is None
    assert share.note == "not available: no conformant-smelter list imported"
    earlier = _figures(cli, 2025)
    # No CMRT effective in 2025 at all: no campaign is known, so no rate (not 0 %).
    assert (earlier[RESPONSE].value, earlier[RESPONSE].rows) == (None, 0)
    assert earlier[RESPONSE].note == "not available: no CMRT is effective in 2025"
    assert earlier[CONFORMANT].note == "not available: no CMRT is effective in 2025"
    listing = write_csv(
        tmp_path / "conformant.csv",
        ["smelter_id", "metal", "status", "assessed_on"],
        [["CID000001", "tin", "Conformant", "2026-03-01"]],
    )
    cli("suppliers", "cmrt", "conformant", str(listing))
    share = _figures(cli, 2026)[CONFORMANT]
    assert (share.value, share.note, share.rows) == (50.0, "1 of 2 identified smelters", 1)


def test_a_supplier_onboarded_after_the_year_is_not_in_its_scope(cli: Cli, tmp_path: Path) -> None:
    """The CMRT response rate of a year asks only the in-scope suppliers onboarded by its end
    (one without an onboarding date is asked in every year)."""
    cli("import", "entities", str(entities_file(tmp_path)))
    later = [["S004", "Penang Gold Wire", "MY", "", "gold; bonding wire", "", "", "",
              "2027-02-01"],
             ["S005", "Ganzhou Tungsten", "CN", "", "tungsten", "", "", "", ""]]  # fmt: skip
    path = write_csv(tmp_path / "suppliers.csv", SUPPLIER_HEADER, [*SUPPLIERS, *later])
    cli("suppliers", "import", "suppliers", str(path))
    cli("suppliers", "cmrt", "import", "S001", str(cmrt_file(tmp_path / "s001.xlsx")))
    response = _figures(cli, 2026)[RESPONSE]
    assert (response.value, response.note) == (50.0, "1 of 2 in-scope suppliers returned a CMRT")
