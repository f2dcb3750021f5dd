"""Issue #11 finding 6: factor resolution you can predict (docs/factor-resolution.md).

The shipped library is real; a workspace series is added as records, as `esg factors import`
stores them. Values are the MEE/NBS ones of factors-cn.md §5."""

from __future__ import annotations

import datetime as dt

import pytest

from esgledger.calc.coding import regions_for
from esgledger.calc.library import FactorLibrary, FactorRecord
from esgledger.calc.options import (
    MATCHING_DATA_YEAR,
    PROFILES,
    RunOptions,
    cutoff_date,
    edition_rule_of,
)
from esgledger.calc.resolve import (
    NOT_PUBLISHED,
    OLDER_EDITION,
    UNDATED_LEFT_OUT,
    Resolution,
    Resolver,
)
from esgledger.errors import InvalidInput

GRID = PROFILES["default"].grid
SHENZHEN = regions_for("CN", "CN-GD")
CHENGDU = regions_for("CN", "CN-SC")


def user_grid(region: str, value: float, data_year: int | None) -> FactorRecord:
    """A workspace series of grid factors (say, a utility's own), one edition per year."""
    edition = f"acme-grid-{data_year or 'any'}"
    return FactorRecord(
        factor_id=f"{edition}:{region}",
        edition=edition,
        series="user.acme_grid",
        data_year=data_year,
        published=None,
        kind="emission_factor",
        activity="electricity.purchased",
        parameter="ef",
        gas="CO2",
        region=region,
        variant="average",
        value=value,
        unit="tCO2/MWh",
        status="unverified",
        user=True,
    )


def library(*extra: FactorRecord) -> FactorLibrary:
    return FactorLibrary(FactorLibrary.load().records + list(extra))


def grid(resolver: Resolver, regions: tuple, year: int = 2024) -> Resolution:
    found = resolver.resolve(
        kind="emission_factor",
        activity="electricity.purchased",
        parameter="ef",
        gas="CO2",
        year=year,
        regions=regions,
        series=resolver.chain(GRID),
        variants=("average",),
    )
    assert found is not None
    return found


def test_the_default_cutoff_is_the_end_of_april_after_the_year() -> None:
    assert cutoff_date(2024, 4) == dt.date(2025, 4, 30)
    assert cutoff_date(2024, 0) == dt.date(2024, 12, 31)
    assert cutoff_date(2023, 2) == dt.date(2024, 2, 29)
    assert cutoff_date(2024, 12) == dt.date(2025, 12, 31)
    options = RunOptions(year=2024)
    assert (options.edition_rule, options.cutoff_months) == ("latest_published_as_of", 4)
    assert options.as_of == dt.date(2025, 4, 30)
    assert options.as_dict()["as_of"] is None, "the stored as_of is only a cut-off given"
    assert RunOptions(year=2024, cutoff=dt.date(2025, 1, 31)).as_of == dt.date(2025, 1, 31)
    assert RunOptions(year=2024, edition_rule=MATCHING_DATA_YEAR).as_of is None


def test_the_cutoff_months_are_a_workspace_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESG_REPORT_CUTOFF_MONTHS", "6")
    options = RunOptions(year=2024)
    assert options.as_of == dt.date(2025, 6, 30)
    rule = edition_rule_of(options.as_dict(), 2024)
    assert rule == {
        "rule": "latest_published_as_of",
        "cutoff": "2025-06-30",
        "cutoff_from": "year end + 6 months (ESG_REPORT_CUTOFF_MONTHS)",
        "pins": {},
    }


def test_runs_stored_before_the_rule_say_they_chose_by_data_year() -> None:
    old = {"as_of": None, "pins": [], "year": 2024}
    assert edition_rule_of(old, 2024)["rule"] == "matching_data_year"
    assert edition_rule_of({**old, "as_of": "2025-03-01"}, 2024)["cutoff"] == "2025-03-01"


def test_bad_rule_options_are_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown edition rule 'newest'"):
        RunOptions(year=2024, edition_rule="newest")
    with pytest.raises(InvalidInput, match="--as-of is the cut-off of the latest_published_as_of"):
        RunOptions(year=2024, cutoff=dt.date(2025, 1, 1), edition_rule=MATCHING_DATA_YEAR)
    with pytest.raises(InvalidInput, match="between 0 and 24"):
        RunOptions(year=2024, cutoff_months=-1)


def test_latest_edition_published_by_the_cutoff_is_the_default() -> None:
    """factors-cn.md §2: FY2023 used the 2021 factors (April 2024), FY2024 the 2022 ones."""
    fy2023 = grid(Resolver(library(), as_of=RunOptions(year=2023).as_of), SHENZHEN, 2023)
    assert (fy2023.factor.edition, fy2023.factor.region, fy2023.factor.value) == (
        "mee-grid-2021",
        "CN",
        0.5568,
    )
    fy2024 = grid(Resolver(library(), as_of=RunOptions(year=2024).as_of), SHENZHEN)
    assert (fy2024.factor.edition, fy2024.factor.region) == ("mee-grid-2022", "CN-GRID-SOUTH")
    assert "latest edition published by 2025-04-30 (mee-grid-2022, published 2024-12-26)" in (
        fy2024.rule
    )
    assert "[latest_published_as_of]" in fy2024.rule


