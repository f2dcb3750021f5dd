"""The shipped declarative rules load, cite their source, and a malformed rule is refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from esgledger.catalog.checks import TYPES, CheckRule, _validate, check_rules
from esgledger.catalog.metrics import metrics
from esgledger.errors import EsgError


def test_every_shipped_rule_is_well_formed() -> None:
    rules = check_rules()
    assert {r.type for r in rules.values()} == set(TYPES)
    for rule in rules.values():
        assert rule.spec.startswith("SYSTEM.md"), rule.id
        assert rule.explanation.strip().endswith("."), rule.id
        assert rule.fix.strip(), rule.id
        assert {rule.whole, *rule.inputs} <= set(metrics()), rule.id
    assert rules["identity.indirect_energy"].factor.endswith(
        "electricity.purchased:coef:equivalent_value"
    )
    assert rules["part.nh3n_le_tn"].parts == ("wastewater.nh3_n",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "product"}, "type 'product'"),
        ({"severity": "fatal"}, "severity 'fatal'"),
        ({"parts": ("no.such_metric",)}, "unknown metric 'no.such_metric'"),
        ({"id": "part.wrong_prefix"}, "must start with sum."),
        ({"parts": ()}, "give the parts"),
    ],
)
def test_a_malformed_rule_is_refused(change: dict[str, object], message: str) -> None:
    rule: CheckRule = check_rules()["sum.wastewater_volumes"]
    with pytest.raises(EsgError, match=message):
        _validate(replace(rule, **change))


def test_a_standard_factor_needs_its_id() -> None:
    rule = check_rules()["identity.indirect_energy"]
    with pytest.raises(EsgError, match="needs a factor id"):
        _validate(replace(rule, factor=""))
    with pytest.raises(EsgError, match="unknown factor"):
        _validate(replace(rule, factor="gbt2589-2020:nothing"))
