"""Issue #15: the shipped Scope 3 editions hold the values their SOURCE.md spot checks quote,
keep their citations and licence attribution, and never mix EPA's margin variants."""

from __future__ import annotations

import pytest

from esgledger.catalog.factors import Factor, factor_editions, factors

EPA, DESNZ = "epa-scf-v1.3", "desnz-ghg-cf-2025"


def _one(edition: str, activity: str, variant: str) -> Factor:
    [found] = [
        f for f in factors() if (f.edition, f.activity, f.variant) == (edition, activity, variant)
    ]
    return found


@pytest.mark.parametrize(
    ("naics", "sef", "mef", "both"),
    [  # About-v1.3 Table 2 (and Table 4 for 562111), as quoted in SOURCE.md
        ("327310", 3.846, 0.078, 3.924),
        ("112120", 1.682, 0.042, 1.724),
        ("486210", 1.619, 0.0, 1.619),
        ("325311", 1.114, 0.023, 1.137),
    ],
)
def test_epa_spend_factors_match_the_about_document(
    naics: str, sef: float, mef: float, both: float
) -> None:
    assert _one(EPA, "spend.purchased_goods", naics).value == both
    assert _one(EPA, "spend.purchased_goods", f"{naics}.without_margins").value == sef
    assert _one(EPA, "spend.purchased_goods", f"{naics}.margins_only").value == mef
    assert _one(EPA, "spend.purchased_goods", naics).unit == "kgCO2e/USD"


def test_epa_covers_every_naics_commodity_once_per_variant() -> None:
    own = [f for f in factors() if f.edition == EPA]
    assert len(own) == 3 * 1016  # SOURCE.md: 1,016 commodities × SEF / MEF / SEF+MEF
    assert _one(EPA, "spend.purchased_goods", "562111").value == 0.988  # Table 4


@pytest.mark.parametrize(
    ("activity", "variant", "value", "source_id"),
    [  # SOURCE.md spot checks, each equal in the flat file and the 2025 full set
        ("travel.air", "long_haul_to_from_uk.premium_economy.with_rf", 0.18726,
         "21_316_3172_11_1"),
        ("freight.road", "hgv_all_diesel.all_hgvs.average_laden", 0.10163, "27_304_3140_14_1"),
        ("waste.general_industrial", "landfill", 520.5327, "20_507_5313_15_1"),
        ("electricity.purchased", "td_loss", 0.01853, "13_402_4000_5_1"),
    ],
)  # fmt: skip
def test_desnz_values_match_the_spot_checks(
    activity: str, variant: str, value: float, source_id: str
) -> None:
    found = _one(DESNZ, activity, variant)
    assert found.value == value and source_id in found.factor_id and found.region == "GB"


def test_editions_cite_their_source_and_keep_the_ogl_attribution() -> None:
    desnz, epa = factor_editions()[DESNZ], factor_editions()[EPA]
    attribution = "Contains public sector information licensed under the Open Government Licence"
    assert attribution in desnz.citation
    assert all(attribution in f.notes for f in factors() if f.edition == DESNZ)
    assert "10.23719/1531143" in epa.document_no and epa.data_year == 2022
    assert "scripts/build_scope3_factors.py" in epa.source_ref
    assert "scripts/build_scope3_factors.py" in desnz.source_ref


def test_desnz_natural_gas_well_to_tank_is_shipped_per_kwh_net_cv_only() -> None:
    """The flat file's per-m3 rows (WTT 11_100_1004_1_1 = 0.3366, Scope 1 1_100_1004_1_1) are
    left out: neither the methodology paper nor the flat file states the temperature and
    pressure of DESNZ's cubic metre, and the units layer keeps m3 and Nm3 apart."""
    gas = [f for f in factors() if f.edition == DESNZ and f.activity == "fuel.natural_gas"]
    assert [(f.variant, f.value, f.unit) for f in gas] == [("wtt_net_cv", 0.03347, "kgCO2e/kWh")]
    assert "11_100_1004_7_1" in gas[0].factor_id
    assert not any(f.edition.startswith("desnz") and "m3" in f.unit for f in factors())
