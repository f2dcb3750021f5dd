"""The shipped framework catalogs: integrity, obligations as columns, and the mappings."""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources

import pytest

from esgledger.catalog import frameworks as fw
from esgledger.catalog.metrics import metrics
from esgledger.catalog.outline import COLUMNS, report_sections
from esgledger.errors import NotFound

DATA = resources.files("esgledger.catalog").joinpath("data", "frameworks")

# shared/spec/README.md, "SZSE No.17 topics"
SZSE_TOPICS = {
    "E": [
        "response to climate change", "pollutant emissions", "waste disposal",
        "ecosystem & biodiversity protection", "environmental compliance management",
        "energy utilization", "water resource utilization", "circular economy",
    ],
    "S": [
        "rural revitalization", "social contribution", "innovation-driven",
        "science & technology ethics", "supply chain security", "equal treatment of SMEs",
        "product & service safety and quality", "data security & customer privacy protection",
        "employees",
    ],
    "G": [
        "due diligence", "stakeholder communication",
        "anti-commercial bribery & anti-corruption", "anti-unfair competition",
    ],
}  # fmt: skip

# Every disclosure number printed in shared/spec/gri-2016-index-example.csv
SPEC_2016_CODES = (
    [f"102-{i}" for i in (*range(1, 15), 16, 18, 40, 42, 43, 44, *range(45, 57))]
    + ["103-1", "103-2", "103-3", "201-1", "205-2", "205-3", "206-1", "301-1", "302-1"]
    + ["302-3", "302-4", "302-5", "303-1", "305-1", "305-2", "305-4", "306-2", "306-4", "308-1"]
    + ["401-1", "401-2", "403-2", "404-1", "404-2", "405-1", "416-1", "417-1", "417-3", "418-1"]
)


