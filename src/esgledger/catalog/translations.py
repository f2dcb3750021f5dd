"""The catalog in both languages of a report edition: English and Chinese (#19).

English is the catalog itself. Chinese is data beside it: ``catalog/data/i18n/*.zh.csv`` for
metric names and definitions, published units, activity types, breakdown dimensions and their
members, materiality topics, report sections and the check rules' explanations and fixes; the
framework files carry their own ``title_zh`` / ``name_zh`` columns (SZSE No. 17 in its Chinese
original). A lookup never falls back silently: a missing Chinese entry is a gap that
:func:`untranslated` lists and a test keeps empty.
"""

from __future__ import annotations

from functools import cache

from esgledger.catalog import activity_type, activity_types, dimensions, frameworks, outline, topics
from esgledger.catalog import metric as catalog_metric
from esgledger.catalog import metrics as catalog_metrics
from esgledger.catalog._files import read_rows
from esgledger.catalog.checks import check_rules
from esgledger.catalog.climate import tcfd_categories
from esgledger.catalog.risks import default_risk_dictionary
from esgledger.errors import InvalidInput, NotFound

LANGS = ("en", "zh")
KINDS = (
    "metric",
    "definition",
    "unit",
    "activity",
    "dimension",
    "member",
    "topic",
    "section",
    "framework",
    "group",
    "disclosure",
    "risk_category",
    "climate_category",
    "check_explanation",
    "check_fix",
    "metric_unit",
)


@cache
def _zh() -> dict[str, dict[str, str]]:
    """Chinese text by kind and key, read once."""
    table: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
    for row in read_rows("i18n/metrics.zh.csv"):
        table["metric"][row["id"]] = row["name"]
        table["definition"][row["id"]] = row["definition"]
    for row in read_rows("i18n/units.zh.csv"):
        table["unit"][row["unit"]] = row["zh"]
    for metric_id, metric in catalog_metrics().items():
        # A metric's unit as a check prints it ("t"): in Chinese, its published unit's words.
        if metric.published_unit in table["unit"]:
            table["metric_unit"][metric_id] = table["unit"][metric.published_unit]
    for row in read_rows("i18n/activity_types.zh.csv"):
        table["activity"][row["id"]] = row["name"]
    for row in read_rows("i18n/dimensions.zh.csv"):
        table[row["kind"]][row["key"]] = row["zh"]
    for row in read_rows("i18n/topics.zh.csv"):
        table["topic"][row["code"]] = row["name"]
    for row in read_rows("i18n/risk_dictionary.zh.csv"):
        table["risk_category"][row["code"]] = row["name"]
    for row in read_rows("i18n/tcfd_categories.zh.csv"):
        table["climate_category"][row["code"]] = row["name"]
    for row in read_rows("i18n/checks.zh.csv"):
        table["check_explanation"][row["id"]] = row["explanation"]
        table["check_fix"][row["id"]] = row["fix"]
    for row in read_rows("i18n/report_sections.zh.csv"):
        table["section"][row["id"]] = row["title"]
    for fid, fw in frameworks.frameworks().items():
        if fw.name_zh:
            table["framework"][fid] = fw.name_zh
        for code, group in frameworks.groups(fid).items():
            if group.title_zh:
                table["group"][f"{fid}:{code}"] = group.title_zh
        for code, item in frameworks.disclosures(fid).items():
            if item.title_zh:
                table["disclosure"][f"{fid}:{code}"] = item.title_zh
    return table


def _english(kind: str, key: str) -> str | None:
    """The catalog's own (English) text, or None for a key the catalog does not have."""
    try:
        if kind == "metric":
            return catalog_metric(key).name
        if kind == "definition":
            return catalog_metric(key).definition
        if kind == "metric_unit":
            return catalog_metric(key).unit
        if kind == "activity":
            return activity_type(key).name
        if kind == "section":
            return outline.section(key).title
        if kind == "framework":
            return frameworks.framework(key).name
        if kind in ("group", "disclosure"):
            fid, code = key.split(":", 1)
            table = frameworks.groups(fid) if kind == "group" else frameworks.disclosures(fid)
            return table[code].title if code in table else None
    except (NotFound, ValueError):  # not in the catalog (or a key without "framework:")
        return None
    if kind == "dimension":
        dim = dimensions().get(key)
        return dim.name if dim else None
    if kind == "risk_category":
        found = default_risk_dictionary().get(key)
        return found.name if found else None
    if kind == "climate_category":
        category = tcfd_categories().get(key)
        return category.name if category else None
    if kind in ("check_explanation", "check_fix"):
        rule = check_rules().get(key)
        if rule is None:
            return None
        return rule.explanation if kind == "check_explanation" else rule.fix
    if kind == "topic":
        named = {t.code: t.name for t in topics.topic_library("szse2024")}
        return named.get(key)
    # Units and breakdown members are their own English text.
    return key


def text(kind: str, key: str, lang: str) -> str:
    """The text of one catalog entry in ``lang``; refuses a key or language it cannot serve."""
    if lang not in LANGS:
        raise InvalidInput(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    if kind not in KINDS:
        raise InvalidInput(f"unknown catalog kind {kind!r}")
    if lang == "zh":
        found = _zh()[kind].get(key)
        if found is None:
            raise InvalidInput(f"no Chinese text for {kind} {key!r} (catalog/data/i18n)")
        return found
    english = _english(kind, key)
    if english is None:
        raise InvalidInput(f"no {kind} {key!r} in the catalog")
    return english


def has_text(kind: str, key: str, lang: str) -> bool:
    """Whether the catalog has ``kind`` ``key`` in ``lang`` (a user's own code has none)."""
    return (
        lang in LANGS
        and kind in KINDS
        and (_english(kind, key) is not None if lang == "en" else key in _zh()[kind])
    )


def catalog_keys() -> dict[str, list[str]]:
    """Every entry of the catalog that a report edition prints, by kind."""
    metric_table = catalog_metrics()
    keys: dict[str, list[str]] = {
        "metric": list(metric_table),
        "definition": list(metric_table),
        "unit": sorted({m.published_unit for m in metric_table.values()}),
        "activity": list(activity_types()),
        "dimension": list(dimensions()),
        "member": sorted({m for d in dimensions().values() for m in d.members}),
        "topic": [t.code for t in topics.topic_library("szse2024")],
        "section": list(outline.report_sections()),
        "framework": list(frameworks.FRAMEWORK_IDS),
        "group": [f"{f}:{c}" for f in frameworks.FRAMEWORK_IDS for c in frameworks.groups(f)],
        "disclosure": [f"gri-2021:{code}" for code in frameworks.disclosures("gri-2021")]
        + [f"szse-17:{code}" for code in frameworks.disclosures("szse-17")],
        "risk_category": list(default_risk_dictionary()),
        "climate_category": list(tcfd_categories()),
        "check_explanation": list(check_rules()),
        "check_fix": list(check_rules()),
        "metric_unit": list(metric_table),
    }
    return keys


def untranslated() -> list[tuple[str, str]]:
    """Catalog entries without a Chinese text: each is a gap in the Chinese edition."""
    zh = _zh()
    return [
        (kind, key)
        for kind, keys in catalog_keys().items()
        for key in keys
        if not zh[kind].get(key)
    ]


def orphans() -> list[tuple[str, str]]:
    """Chinese entries whose key the catalog no longer has (a renamed id, a typo)."""
    known = {kind: set(keys) for kind, keys in catalog_keys().items()}
    return [(kind, key) for kind, table in _zh().items() for key in table if key not in known[kind]]
