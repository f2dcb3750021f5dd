"""#20: the report's print stylesheet asks WeasyPrint for no layout work the page does not show.

A contents list given ``columns: 1`` is a multi-column box of one column: WeasyPrint lays its
content out again and again to balance the column, on every pass over the contents page
(three in the demo's report), for the same single column a plain list prints.
"""

from __future__ import annotations

from importlib import resources

import tinycss2


def _print_declarations(selector: str) -> dict[str, str]:
    """The declarations the stylesheet's ``@media print`` rules give ``selector``, the last
    one of a property winning as in the cascade."""
    css = resources.files("esgledger.disclose").joinpath("templates", "report.css").read_text()
    found: dict[str, str] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "at-rule" or rule.lower_at_keyword != "media":
            continue
        if tinycss2.serialize(rule.prelude).strip() != "print" or rule.content is None:
            continue
        for inner in tinycss2.parse_rule_list(rule.content, True, True):
            if inner.type != "qualified-rule":
                continue
            if tinycss2.serialize(inner.prelude).strip() != selector:
                continue
            for item in tinycss2.parse_declaration_list(inner.content, True, True):
                if item.type == "declaration":
                    found[item.lower_name] = tinycss2.serialize(item.value).strip()
    return found


def test_the_printed_contents_list_is_no_multi_column_box() -> None:
    printed = _print_declarations(".toc ol")
    assert printed, "the print rules style the contents list"
    for name in ("columns", "column-count"):
        assert printed.get(name, "auto") == "auto", (name, printed[name])
