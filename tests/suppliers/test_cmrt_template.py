"""CMRT/EMRT rule class: the template and its version (#16)."""

from __future__ import annotations

from pathlib import Path

from tests.suppliers.cmrt_files import Cmrt, checked, lines


def test_a_supported_version_is_recognised_with_its_metals(tmp_path: Path) -> None:
    result = checked(tmp_path)
    assert result.errors == []
    assert (result.template.kind, result.template.version) == ("CMRT", "6.5")
    assert result.template.metals == ("tantalum", "tin", "gold", "tungsten")


def test_an_unknown_version_is_refused_naming_the_known_ones(tmp_path: Path) -> None:
    result = checked(
        tmp_path, Cmrt(title="Conflict Minerals Reporting Template (CMRT) Revision 5.12")
    )
    assert lines(result.errors) == [
        "s.xlsx, row 2, column 'Declaration!B': CMRT version 5.12 is not supported "
        "(known: 6.01, 6.1, 6.22, 6.31, 6.4, 6.5, 6.6)"
    ]


def test_a_workbook_without_a_title_is_refused(tmp_path: Path) -> None:
    result = checked(tmp_path, Cmrt(title="Supplier survey"))
    assert "no template title naming CMRT or EMRT" in lines(result.errors)[0]


def test_an_emrt_2_asks_about_its_own_minerals(tmp_path: Path) -> None:
    metals = ("Cobalt", "Copper", "Lithium", "Mica", "Natural Graphite", "Nickel")
    spec = Cmrt(
        title="Extended Minerals Reporting Template (EMRT) Revision 2.1",
        metals=metals,
        in_use=("Cobalt",),
        smelters=[["", "Cobalt", "Gamma Cobalt", "Gamma Cobalt", "CONGO", "CID000003", "RMI"]],
    )
    result = checked(tmp_path, spec)
    assert result.errors == []
    assert result.in_use == ["cobalt"] and result.smelters[0].smelter_id == "CID000003"


def test_a_cmrt_metal_in_an_emrt_file_is_refused(tmp_path: Path) -> None:
    spec = Cmrt(
        title="Extended Minerals Reporting Template (EMRT) Revision 1.3",
        metals=("Cobalt", "Mica"),
        in_use=("Cobalt",),
        smelters=[["", "Tin", "Alpha Tin", "Alpha Tin", "CHINA", "CID000001", "RMI"]],
    )
    found = lines(checked(tmp_path, spec).errors)
    assert "s.xlsx, row 4, column 'Smelter List!B': metal 'Tin' is not one of cobalt, mica" in found
