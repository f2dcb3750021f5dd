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


def _editions(cli: Cli, out: Path, year: int) -> dict[str, str]:
    """Both editions' HTML of ``year`` from one ``esg report --lang zh,en`` (#20): a Chinese
    edition is rendered beside the English one from the same model, so asking for each
    language alone rendered the English edition twice."""
    cli("report", "--year", str(year), "--format", "html", "--out", str(out), "--preview",
        "--lang", "zh,en")  # fmt: skip
    pages = {
        "en": out / f"esg-report-{year}.html",
        "zh": out / f"esg-report-{year}.zh.html",
    }
    assert sorted(out.glob("*.html")) == sorted(pages.values())
    return {lang: path.read_text(encoding="utf-8") for lang, path in pages.items()}


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
    # S002's low of January is history; the three tiered in 2024 were "not yet tiered" at
    # 2023's end (the previous year's column), none at 2024's
    assert rows == [("medium", 2, False), ("", 0, False), ("", 1, True)]
    assert [t["before"] for t in section["tiers"]] == [0, 3, 0]
    earlier = _section(cli, 2023)  # tiered on 2024-01-02: not yet tiered at 2023's end
    assert earlier is not None
    assert [(t["tier"], t["count"], t.get("later", False)) for t in earlier["tiers"]] == [
        ("", 3, True)
    ]


def _tier_rows(html: str) -> list[tuple[str, str]]:
    start = html.index(f'id="{SECTION_ID}-base"')
    table = re.findall(r"<table.*?</table>", html[start:], re.S)[1]  # countries, then tiers
    return re.findall(r'<tr><td>([^<]*)</td><td class="num">(\d+)</td>', table)


def test_the_tier_table_takes_each_tier_as_it_stood_at_the_years_end(
    cli: Cli, tmp_path: Path
) -> None:
    from tests.factories import write_csv
    from tests.suppliers.factories import SUPPLIER_HEADER

    cli("import", "entities", str(entities_file(tmp_path)))
    for kind, path in register_files(tmp_path).items():
        cli("suppliers", "import", kind, str(path))
    cli("suppliers", "tier", "--on", "2024-01-02")  # S001, S003 medium; S002 low
    tantalum = [["S003", "Rhein Chemicals", "DE", "", "tantalum", "85000", "EUR", "", ""]]
    cli("suppliers", "import", "suppliers",
        str(write_csv(tmp_path / "s003.csv", SUPPLIER_HEADER, tantalum)))  # fmt: skip
    cli("suppliers", "tier", "S003", "--on", "2025-02-01")  # re-tiered the following year
    cli("suppliers", "import", "suppliers", str(write_csv(
        tmp_path / "s004.csv", SUPPLIER_HEADER,
        [["S004", "Lyon Fasteners", "FR", "", "screws", "", "", "", ""]])))  # fmt: skip
    cli("suppliers", "tier", "S004", "--on", "2025-03-01")  # first tiered the following year
    counts = {
        year: [(t["tier"], t["count"], t.get("later", False)) for t in section["tiers"]]
        for year in (2024, 2025)
        if (section := _section(cli, year)) is not None
    }
    assert counts[2024] == [("low", 1, False), ("medium", 2, False), ("", 1, True)]
    assert counts[2025] == [("high", 1, False), ("low", 2, False), ("medium", 1, False),
                            ("", 0, True)]  # fmt: skip
    pages = _editions(cli, tmp_path / "report-2024", 2024)
    for lang, later in (
        ("en", "not yet tiered by the end of the year"),
        ("zh", "截至年末尚未分级"),
    ):
        rows = _tier_rows(pages[lang])
        assert [n for _, n in rows] == ["1", "2", "1"], rows
        assert rows[-1][0] == later
    # The 2025 table sets each row beside its count at 2024's end (the tier in force then,
    # not S003's later decision); the 2024 row "not yet tiered" is 0 in 2025.
    s2025 = _section(cli, 2025)
    assert s2025 is not None and s2025["previous_year"] == 2024
    assert [(t["tier"], t["count"], t["before"], t.get("later", False))
            for t in s2025["tiers"]] == [("high", 1, 0, False), ("low", 2, 1, False),
                                          ("medium", 1, 2, False), ("", 0, 1, True)]  # fmt: skip
    out = tmp_path / "report-2025"
    cli("report", "--year", "2025", "--format", "html", "--out", str(out), "--preview")
    (path,) = out.glob("*.html")
    page = path.read_text(encoding="utf-8")
    start = page.index(f'id="{SECTION_ID}-base"')
    table = re.findall(r"<table.*?</table>", page[start:], re.S)[1]
    assert '<th class="num">2025</th>' in table and '<th class="num">2024</th>' in table
    cells = [re.findall(r'<td class="num">([^<]*)</td>', row)
             for row in re.findall(r"<tr><td>.*?</tr>", table)]  # fmt: skip
    assert [(c[0], c[2]) for c in cells] == [("1", "0"), ("2", "1"), ("1", "2"), ("0", "1")]


