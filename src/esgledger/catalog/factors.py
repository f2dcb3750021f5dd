"""Emission factors, energy coefficients and GWPs, each tied to an immutable, cited edition.

Shipped data lives in ``catalog/data/factors``: ``editions.csv`` (one row per edition) and one
``<edition>.csv`` per edition. Every value carries its edition, so a result can always say which
published figure it used, and a new edition never changes an old number. GWP sets are read at
run time from the ``globalwarmingpotentials`` package (nothing transcribed); the edition's
``source_ref`` pins the package version, and any other version is refused.

The calculation engine resolves factors by joining on :func:`factor_frame`.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, fields
from datetime import date
from functools import cache
from importlib import metadata
from typing import Any

import polars as pl

from esgledger.catalog._files import read_rows
from esgledger.errors import EsgError, NotFound

KINDS = frozenset({"energy_coefficient", "emission_factor", "fuel_parameter", "gwp"})
STATUSES = frozenset({"verified", "unverified"})

# ``pypi:NAME==VERSION#KEY`` in an edition's source_ref: load that package's data at run time.
_PACKAGED = re.compile(r"^pypi:(?P<dist>[A-Za-z0-9_.-]+)==(?P<version>[^#\s]+)#(?P<key>\S+)$")
_GAS_PREFIX = re.compile(r"^(HCFC|HFC|CFC)(\d.*)$")
_GAS_SPECIAL = {"HFC4310mee": "HFC-43-10mee"}
_GWP_SETS = {"AR4": "gwp-ar4", "AR5": "gwp-ar5", "AR6": "gwp-ar6"}


class FactorNotFound(NotFound, KeyError):
    """No such GWP set, gas or refrigerant mapping. Also a KeyError, as for a dict lookup."""

    __str__ = Exception.__str__


@dataclass(frozen=True, slots=True)
class FactorEdition:
    """One immutable publication (a standard, an announcement, a data release)."""

    edition: str
    series: str  # publisher chain shared by successive editions, e.g. cn.mee_grid
    publisher: str
    title: str
    title_original: str
    document_no: str
    edition_label: str
    signed_date: date | None
    issued_date: date | None
    public_date: date | None
    effective_date: date | None
    data_year: int | None  # the year the physical data describes (vintage)
    region: str
    citation: str
    status: str
    supersedes: str
    source_ref: str
    notes: str


@dataclass(frozen=True, slots=True)
class Factor:
    """One value of one edition. Text fields are "" when empty, so joins on them match."""

    factor_id: str
    edition: str
    kind: str
    activity: str  # an activity type id, or the gas name for kind == "gwp"
    parameter: str  # coef | ef | ncv | carbon_content | oxidation | gwp100
    gas: str
    region: str
    variant: str
    value: float
    value_min: float | None
    value_max: float | None
    choice_reason: str
    unit: str
    volume_basis: str  # metered | normal | ""
    table_ref: str
    status: str
    notes: str


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _float(text: str) -> float | None:
    return float(text) if text else None


def _gas_name(key: str) -> str:
    """The package's species key as reports write it (``HFC134a`` → ``HFC-134a``)."""
    if key in _GAS_SPECIAL:
        return _GAS_SPECIAL[key]
    return _GAS_PREFIX.sub(r"\1-\2", key)


def _gas_key(name: str) -> str:
    """Comparison key for gas names, so ``HFC-134a``, ``hfc134a`` and ``HFC 134a`` agree."""
    return re.sub(r"[\s_-]", "", name).upper()


