"""Run options and profiles: which factor series a run consults, in which order, and which
rule picks an edition within a series (docs/factor-resolution.md)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from esgledger.errors import InvalidInput
from esgledger.settings import get_settings

GWP_SETS = ("AR4", "AR5", "AR6")
ELECTRICITY_BASES = ("equivalent_value", "equal_value")
GRID_LEVELS = ("most_specific", "national")
LATEST_PUBLISHED = "latest_published_as_of"  # reports' practice (factors-cn.md §2): the default
MATCHING_DATA_YEAR = "matching_data_year"
EDITION_RULES = (LATEST_PUBLISHED, MATCHING_DATA_YEAR)
# How a profile reads gas volumes whose basis (metered m3 or normal Nm3) differs from the
# factor's. Shared spec factors-cn.md §1 says never to assume them equal without saying so.
GAS_VOLUME_ASSUMPTIONS = {
    "metered_is_normal": "Chinese billing volumes treated as the guidelines' standard volume: "
    "metered m3 read as the NDRC guideline's normal m3 (Nm3), and normal m3 as GB/T 2589's m3",
    "kept_apart": "metered m3 and normal m3 never read as each other",
}


# Grid and heat-supply factors: MEE/NBS grid and the NDRC guideline's heat in China, DESNZ
# district heat and steam in the UK, EPA's steam and heat in the US, then life-cycle grid
# factors of other countries (electricity only).
GRID_CHAIN = ("cn.mee_grid", "cn.ndrc_electronics", "uk.desnz", "us.epa_hub", "owid.ember_grid")


@dataclass(frozen=True)
class Profile:
    """The publisher chain per factor role; earlier series win. User editions come first."""

    name: str
    description: str
    energy: tuple[str, ...]
    combustion: tuple[str, ...]
    grid: tuple[str, ...]
    gases: tuple[str, ...] | None = None  # None: every gas a factor exists for
    grid_level: str = "most_specific"
    gas_volume: str = "metered_is_normal"  # a key of GAS_VOLUME_ASSUMPTIONS

    @property
    def gas_volume_assumption(self) -> str:
        return GAS_VOLUME_ASSUMPTIONS[self.gas_volume]


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            name="default",
            description="GB/T 2589 energy; NDRC electronics guideline for CO2 in China, IPCC 2006 "
            "elsewhere and for CH4/N2O; MEE/NBS grid factors in China (most specific region), "
            "life-cycle national factors (OWID/Ember) elsewhere; purchased heat and steam: NDRC in "
            "China, DESNZ in the UK, EPA in the US",
            energy=("cn.gbt2589",),
            combustion=("cn.ndrc_electronics", "ipcc2006"),
            grid=GRID_CHAIN,
        ),
        Profile(
            name="cn-report",
            description="As Chinese ESG reports compute: CO2 only, the national-average grid "
            "factor for every Chinese site",
            energy=("cn.gbt2589",),
            combustion=("cn.ndrc_electronics", "ipcc2006"),
            grid=GRID_CHAIN,
            gases=("CO2",),
            grid_level="national",
        ),
    )
}


@dataclass(frozen=True)
class RunOptions:
    """Everything that, with the ledger and the editions, determines a run's numbers."""

    year: int
    boundary: str | None = None
    profile: str = "default"
    pins: tuple[tuple[str, str], ...] = ()  # (series, edition)
    cutoff: dt.date | None = None  # the report's cut-off given for this run (--as-of)
    gwp: str = "AR5"
    electricity_basis: str = "equivalent_value"
    strict: bool = False
    # (activity, edition, variant): a coefficient chosen for one carrier, e.g. the 2008 gas one
    energy_coefficients: tuple[tuple[str, str, str], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    edition_rule: str = LATEST_PUBLISHED
    cutoff_months: int = field(default_factory=lambda: get_settings().report_cutoff_months)

    def __post_init__(self) -> None:
        if self.edition_rule not in EDITION_RULES:
            raise InvalidInput(
                f"unknown edition rule {self.edition_rule!r}; use one of {', '.join(EDITION_RULES)}"
            )
        if self.edition_rule == MATCHING_DATA_YEAR and self.cutoff is not None:
            raise InvalidInput(
                f"--as-of is the cut-off of the {LATEST_PUBLISHED} rule; "
                f"drop it or drop --edition-rule {MATCHING_DATA_YEAR}"
            )
        if not 0 <= self.cutoff_months <= 24:
            raise InvalidInput(f"cut-off months {self.cutoff_months} must be between 0 and 24")
        if self.profile not in PROFILES:
            raise InvalidInput(
                f"unknown profile {self.profile!r}; use one of {', '.join(PROFILES)}"
            )
        if self.gwp not in GWP_SETS:
            raise InvalidInput(f"unknown GWP set {self.gwp!r}; use one of {', '.join(GWP_SETS)}")
        if self.electricity_basis not in ELECTRICITY_BASES:
            raise InvalidInput(
                f"unknown electricity basis {self.electricity_basis!r}; "
                f"use one of {', '.join(ELECTRICITY_BASES)}"
            )

    @property
    def profile_obj(self) -> Profile:
        return PROFILES[self.profile]

    @property
    def as_of(self) -> dt.date | None:
        """The date editions must be published by: the given cut-off, else the year's end plus
        the workspace's cut-off months; None under the data-year rule."""
        if self.edition_rule == MATCHING_DATA_YEAR:
            return None
        return self.cutoff or cutoff_date(self.year, self.cutoff_months)

    def as_dict(self) -> dict[str, Any]:
        """As stored with a run; ``as_of`` is the cut-off given for the run (None: default)."""
        out = asdict(self)
        del out["cutoff"]
        out["as_of"] = self.cutoff.isoformat() if self.cutoff else None
        out["pins"] = [list(p) for p in self.pins]
        # only when chosen: the digest of a run without a choice stays what it always was
        out["energy_coefficients"] = [list(c) for c in self.energy_coefficients]
        if not self.energy_coefficients:
            del out["energy_coefficients"]
        return out


def cutoff_date(year: int, months: int) -> dt.date:
    """The last day of the month ``months`` after the year's end (4 → 30 April of year + 1)."""
    target_year, month_index = divmod(12 * year + 11 + months, 12)
    month = month_index + 1
    return dt.date(target_year, month, calendar.monthrange(target_year, month)[1])


def edition_rule_of(stored: dict[str, Any], year: int) -> dict[str, Any]:
    """The edition rule a run used, from its stored options, to show with every run.

    Runs stored before the rule was an option chose by data year unless given ``--as-of``.
    """
    given = stored.get("as_of")
    rule = stored.get("edition_rule") or (LATEST_PUBLISHED if given else MATCHING_DATA_YEAR)
    months = stored.get("cutoff_months")
    out: dict[str, Any] = {"rule": rule, "cutoff": None, "cutoff_from": None}
    if rule == LATEST_PUBLISHED and given:
        out.update(cutoff=given, cutoff_from="--as-of")
    elif rule == LATEST_PUBLISHED and months is not None:
        out.update(
            cutoff=cutoff_date(year, months).isoformat(),
            cutoff_from=f"year end + {months} months (ESG_REPORT_CUTOFF_MONTHS)",
        )
    out["pins"] = {series: edition for series, edition in stored.get("pins", [])}
    return out


def describe_rule(rule: dict[str, Any]) -> str:
    """One line for people: which rule chose the editions, and its cut-off."""
    pins = "; pinned: " + ", ".join(f"{s}={e}" for s, e in rule["pins"].items())
    pins = pins if rule["pins"] else ""
    if rule["rule"] == LATEST_PUBLISHED:
        return (
            f"Edition rule: latest edition published by {rule['cutoff']} "
            f"({rule['cutoff_from']}){pins}"
        )
    return f"Edition rule: latest edition whose data year is at most the year{pins}"


def parse_pins(values: list[str]) -> tuple[tuple[str, str], ...]:
    """``SERIES=EDITION`` strings from the command line."""
    pins = []
    for text in values:
        series, sep, edition = text.partition("=")
        if not sep or not series.strip() or not edition.strip():
            raise InvalidInput(
                f"--pin {text!r} must look like SERIES=EDITION, e.g. cn.mee_grid=mee-grid-2022"
            )
        pins.append((series.strip(), edition.strip()))
    return tuple(pins)


def parse_energy_coefficients(values: list[str]) -> tuple[tuple[str, str, str], ...]:
    """``ACTIVITY=EDITION[:VARIANT]`` strings from the command line."""
    out = []
    for text in values:
        activity, sep, choice = text.partition("=")
        edition, _, variant = choice.partition(":")
        if not sep or not activity.strip() or not edition.strip():
            raise InvalidInput(
                f"--energy-coefficient {text!r} must look like ACTIVITY=EDITION[:VARIANT], "
                "e.g. fuel.natural_gas=gbt2589-2008:gas_field_gas"
            )
        out.append((activity.strip(), edition.strip(), variant.strip()))
    return tuple(out)