def _grade_rows(html: str) -> list[list[str]]:
    start = html.index(f'id="{SECTION_ID}-audits"')
    table = re.findall(r"<table.*?</table>", html[start:], re.S)[1]  # the figures, then grades
    rows = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in re.findall(r"<tr>.*?</tr>", table)]
    return [row for row in rows if row]  # the header's cells are <th>


def test_the_findings_table_takes_each_state_as_it_stood_at_the_years_end(
    cli: Cli, tmp_path: Path
) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    for kind, path in register_files(tmp_path).items():
        cli("suppliers", "import", kind, str(path))
    audit = json.loads(cli("suppliers", "audit", "plan", "S001", "--on", "2024-05-01",
                           "--auditor", "A", "--json").stdout)["id"]  # fmt: skip
    finding = json.loads(cli("suppliers", "finding", "add", str(audit), "--grade", "Major",
                             "--family", "social", "--text", "Fire exits blocked",
                             "--json").stdout)["id"]  # fmt: skip
    cli("suppliers", "audit", "report", str(audit), "--done", "2024-06-02", "--report",
        "2024-06-09")  # fmt: skip
    cli("suppliers", "finding", "move", str(finding), "plan_submitted", "--root-cause", "r",
        "--corrective", "c", "--preventive", "p", "--complete-by", "2025-01-31")  # fmt: skip
    cli("suppliers", "finding", "move", str(finding), "plan_approved")
    cli("suppliers", "finding", "move", str(finding), "verified_closed", "--on", "2025-02-10")
    later = json.loads(cli("suppliers", "audit", "plan", "S002", "--on", "2025-03-01",
                           "--auditor", "A", "--json").stdout)["id"]  # fmt: skip
    cli("suppliers", "finding", "add", str(later), "--grade", "Minor", "--family", "other",
        "--text", "Energy meters not calibrated")  # fmt: skip
    cli("suppliers", "audit", "report", str(later), "--done", "2025-03-02", "--report",
        "2025-03-09")  # fmt: skip
    sections = {year: _section(cli, year) for year in (2024, 2025)}
    s2024, s2025 = sections[2024], sections[2025]
    assert s2024 is not None and s2025 is not None
    # 2024: closed only in 2025, so open at the year's end; the 2025 finding is not there.
    assert s2024["findings"] == 1
    major = next(g for g in s2024["grades"] if g["grade"] == "Major")
    assert (major["found"], major["closed"], major["pending"], major["open"]) == (1, 0, 0, 1)
    assert sum(g["found"] for g in s2024["grades"]) == 1
    assert s2024["closed_later"] == 1
    social = next(i for i in s2024["impacts"] if i["family"] == "social")
    assert (social["findings"], social["closed"]) == (1, 0)
    # 2025: the 2024 finding, open at the year's start, was closed in the year.
    assert s2025["carried"] == {"found": 1, "closed": 1, "pending": 0, "open": 0}
    assert s2025["closed_later"] == 0
    minor = next(g for g in s2025["grades"] if g["grade"] == "Minor")
    assert (minor["found"], minor["open"]) == (1, 1)
    editions = {year: _editions(cli, tmp_path / f"report-{year}", year) for year in (2024, 2025)}
    for lang, carried, note in (
        ("en", "Raised in earlier years, open at the start of the year",
         "verified after 31 December 2024"),
        ("zh", "以前年度发现、年初仍未关闭", "2024年12月31日之后"),
    ):  # fmt: skip
        pages = {year: editions[year][lang] for year in (2024, 2025)}
        rows_2024 = _grade_rows(pages[2024])
        assert rows_2024[1][1:] == ["1", "0", "0", "1"], rows_2024  # Major: open at year end
        assert all(r[0] != carried for r in rows_2024)
        assert note in pages[2024], lang
        rows_2025 = _grade_rows(pages[2025])
        assert rows_2025[-1] == [carried, "1", "1", "0", "0"], rows_2025  # closed in 2025