@cache
def factor_editions() -> dict[str, FactorEdition]:
    """All shipped editions by id, in file order."""
    out: dict[str, FactorEdition] = {}
    for row in read_rows("factors/editions.csv"):
        ed = FactorEdition(
            edition=row["edition"],
            series=row["series"],
            publisher=row["publisher"],
            title=row["title"],
            title_original=row["title_original"],
            document_no=row["document_no"],
            edition_label=row["edition_label"],
            signed_date=_date(row["signed_date"]),
            issued_date=_date(row["issued_date"]),
            public_date=_date(row["public_date"]),
            effective_date=_date(row["effective_date"]),
            data_year=int(row["data_year"]) if row["data_year"] else None,
            region=row["region"],
            citation=row["citation"],
            status=row["status"],
            supersedes=row["supersedes"],
            source_ref=row["source_ref"],
            notes=row["notes"],
        )
        if ed.edition in out:
            raise EsgError(f"factor edition {ed.edition!r} is listed twice in editions.csv")
        out[ed.edition] = ed
    return out


def published(edition: Any) -> date | None:
    """The date an edition became public: the first known of public, issued, signed and
    effective dates. Shipped editions and workspace rows have the same field names."""
    dates = (edition.public_date, edition.issued_date, edition.signed_date, edition.effective_date)
    return next((d for d in dates if d is not None), None)


@cache
def dated_series() -> frozenset[str]:
    """Series with a shipped edition that records when it was published: in these, the
    default rule takes the latest edition published by the report's cut-off date."""
    return frozenset(e.series for e in factor_editions().values() if published(e))


def _csv_factors(edition: str) -> list[Factor]:
    out = []
    for row in read_rows(f"factors/{edition}.csv"):
        out.append(
            Factor(
                factor_id=row["factor_id"],
                edition=edition,
                kind=row["kind"],
                activity=row["activity"],
                parameter=row["parameter"],
                gas=row["gas"],
                region=row["region"],
                variant=row["variant"],
                value=float(row["value"]),
                value_min=_float(row["value_min"]),
                value_max=_float(row["value_max"]),
                choice_reason=row["choice_reason"],
                unit=row["unit"],
                volume_basis=row["volume_basis"],
                table_ref=row["table_ref"],
                status=row["status"],
                notes=row["notes"],
            )
        )
    return out


def _packaged_gwp(ed: FactorEdition) -> list[Factor]:
    """GWP values read from the pinned package, so nothing is transcribed by hand."""
    match = _PACKAGED.match(ed.source_ref)
    if match is None:
        return []
    dist, version, key = match["dist"], match["version"], match["key"]
    try:
        installed = metadata.version(dist)
    except metadata.PackageNotFoundError:
        raise EsgError(
            f"factor edition {ed.edition!r} needs the package {dist}=={version}; "
            f"install it with `pip install {dist}=={version}`"
        ) from None
    if installed != version:
        raise EsgError(
            f"factor edition {ed.edition!r} is pinned to {dist}=={version} but {installed} is "
            f"installed; install {version}, or ship a new edition for the new data"
        )
    module = importlib.import_module(dist.replace("-", "_"))
    values: dict[str, float] = module.data[key]
    return [
        Factor(
            factor_id=f"{ed.edition}:{_gas_name(species)}:gwp100",
            edition=ed.edition,
            kind="gwp",
            activity=_gas_name(species),
            parameter="gwp100",
            gas=_gas_name(species),
            region="GLOBAL",
            variant="",
            value=float(value),
            value_min=None,
            value_max=None,
            choice_reason="",
            unit="dimensionless",
            volume_basis="",
            table_ref=ed.citation,
            status=ed.status,
            notes=f"{dist} {version}, data[{key!r}][{species!r}]",
        )
        for species, value in values.items()
        if value is not None
    ]


@cache
def _all_factors() -> tuple[Factor, ...]:
    out: list[Factor] = []
    for ed in factor_editions().values():
        out.extend(_packaged_gwp(ed))
        out.extend(_csv_factors(ed.edition))
    seen: set[str] = set()
    for f in out:
        if f.factor_id in seen:
            raise EsgError(f"factor id {f.factor_id!r} is used twice; ids are never reused")
        seen.add(f.factor_id)
    return tuple(out)


def factors() -> list[Factor]:
    """Every shipped factor of every edition, GWP values included."""
    return list(_all_factors())


