"""Run options and profiles: which factor series a run consults, in which order."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from esgledger.errors import InvalidInput

GWP_SETS = ("AR4", "AR5", "AR6")
ELECTRICITY_BASES = ("equivalent_value", "equal_value")
GRID_LEVELS = ("most_specific", "national")


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


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            name="default",
            description="GB/T 2589 energy; NDRC electronics guideline for CO2 in China, IPCC 2006 "
            "elsewhere and for CH4/N2O; MEE/NBS grid factors in China (most specific region), "
            "life-cycle national factors (OWID/Ember) elsewhere",
            energy=("cn.gbt2589",),
            combustion=("cn.ndrc_electronics", "ipcc2006"),
            grid=("cn.mee_grid", "cn.ndrc_electronics", "owid.ember_grid"),
        ),
        Profile(
            name="cn-report",
            description="As Chinese ESG reports compute: CO2 only, the national-average grid "
            "factor for every Chinese site",
            energy=("cn.gbt2589",),
            combustion=("cn.ndrc_electronics", "ipcc2006"),
            grid=("cn.mee_grid", "cn.ndrc_electronics", "owid.ember_grid"),
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
    as_of: dt.date | None = None
    gwp: str = "AR5"
    electricity_basis: str = "equivalent_value"
    strict: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
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

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["as_of"] = self.as_of.isoformat() if self.as_of else None
        out["pins"] = [list(p) for p in self.pins]
        return out


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
