"""Topic libraries an assessment copies its topics from.

- ``szse2024``: the 25 topics of the reference report's 2024 double-materiality assessment
  (24 published plus the inferred 25th, ``internal-risk-control``), each with its domain,
  owning team, SZSE Guideline No.17 topic, GRI disclosures and an ESRS standard
  (``materiality_topics_2024.csv``; the ESRS column is our mapping, not the report's).
- ``issues2020``: the 25 issues of the 2020 single-materiality assessment with the tiers that
  are known, and the 2024 topic each became (``materiality_issues_2020.csv``).
- ``esrs``: the sustainability matters of ESRS 1 Appendix A, AR 16: topic and sub-topic of
  ESRS E1-E5, S1-S4 and G1, sub-sub-topics as a list (``esrs_sustainability_matters.csv``;
  transcribed from the public standard text, marked ``unverified`` until checked).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from esgledger.catalog._files import read_rows, split_list
from esgledger.errors import NotFound


@dataclass(frozen=True, slots=True)
class LibraryTopic:
    """A topic as a library ships it; an assessment copies these fields."""

    code: str
    name: str
    domain: str
    owner_team: str = ""
    szse17: str = ""
    gri: str = ""
    esrs: str = ""
    tier: str = ""  # a known earlier tier (issues2020): high | moderate | low | ""
    successor: str = ""  # the topic code it continues as in a later library
    details: tuple[str, ...] = ()  # ESRS sub-sub-topics
    status: str = ""
    source: str = ""
    notes: str = ""


def _szse2024() -> list[LibraryTopic]:
    return [
        LibraryTopic(
            code=r["code"],
            name=r["name"],
            domain=r["domain"],
            owner_team=r["owner_team"],
            szse17=r["szse17"],
            gri=r["gri"],
            esrs=r["esrs"],
            status=r["status"],
            source=r["source"],
            notes=r["notes"],
        )
        for r in read_rows("materiality_topics_2024.csv")
    ]


def _issues2020() -> list[LibraryTopic]:
    return [
        LibraryTopic(
            code=r["code"],
            name=r["name"],
            domain=r["category"],
            tier=r["tier"],
            successor=r["successor"],
            status=r["tier_status"],
            source=r["source"],
            notes=r["notes"],
        )
        for r in read_rows("materiality_issues_2020.csv")
    ]


def _esrs() -> list[LibraryTopic]:
    return [
        LibraryTopic(
            code=r["code"],
            name=f"{r['topic']}: {r['sub_topic']}",
            domain=r["topic"],
            esrs=r["standard"].removeprefix("ESRS "),
            details=split_list(r["sub_sub_topics"]),
            status=r["status"],
            source=r["source"],
        )
        for r in read_rows("esrs_sustainability_matters.csv")
    ]


LIBRARIES = {
    "szse2024": ("2024 double-materiality topics (SZSE No.17 / GRI mapped)", _szse2024),
    "issues2020": ("2020 single-materiality issues with known tiers", _issues2020),
    "esrs": ("ESRS 1 AR 16 sustainability matters (topic / sub-topic)", _esrs),
}


@cache
def topic_library(name: str) -> tuple[LibraryTopic, ...]:
    """The topics of a shipped library, in file order."""
    try:
        _title, loader = LIBRARIES[name]
    except KeyError:
        raise NotFound(
            f"unknown topic library {name!r}; choose one of {', '.join(LIBRARIES)}"
        ) from None
    return tuple(loader())


def libraries() -> dict[str, str]:
    """Library names and titles."""
    return {name: title for name, (title, _loader) in LIBRARIES.items()}
