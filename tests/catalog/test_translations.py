"""#19: every catalog entry a report edition prints has its Chinese text, and nothing else."""

from __future__ import annotations

import re

import pytest

from esgledger.catalog import translations
from esgledger.errors import InvalidInput


def test_every_catalog_entry_has_both_languages() -> None:
    assert translations.untranslated() == []


def test_no_chinese_entry_without_its_catalog_entry() -> None:
    assert translations.orphans() == []


def test_a_check_rules_chinese_fills_the_same_blanks() -> None:
    """#19: a rule's Chinese explanation and fix name the figures its English names, so each
    edition prints the same found and expected values."""
    blanks = re.compile(r"\{(\w+)\}")
    for kind in ("check_explanation", "check_fix"):
        for rule in translations.catalog_keys()[kind]:
            en, zh = (translations.text(kind, rule, lang) for lang in ("en", "zh"))
            assert sorted(blanks.findall(zh)) == sorted(blanks.findall(en)), (kind, rule)


def test_every_kind_is_covered() -> None:
    keys = translations.catalog_keys()
    assert set(keys) == set(translations.KINDS)
    assert all(keys[kind] for kind in translations.KINDS)


@pytest.mark.parametrize(
    ("kind", "key", "en", "zh"),
    [
        ("metric", "ghg.scope1", "Scope 1 (direct) emissions", "范围一（直接）排放"),
        ("unit", "ton of coal equivalent (tce)", "ton of coal equivalent (tce)", "吨标准煤"),
        ("member", "above_50", "above_50", "50岁以上"),
        (
            "framework",
            "szse-17",
            None,
            "深圳证券交易所上市公司自律监管指引第17号——可持续发展报告（试行）",
        ),
        (
            "disclosure",
            "szse-17:response to climate change",
            "Response to climate change",
            "应对气候变化",
        ),
        (
            "check_explanation",
            "part.women_le_board",
            "There are more women on the board ({found}) than board members ({expected}).",
            "女性董事人数（{found}）多于董事会成员人数（{expected}）。",
        ),
        (
            "check_fix",
            "part.complaints_sla_le_closed",
            "Check the complaint log.",
            "请核对投诉记录。",
        ),
        (
            "disclosure",
            "gri-2021:305-1",
            "Direct (Scope 1) GHG emissions",
            "直接（范围1）温室气体排放",
        ),
    ],
)
def test_lookups_in_both_languages(kind: str, key: str, en: str | None, zh: str) -> None:
    assert translations.text(kind, key, "zh") == zh
    english = translations.text(kind, key, "en")
    assert english and (en is None or english == en)


def test_a_gap_is_refused_never_filled_with_english() -> None:
    with pytest.raises(InvalidInput, match="no Chinese text"):
        translations.text("metric", "no.such.metric", "zh")
    with pytest.raises(InvalidInput, match="no metric"):
        translations.text("metric", "no.such.metric", "en")
    with pytest.raises(InvalidInput, match="unknown language"):
        translations.text("metric", "ghg.scope1", "fr")