def raw_rows(name: str) -> list[dict[str, str]]:
    with DATA.joinpath(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("fid", fw.FRAMEWORK_IDS)
def test_each_framework_is_cited_and_well_formed(fid: str) -> None:
    source = fw.framework(fid)
    assert source.publisher and source.edition and source.published and source.citation
    rows = raw_rows(source.file)
    codes = Counter(r["code"] for r in rows)
    assert not [c for c, n in codes.items() if n > 1], f"{fid}: duplicate codes"
    assert len(fw.disclosures(fid)) == len(rows) > 0
    known_groups = fw.groups(fid)
    for d in fw.disclosures(fid).values():
        assert d.title.strip(), (fid, d.code)
        assert d.required in fw.REQUIRED, (fid, d.code, d.required)
        assert d.omission in fw.OMISSION, (fid, d.code, d.omission)
        assert d.status in fw.STATUSES, (fid, d.code, d.status)
        assert d.group in known_groups, (fid, d.code, d.group)
        assert not d.parent or d.parent in fw.disclosures(fid), (fid, d.code, d.parent)


def test_gri_2021_general_and_material_topic_disclosures() -> None:
    gri = fw.disclosures("gri-2021")
    general = [c for c, d in gri.items() if d.group == "GRI 2"]
    assert general == [f"2-{i}" for i in range(1, 31)]
    assert [c for c, d in gri.items() if d.group == "GRI 3"] == ["3-1", "3-2", "3-3"]
    assert all(gri[c].required == "always" for c in general)
    # GRI 1 Requirement 6: no reasons for omission for 2-1 to 2-5
    assert [c for c in general if not gri[c].omission_permitted] == [f"2-{i}" for i in range(1, 6)]
    assert gri["3-3"].required == "if-material"
    topic = [d for d in gri.values() if d.group not in ("GRI 2", "GRI 3")]
    assert all(d.required == "if-material" for d in topic)
    assert gri["2-27"].title == "Compliance with laws and regulations"
    assert gri["303-3"].title == "Water withdrawal" and gri["306-3"].title == "Waste generated"
    assert fw.groups("gri-2021")["GRI 303"].title == "GRI 303: Water and Effluents 2018"
    assert fw.groups("gri-2021")["GRI 207"].title == "GRI 207: Tax 2019"
    assert not any(c.startswith(("307-", "419-")) for c in gri), "withdrawn standards"


def test_gri_1_requirements_and_reasons_for_omission() -> None:
    requirements = [i for i in fw.gri1() if i.kind == "requirement"]
    assert [i.code for i in requirements] == [str(n) for n in range(1, 10)]
    assert fw.omission_reasons() == (
        "not applicable",
        "legal prohibitions",
        "confidentiality constraints",
        "information unavailable/incomplete",
    )


def test_gri_2016_has_the_102_103_series_and_the_spec_index_codes() -> None:
    old = fw.disclosures("gri-2016")
    assert [c for c in old if c.startswith("102-")] == [f"102-{i}" for i in range(1, 57)]
    assert [c for c in old if c.startswith("103-")] == ["103-1", "103-2", "103-3"]
    missing = [c for c in SPEC_2016_CODES if c not in old]
    assert not missing, missing
    assert old["303-1"].title == "Water withdrawal by source"
    core = {c for c, d in old.items() if d.required == "core"}
    assert {"102-1", "102-14", "102-16", "102-18", "102-40", "102-56"} <= core
    assert "102-15" not in core and "102-38" not in core


def test_mapping_2016_to_2021_covers_the_spec_pairs() -> None:
    pairs = {(m.source, m.target) for m in fw.mapping_2016_to_2021()}
    expected = [
        ("103-1", "3-3"), ("103-2", "3-3"), ("103-3", "3-3"),
        ("303-1", "303-3"), ("303-1", "303-4"), ("303-1", "303-5"),
        ("306-2", "306-3"), ("306-2", "306-4"), ("306-2", "306-5"),
        ("403-2", "403-9"), ("403-2", "403-10"),
        ("307-1", "2-27"), ("419-1", "2-27"),
    ]  # fmt: skip
    assert not [p for p in expected if p not in pairs]
    new, old = fw.disclosures("gri-2021"), fw.disclosures("gri-2016")
    for m in fw.mapping_2016_to_2021():
        assert m.source in old, m
        assert not m.target or m.target in new, m
    # every 102 disclosure is mapped to GRI 2 / GRI 3, or says why not
    for code in (c for c in old if c.startswith("102-")):
        rows = [m for m in fw.mapping_2016_to_2021() if m.source == code]
        assert rows, code
        assert all(m.target.startswith(("2-", "3-")) or m.relation == "none" for m in rows), code
    # renumbered disclosures never map to their namesake
    for code in ("303-1", "306-2", "306-4", "403-2"):
        assert (code, code) not in pairs
    assert fw.map_2016("305-1") == ("305-1",)
    assert fw.map_2016("403-2") == ("403-9", "403-10")


def test_szse_17_has_the_21_topics_grouped_e_s_g() -> None:
    topics = fw.disclosures("szse-17")
    assert len(topics) == 21
    for pillar, names in SZSE_TOPICS.items():
        assert [c for c, d in topics.items() if d.group == pillar] == names
    assert all(d.title_zh for d in topics.values())
    assert fw.disclosure("szse-17", "supply-chain-security").code == "supply chain security"


def test_ifrs_s2_tcfd_and_esrs_e1() -> None:
    s2, tcfd = fw.disclosures("ifrs-s2"), fw.disclosures("tcfd")
    assert len(tcfd) == 11
    assert Counter(d.group for d in tcfd.values()) == {
        "Governance": 2,
        "Strategy": 3,
        "Risk Management": 3,
        "Metrics and Targets": 3,
    }
    links = fw.s2_to_tcfd()
    assert all(m.source in s2 and m.target in tcfd for m in links)
    assert {m.target for m in links} == set(tcfd), "every TCFD disclosure has an S2 counterpart"
    assert {g.code: g.notes for g in fw.groups("ifrs-s2").values()} == {
        "governance": "Paragraphs 5-7",
        "strategy": "Paragraphs 8-23",
        "risk-management": "Paragraphs 24-26",
        "metrics-and-targets": "Paragraphs 27-37",
    }
    e1 = fw.disclosures("esrs-e1")
    drs = [c for c, d in e1.items() if d.kind == "disclosure-requirement"]
    assert {f"E1-{i}" for i in range(1, 10)} | {"GOV-3", "SBM-3", "IRO-1"} == set(drs)
    assert e1["E1-6"].paragraphs == "44-55" and e1["E1-8"].paragraphs == "62-63"
    assert e1["E1-6 49(b)"].parent == "E1-6" and "market-based" in e1["E1-6 49(b)"].title


def test_every_metric_reference_is_in_a_catalog() -> None:
    """Failures name metrics.csv rows (owned by the metric catalog, not fixed here)."""
    assert fw.metric_reference_problems() == []
    for link in fw.metric_links():
        assert link.metric in metrics(), link
        assert link.code in fw.disclosures(link.framework), link


def test_report_outline_answers_real_disclosures() -> None:
    sections = report_sections()
    anchors = [s.anchor for s in sections.values()]
    assert len(set(anchors)) == len(anchors)
    assert len({s.order for s in sections.values()}) == len(sections)
    assert {"kpi-appendix", "content-index", "verification"} <= {s.kind for s in sections.values()}
    for s in sections.values():
        assert not s.parent or s.parent in sections, s.id
        for fid in COLUMNS:
            unknown = [c for c in s.codes(fid) if c not in fw.disclosures(fid)]
            assert not unknown, (s.id, fid, unknown)
    # from disclosure-index-example.csv: the climate chapter answers 305-1 and its SZSE topic
    climate = sections["climate-change"]
    assert "305-1" in climate.codes("gri-2021")
    assert "response to climate change" in climate.codes("szse-17")


def test_unknown_names_say_what_to_do() -> None:
    with pytest.raises(NotFound, match="use one of: gri-2021"):
        fw.framework("gri-2030")
    with pytest.raises(NotFound, match="esg frameworks show gri-2021"):
        fw.disclosure("gri-2021", "2-99")