_EDITION_COLUMNS: dict[str, pl.DataType] = {
    "series": pl.Utf8(),
    "publisher": pl.Utf8(),
    "data_year": pl.Int32(),
    "signed_date": pl.Date(),
    "issued_date": pl.Date(),
    "public_date": pl.Date(),
    "effective_date": pl.Date(),
    "supersedes": pl.Utf8(),
    "edition_status": pl.Utf8(),
}


def _factor_schema() -> dict[str, pl.DataType]:
    numeric = {"value", "value_min", "value_max"}
    return {f.name: (pl.Float64() if f.name in numeric else pl.Utf8()) for f in fields(Factor)}


@cache
def _frame() -> pl.DataFrame:
    eds = factor_editions()
    rows = []
    for f in _all_factors():
        ed = eds[f.edition]
        row = {name.name: getattr(f, name.name) for name in fields(Factor)}
        row.update(
            series=ed.series,
            publisher=ed.publisher,
            data_year=ed.data_year,
            signed_date=ed.signed_date,
            issued_date=ed.issued_date,
            public_date=ed.public_date,
            effective_date=ed.effective_date,
            supersedes=ed.supersedes,
            edition_status=ed.status,
        )
        rows.append(row)
    return pl.DataFrame(rows, schema={**_factor_schema(), **_EDITION_COLUMNS})


def factor_frame() -> pl.DataFrame:
    """One row per factor with its edition's series, publisher, data year and dates.

    The engine resolves factors with joins (and as-of joins on the dates) on this frame.
    Empty text is "" rather than null so that joins on ``variant`` or ``gas`` match.
    """
    return _frame().clone()


@cache
def _grid_regions() -> dict[str, str]:
    return {row["subdivision"]: row["grid_region"] for row in read_rows("cn_grid_regions.csv")}


def grid_region(subdivision: str) -> str | None:
    """The MEE/NBS regional grid of a Chinese province (``CN-GD`` → ``CN-GRID-SOUTH``).

    None for codes outside those grids (Hong Kong, Macau, Taiwan, other countries), so the
    caller falls back to the national factor or a foreign one.
    """
    return _grid_regions().get(subdivision.strip().upper())


@cache
def _blends() -> dict[str, tuple[tuple[str, float], ...]]:
    out: dict[str, list[tuple[str, float]]] = {}
    for row in read_rows("refrigerant_blends.csv"):
        out.setdefault(row["activity"], []).append(
            (row["component_gas"], float(row["mass_fraction"]))
        )
    return {k: tuple(v) for k, v in out.items()}


def refrigerant_components(activity_id: str) -> list[tuple[str, float]]:
    """(gas, mass fraction) pairs of a refrigerant activity type; a single gas gives one pair.

    Raises :class:`FactorNotFound` for an activity without a mapping, so a leak of an unmapped
    refrigerant can never be counted as zero.
    """
    try:
        return list(_blends()[activity_id])
    except KeyError:
        raise FactorNotFound(
            f"no refrigerant composition for {activity_id!r}; add it to refrigerant_blends.csv"
        ) from None


@cache
def _gwp_index() -> dict[tuple[str, str], float]:
    return {(f.edition, _gas_key(f.gas)): f.value for f in _all_factors() if f.kind == "gwp"}


def gwp(gas: str, set_name: str) -> float:
    """100-year GWP of ``gas`` in a set (``AR4``, ``AR5``, ``AR6`` or an edition id).

    Gas names are matched without case, hyphens or spaces (``HFC-134a`` = ``HFC134a``). Under
    AR6, CH4 from fuel combustion should use ``CH4-fossil``; ``CH4`` is the package's single
    AR6 value (Table 7.SM.7).
    """
    edition = _GWP_SETS.get(set_name.strip().upper(), set_name.strip())
    ed = factor_editions().get(edition)
    if ed is None or ed.series != "ipcc.gwp":
        raise FactorNotFound(f"unknown GWP set {set_name!r}; use AR4, AR5 or AR6")
    try:
        return _gwp_index()[(edition, _gas_key(gas))]
    except KeyError:
        raise FactorNotFound(f"no {set_name} GWP for gas {gas!r}") from None