def test_a_newer_edition_without_a_publication_date_is_left_out_and_says_so() -> None:
    """mee-grid-2023 records no date: the rule cannot place it before the cut-off."""
    found = grid(Resolver(library(), as_of=dt.date(2026, 4, 30)), SHENZHEN, 2025)
    assert found.factor.edition == "mee-grid-2022"
    assert UNDATED_LEFT_OUT in found.flags
    assert "mee-grid-2023 left out: no publication date (pin it to use it)" in found.rule


def test_no_edition_published_by_the_cutoff_is_flagged() -> None:
    found = grid(Resolver(library(), as_of=dt.date(2024, 1, 31)), SHENZHEN, 2023)
    assert found.factor.edition == "mee-grid-2021" and found.flags[0] == NOT_PUBLISHED
    assert (
        "no edition published by 2024-01-31 covers this site, earliest published later used "
        "(mee-grid-2021)" in found.rule
    )


def test_series_without_publication_dates_go_by_data_year_and_say_so() -> None:
    resolver = Resolver(library(), as_of=dt.date(2025, 4, 30))
    found = resolver.resolve(
        kind="energy_coefficient",
        activity="fuel.natural_gas",
        parameter="coef",
        gas="",
        year=2024,
        regions=SHENZHEN,
        series=resolver.chain(PROFILES["default"].energy),
    )
    assert found is not None and found.factor.edition == "gbt2589-2020" and not found.flags
    assert "series records no publication dates" in found.rule


def test_the_newest_edition_wins_over_a_more_specific_region_of_an_older_one() -> None:
    """Data-year rule, FY2024: Sichuan has a provincial factor only in the 2022 edition; the
    2023 edition's Southwest grid answers, so the run does not mix 2022 and 2023."""
    found = grid(Resolver(library()), CHENGDU)
    assert (found.factor.edition, found.factor.region, found.factor.value) == (
        "mee-grid-2023",
        "CN-GRID-SOUTHWEST",
        0.2472,
    )
    assert found.flags == () and "[matching_data_year]" in found.rule
    shenzhen = grid(Resolver(library()), SHENZHEN)
    assert shenzhen.factor.edition == found.factor.edition


def test_an_older_edition_answers_only_with_a_flag() -> None:
    lib = library()
    by_edition: dict[str, set[str]] = {}
    for r in lib.records:
        if r.series == "owid.ember_grid":
            by_edition.setdefault(r.edition, set()).add(r.region)
    only_2022 = sorted(
        by_edition["owid-ember-grid-2022-cc332"] - by_edition["owid-ember-grid-2023-cc332"]
    )
    assert only_2022
    resolver = Resolver(lib)
    found = resolver.resolve(
        kind="emission_factor",
        activity="electricity.purchased",
        parameter="ef",
        gas="CO2e",
        year=2024,
        regions=regions_for(only_2022[0], ""),
        series=("owid.ember_grid",),
        variants=("lifecycle_generation",),
    )
    assert found is not None and found.factor.edition == "owid-ember-grid-2022-cc332"
    assert found.flags == (OLDER_EDITION,)
    assert "owid-ember-grid-2023-cc332 has no factor for this site" in found.rule


def test_a_pin_wins_over_the_workspace_series() -> None:
    lib = library(user_grid("CN-GD", 0.42, 2024))
    found = grid(Resolver(lib, pins={"cn.mee_grid": "mee-grid-2021"}), SHENZHEN)
    assert (found.factor.edition, found.factor.value) == ("mee-grid-2021", 0.5568)
    assert "edition mee-grid-2021 pinned for the run [pinned_edition]" in found.rule


def test_a_workspace_series_adds_only_for_its_declared_years_and_regions() -> None:
    lib = library(user_grid("CN-GD", 0.42, 2024))
    resolver = Resolver(lib, as_of=dt.date(2025, 4, 30))
    declared = grid(resolver, SHENZHEN, 2024)
    assert (declared.factor.edition, declared.factor.value) == ("acme-grid-2024", 0.42)
    assert "[workspace_series_year]" in declared.rule
    for year in (2023, 2025):  # other years: the official series, as if it were not there
        assert grid(resolver, SHENZHEN, year).factor.series == "cn.mee_grid"
    assert grid(resolver, CHENGDU, 2024).factor.series == "cn.mee_grid"  # other regions


def test_a_workspace_series_without_a_data_year_covers_every_year_and_says_so() -> None:
    lib = library(user_grid("CN-GD", 0.42, None))
    found = grid(Resolver(lib, as_of=dt.date(2024, 4, 30)), SHENZHEN, 2023)
    assert found.factor.edition == "acme-grid-any"
    assert "declares no data year" in found.rule
