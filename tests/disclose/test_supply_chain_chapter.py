"""#16 the report's supply-chain chapter, counted from the supplier register: it claims only
the disclosures whose figures it prints, says "not available" with the reason, and both
editions print it with the index rows pointing at it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from esgledger.disclose.supply_chain_section import (
    SECTION_ID,
    supply_chain_section,
    translated_section,
)
from tests.conftest import Cli, DemoBuild
from tests.factories import entities_file
from tests.suppliers.factories import register_files


def _section(cli: Cli, year: int) -> dict | None:
    with cli.db.read() as session:
        return supply_chain_section(session, year)


def test_the_chapter_claims_only_what_the_register_can_count(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    assert _section(cli, 2024) is None  # no supplier: no chapter, no claim
    for kind, path in register_files(tmp_path).items():
        cli("suppliers", "import", kind, str(path))
    cli("suppliers", "screen", "S001", "--on", "2024-03-01")
    section = _section(cli, 2024)
    assert section is not None and section["suppliers"] == 3
    assert section["answers"].split(";") == ["gri-2021:308-1", "gri-2021:414-1",
                                             "szse-17:supply chain security",
                                             "szse-17:supply chain security/metrics-targets"]  # fmt: skip
    assert section["audited"] == 0  # no audit: 308-2 and 414-2 are not claimed
    audits = {f["metric"]: f for f in section["audit_figures"]}
    assert not audits["supply_chain.onsite_inspections"]["available"]
    assert audits["supply_chain.onsite_inspections"]["note"].startswith("not available")
    cmrt = {f["metric"]: f for f in section["responses"]}
    assert cmrt["supply_chain.conflict_minerals.cmrt_response_rate"]["note"].startswith(
        "not available"
    )
    assert {c["country"]: c["count"] for c in section["countries"]} == {"CN": 1, "VN": 1, "DE": 1}
    assert {c["name"] for c in section["countries"]} == {"China", "Viet Nam", "Germany"}
    chinese = translated_section(section, "zh")
    assert chinese is not None
    assert {c["name"] for c in chinese["countries"]} == {"中国", "越南", "德国"}

    audit = json.loads(cli("suppliers", "audit", "plan", "S001", "--on", "2024-05-01",
                           "--auditor", "A", "--json").stdout)["id"]  # fmt: skip
    cli("suppliers", "finding", "add", str(audit), "--grade", "Major", "--family", "social",
        "--text", "Fire exits blocked")  # fmt: skip
    cli("suppliers", "audit", "report", str(audit), "--done", "2024-06-02", "--report",
        "2024-06-09")  # fmt: skip
    section = _section(cli, 2024)
    assert section is not None
    assert "gri-2021:308-2" in section["answers"] and "gri-2021:414-2" in section["answers"]
    assert section["audited"] == 1
    major = next(g for g in section["grades"] if g["grade"] == "Major")
    assert (major["found"], major["closed"], major["open"]) == (1, 0, 1)
    social = next(i for i in section["impacts"] if i["family"] == "social")
    assert (social["suppliers"], social["findings"]) == (1, 1)
    # The Chinese edition: names from the catalog, the providers' notes in Chinese too.
    chinese = translated_section(section, "zh")
    assert chinese is not None
    rows = chinese["screening"] + chinese["audit_figures"] + chinese["responses"]
    assert all(not re.search(r"[A-Za-z]{3,}", f["note"].replace("CMRT", "")) for f in rows), [
        f["note"] for f in rows
    ]


def _heading(html: str) -> str:
    found = re.search(rf'<h2 id="{SECTION_ID}"[^>]*>.*?</h2>', html)
    assert found, "no supply-chain chapter"
    return found.group(0)


def test_both_editions_print_the_chapter_and_the_indices_point_at_it(
    demo_build: DemoBuild,
) -> None:
    report = demo_build.out / "report"
    english = (report / "esg-report-2025.html").read_text(encoding="utf-8")
    chinese = (report / "esg-report-2025.zh.html").read_text(encoding="utf-8")
    heading = _heading(english)
    for code in ("308-1", "308-2", "414-1", "414-2"):
        assert f"gri-2021:{code}" in heading
        row = re.search(rf'<tr data-code="{code}">.*?</tr>', english, re.S)
        assert row and f'href="#{SECTION_ID}"' in row.group(0), code
    assert "szse-17:supply chain security/metrics-targets" in heading
    topic = re.search(r'<tr data-code="supply chain security">.*?</tr>', english, re.S)
    assert topic and f'href="#{SECTION_ID}"' in topic.group(0)
    assert "供应链：来自供应商登记册的数据" in _heading(chinese)
    assert "counted from" in english and "条登记记录统计" in chinese
    assert "of 124 new suppliers" not in chinese and "新供应商" in chinese
    # The supplier base by country: names in each edition's language, never ISO codes.
    base = re.search(rf'<h3 id="{SECTION_ID}-base">.*?</table>', english, re.S)
    base_zh = re.search(rf'<h3 id="{SECTION_ID}-base">.*?</table>', chinese, re.S)
    assert base and base_zh
    assert "<td>China</td>" in base.group(0) and "<td>中国</td>" in base_zh.group(0)
    assert not re.search(r"<td>[A-Z]{2}</td>", base.group(0) + base_zh.group(0))


def test_the_tier_table_counts_an_ended_supplier_apart(cli: Cli, tmp_path: Path) -> None:
    from tests.factories import write_csv

    cli("import", "entities", str(entities_file(tmp_path)))
    for kind, path in register_files(tmp_path).items():
        cli("suppliers", "import", kind, str(path))
    cli("suppliers", "tier", "--on", "2024-01-02")  # S001, S003 medium; S002 low
    ended = write_csv(tmp_path / "ended.csv", ["id", "name", "country", "ended_on"],
                      [["S002", "Hanoi Cable Works", "VN", "2024-06-30"]])  # fmt: skip
    cli("suppliers", "import", "suppliers", str(ended))
    section = _section(cli, 2024)
    assert section is not None
    rows = [(t["tier"], t["count"], t.get("ended", False)) for t in section["tiers"]]
    assert rows == [("medium", 2, False), ("", 1, True)]  # S002's low of January is history
    earlier = _section(cli, 2023)
    assert earlier is not None and [(t["tier"], t["count"]) for t in earlier["tiers"]] == [
        ("low", 1),
        ("medium", 2),
    ]
