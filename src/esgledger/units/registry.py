"""The one pint registry, the spellings reports use, and cached conversion multipliers.

Units are parsed and checked here, at the edge; the hot paths of ingest and calc multiply
arrays by one float per (unit, target) pair from :func:`multiplier`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import pint

from esgledger.errors import InvalidInput

# Report spellings → pint expressions, applied in order: longer phrases first. Chinese names
# (吨, 万元, 吨标准煤…) are data in ``definitions.txt``; here are only the phrases with spaces,
# printed numbers, and a counting word before a unit that pint cannot split itself (万kWh).
_COUNTING_WORDS = {"万": "1e4", "十万": "1e5", "百万": "1e6", "千万": "1e7", "亿": "1e8"}
_MONEY = r"(?:RMB|CNY|yuan)"
_TONNES = r"\b(?:tons?|tonnes?)"
Rewrite = str | Callable[[re.Match[str]], str]
_SPELLINGS: list[tuple[re.Pattern[str], Rewrite]] = [
    (
        re.compile(rf"\bper\s+mill(ion)?\s*(?:yuan\s+of\s+)?(?:revenue\s*)?\(?{_MONEY}\)?", re.I),
        "/ (RMB * million)",
    ),
    (
        re.compile(rf"\b10\s*,\s*000\s*{_MONEY}\b|\b{_MONEY}\s*10\s*,\s*000\b", re.I),
        "(1e4 RMB)",
    ),
    (re.compile(rf"\b{_MONEY}\s*1\s*,\s*000\b", re.I), "(1e3 RMB)"),
    (re.compile(r"\b10\s*,\s*000\s+cubic\s+met(er|re)s?", re.I), "1e4 m**3"),
    (re.compile(r"\b10\s*,\s*000\s*(?=N?m3\b)"), "1e4 "),
    (re.compile(r"\b10\s*(\^|\*\*)\s*4\b"), "1e4"),
    (re.compile(r"\b10\s*k\s*(?=N?m3\b)", re.I), "1e4 "),
    (
        re.compile(
            "(" + "|".join(sorted(_COUNTING_WORDS, key=len, reverse=True)) + r")\s*"
            r"([A-Za-z][A-Za-z0-9_]*)"
        ),
        lambda m: f"({_COUNTING_WORDS[m.group(1)]} {m.group(2)})",
    ),
    (
        re.compile(rf"{_TONNES}\s+of\s+(standard\s+)?coal(\s+equivalent)?\b(\s*\(tce\))?", re.I),
        "tce",
    ),
    (
        re.compile(
            rf"{_TONNES}\s+of\s+(CO2|carbon\s+dioxide)(\s*-?\s*eq\w*|\s+equivalent|e\b)?",
            re.I,
        ),
        "tCO2e",
    ),
    (re.compile(rf"{_TONNES}\s*(?=CO2)", re.I), "t"),
    (re.compile(r"\b(k?g|t)\s*CO2\s*(?:-?\s*eq\w*|e)\b"), r"\1CO2e"),
    (re.compile(r"\b(k?g|t)\s*CO2\b"), r"\1CO2"),
    (re.compile(r"\bcubic\s+met(er|re)s?\b", re.I), "m**3"),
    (re.compile(r"(?<![N\w])m3\b"), "m**3"),
    (re.compile(r"\bperson-times?\b", re.I), "person_times"),
    (re.compile(r"\bPerson\b"), "person"),
    (re.compile(r"\b(tkm|tonne-km|t-km)\b", re.I), "(t*km)"),
    (re.compile(r"\b(pkm|passenger-km|p-km)\b", re.I), "(person*km)"),
    (re.compile(rf"{_TONNES}\b", re.I), "t"),
    (re.compile(r"\bcount\b"), "counted_item"),
    (re.compile(r"\bm2\b"), "m**2"),
    (re.compile(r"‰"), " permille"),
    (re.compile(r"\bhours?\b", re.I), "hour"),
    (re.compile(r"\bper\b", re.I), "/"),
]
_NAMES_A_UNIT = re.compile(r"[^\W\d]|%|‰")
_PER_GROUP = re.compile(r"/\s*([A-Za-z_]+(?:\s+(?:million|billion|thousand))+)")
# "t / 1e4 RMB" would divide by 1e4 and multiply by RMB: a number after "/" takes its unit along.
_PER_NUMBER = re.compile(r"/\s*(\d[\d.]*(?:e\d+)?)\s+([^\W\d]\w*)")


def normalise(text: str) -> str:
    """Rewrite a unit as reports print it ("10,000 cubic meters", "tce per RMB million").

    NFKC first turns full-width and superscript characters (m³, tCO₂e, （RMB）) into plain ones.
    """
    expr = unicodedata.normalize("NFKC", text).strip()
    for pattern, repl in _SPELLINGS:
        expr = pattern.sub(repl, expr)
    # "/ RMB million" must divide by the whole group, not by RMB then multiply by a million.
    expr = _PER_GROUP.sub(lambda m: "/ (" + m.group(1) + ")", expr)
    return _PER_NUMBER.sub(lambda m: f"/ ({m.group(1)} {m.group(2)})", expr)


def _build_registry() -> pint.UnitRegistry[Any]:
    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.define("permille = 0.001 = ‰")
    with (
        resources.files("esgledger.units").joinpath("definitions.txt").open(encoding="utf-8") as fh
    ):
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                ureg.define(line)
    return ureg


ureg = _build_registry()


@cache
def parse(unit: str) -> pint.Quantity[Any]:
    """The quantity that one ``unit`` stands for (e.g. ``10^4 m3`` → 10000 m³).

    Raises :class:`InvalidInput` with a one-line reason for an unknown or malformed unit.
    """
    if not isinstance(unit, str) or not unit.strip():
        raise InvalidInput("empty unit")
    try:
        value = ureg.parse_expression(normalise(unit))
    except Exception as exc:  # pint raises many types for malformed text
        raise InvalidInput(f"unknown unit {unit!r}") from exc
    if not isinstance(value, pint.Quantity) or not _NAMES_A_UNIT.search(unit):
        raise InvalidInput(f"unknown unit {unit!r}: a number is not a unit")
    if value.magnitude <= 0:
        raise InvalidInput(f"unknown unit {unit!r}")
    return value


@cache
def dimensionality(unit: str) -> str:
    """A stable text form of the unit's dimension, e.g. ``[length] ** 3``."""
    return str(parse(unit).dimensionality)


def multiplier(unit: str, target: str) -> float:
    """How many ``target`` one ``unit`` is. ``multiplier("MWh", "kWh") == 1000.0``.

    Raises :class:`InvalidInput` if the two units measure different things.
    """
    ratio = _conversion(unit, target)
    if isinstance(ratio, InvalidInput):
        raise InvalidInput(str(ratio))
    return ratio


@cache
def _conversion(unit: str, target: str) -> float | InvalidInput:
    """The multiplier, or why there is none: a pair that cannot convert is remembered too,
    since pint answers it with an exception that costs a few hundred times a cache hit."""
    try:
        src, dst = parse(unit), parse(target)
        return float((src / dst).to("dimensionless").magnitude)
    except InvalidInput as exc:
        return exc
    except pint.errors.DimensionalityError:
        return InvalidInput(
            f"unit {unit!r} cannot be converted to {target!r} (different dimensions)"
        )


def compatible(unit: str, target: str) -> bool:
    """Whether ``unit`` measures the same kind of thing as ``target`` (cached, both answers)."""
    return not isinstance(_conversion(unit, target), InvalidInput)