def _finding(cli: Cli, audit: int, grade: str, family: str, text: str) -> str:
    return str(json.loads(cli("suppliers", "finding", "add", str(audit), "--grade", grade,
                              "--family", family, "--text", text, "--json").stdout)["id"])  # fmt: skip


def _move(cli: Cli, finding: str, *steps: tuple[str, str | None]) -> None:
    plan = ["--root-cause", "r", "--corrective", "c", "--preventive", "p",
            "--complete-by", "2025-06-30"]  # fmt: skip
    for to, on in steps:
        extra = plan if to == "plan_submitted" else []
        cli("suppliers", "finding", "move", finding, to, *extra, *(["--on", on] if on else []))


def test_under_way_is_the_state_the_audit_log_dates_by_the_years_end(
    cli: Cli, tmp_path: Path
) -> None:
    """#16: a finding counts as under way as at 31 December only when its plan's step is dated
    on or before it (the day given with the step, else the day it was recorded), not because
    it is under way today."""
    cli("import", "entities", str(entities_file(tmp_path)))
    for kind, path in register_files(tmp_path).items():
        cli("suppliers", "import", kind, str(path))
    audit = json.loads(cli("suppliers", "audit", "plan", "S001", "--on", "2024-05-01",
                           "--auditor", "A", "--json").stdout)["id"]  # fmt: skip
    early = _finding(cli, audit, "Major", "social", "Fire exits blocked")
    late = _finding(cli, audit, "Major", "environmental", "Waste stored without containment")
    still = _finding(cli, audit, "Minor", "social", "Dormitory lighting not working")
    undated = _finding(cli, audit, "Minor", "other", "Energy meters not calibrated")
    cli("suppliers", "audit", "report", str(audit), "--done", "2024-06-02", "--report",
        "2024-06-09")  # fmt: skip
    # plan in 2024, closed 2025: under way at 2024's end
    _move(cli, early, ("plan_submitted", "2024-06-20"), ("plan_approved", "2024-07-01"),
          ("verified_closed", "2025-02-10"))  # fmt: skip
    # raised 2024, plan submitted 2025, closed 2025: open at 2024's end
    _move(cli, late, ("plan_submitted", "2025-01-05"), ("plan_approved", "2025-01-10"),
          ("verified_closed", "2025-03-01"))  # fmt: skip
    # plan submitted 2025, still under way today: open at 2024's end, under way at 2025's
    _move(cli, still, ("plan_submitted", "2025-01-15"), ("plan_approved", "2025-01-20"))
    # plan recorded today without its day: open at both ends, and the note counts it
    _move(cli, undated, ("plan_submitted", None))
    s2024, s2025 = _section(cli, 2024), _section(cli, 2025)
    assert s2024 is not None and s2025 is not None
    cells = {g["grade"]: (g["found"], g["closed"], g["pending"], g["open"])
             for g in s2024["grades"]}  # fmt: skip
    assert cells["Major"] == (2, 0, 1, 1)
    assert cells["Minor"] == (2, 0, 0, 2)
    impacts = {i["family"]: (i["findings"], i["closed"], i["pending"]) for i in s2024["impacts"]}
    assert impacts == {"social": (1, 0, 1), "environmental": (1, 0, 0)}
    assert (s2024["closed_later"], s2024["undated_later"]) == (2, 1)
    assert s2025["carried"] == {"found": 4, "closed": 2, "pending": 1, "open": 1}
    assert (s2025["closed_later"], s2025["undated_later"]) == (0, 1)
    pages = _editions(cli, tmp_path / "report-2024", 2024)
    for lang, words in (
        ("en", ("the day given with the step, else the day it was recorded",
                "1 finding whose plan was recorded after the year's end without its day")),
        ("zh", ("随该步骤填写的日期，未填写的取其记录日期",
                "1项发现的计划在年末之后记录且未填写日期")),
    ):  # fmt: skip
        page = pages[lang]
        rows = _grade_rows(page)
        assert rows[1][1:] == ["2", "0", "1", "1"], rows  # Major
        assert rows[2][1:] == ["2", "0", "0", "2"], rows  # Minor
        for text in words:
            assert text in page, (lang, text)
        assert "is the finding's state today" not in page
