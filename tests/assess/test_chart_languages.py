"""#19: the materiality matrix and the risk heat map in the edition's language — titles, axes,
tier marks and legends from the catalog, only the ledger's own data (an assessment's name, a
risk's code, a topic's entered name) as stored."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from esgledger.assess.charts import materiality_chart, risk_heatmap
from tests.web.test_languages import english_left

SVG = "{http://www.w3.org/2000/svg}"
LATIN = re.compile(r"[A-Za-z]{2,}")
NAMES = re.compile(r"DMA|ESRS")  # the assessment's own name; the standard's name


def _texts(path: Path) -> list[str]:
    """Every text element's words in the SVG (the charts keep text as text)."""
    root = ElementTree.parse(path).getroot()
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


def _shown(mode: str, rule: str) -> dict[str, Any]:
    axes = ["impact", "financial"] if mode == "double" else ["stakeholder", "business"]
    topic = {"domain": "Environment", "material": True, "name": "应对气候变化"}
    return {
        "assessment": {
            "name": "DMA 2025",
            "axes": axes,
            "mode": mode,
            "rule": rule,
            "low_threshold": 0.4,
            "high_threshold": 0.7,
        },
        "topics": [
            {**topic, f"{axes[0]}_score": 0.8, f"{axes[1]}_score": 0.9},
            {**topic, "domain": "Integrity", "material": False, "name": "商业道德"}
            | {f"{axes[0]}_score": 0.2, f"{axes[1]}_score": 0.3},
        ],
    }


@pytest.mark.parametrize(("mode", "rule"), [("double", "double"), ("double", "esrs"),
                                            ("single", "tiers")])  # fmt: skip
def test_the_chinese_matrix_has_no_english_but_the_ledgers_own_words(
    tmp_path: Path, mode: str, rule: str
) -> None:
    path = materiality_chart(_shown(mode, rule), tmp_path / "m.svg", lang="zh")
    texts = _texts(path)
    assert english_left(path.read_text(encoding="utf-8")) == []
    latin = [t for t in texts if LATIN.search(NAMES.sub("", t))]
    assert latin == [], latin
    assert any("环境" in t for t in texts)  # the domain's name in the legend
    english = materiality_chart(_shown(mode, rule), tmp_path / "e.svg")
    assert any("materiality" in t or "Significance" in t for t in _texts(english))


@pytest.mark.parametrize("rule", ["max", "mean"])
def test_the_chinese_heat_map_has_no_english_but_the_risk_codes(tmp_path: Path, rule: str) -> None:
    risks = [{"likelihood": 4, "impact": 5, "code": "R01"}, {"likelihood": 1, "impact": 2,
                                                             "code": "R02"}]  # fmt: skip
    levels = ["low", "medium", "high"]
    path = risk_heatmap(
        risks,
        lambda li, im: levels[min(2, li * im // 9)],
        tmp_path / "h.svg",
        impact_rule=rule,
        lang="zh",
    )
    texts = _texts(path)
    assert english_left(path.read_text(encoding="utf-8")) == []
    latin = [t for t in texts if LATIN.search(re.sub(r"R0\d", "", t))]
    assert latin == [], latin
    assert "高" in texts and "可能性" in " ".join(texts)
