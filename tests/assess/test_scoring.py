"""The materiality maths, pinned on cases computed by hand (no database)."""

from __future__ import annotations

import pytest

from esgledger.assess.scoring import (
    HIGH,
    LESS,
    MODERATE,
    Rating,
    ScoringRule,
    financial_score,
    impact_score,
    level,
    score_topics,
    tier,
)
from esgledger.errors import InvalidInput

# Three topics, two external groups on the impact axis (g1: two respondents, g2: one) and two
# executives on the financial axis.
IMPACT = {"r1": ("g1", (5, 3, 1)), "r2": ("g1", (3, 3, 2)), "r3": ("g2", (4, 1, 1))}
FINANCIAL = {"e1": ("ex", (2, 5, 4)), "e2": ("ex", (2, 4, 3))}
TOPICS = ("A", "B", "C")


def ratings() -> list[Rating]:
    out = []
    for axis, table in (("impact", IMPACT), ("financial", FINANCIAL)):
        for person, (group, scores) in table.items():
            out += [Rating(person, group, t, axis, s) for t, s in zip(TOPICS, scores, strict=True)]
    return out


def scored(rule: ScoringRule = ScoringRule(), weights: dict[str, float] | None = None) -> dict:
    return {r.topic: r for r in score_topics(ratings(), TOPICS, weights or {}, rule)}


def test_impact_score_combines_the_criteria_as_documented() -> None:
    # negative potential: severity = mean(5, 4, 3) = 4; × likelihood 2 / 5 = 1.6
    assert impact_score(
        valence="negative",
        actuality="potential",
        scale=5,
        scope=4,
        irremediability=3,
        likelihood=2,
    ) == pytest.approx(1.6)
    # positive actual: severity = mean(4, 2) = 3, certain
    assert impact_score(valence="positive", actuality="actual", scale=4, scope=2) == 3
    # negative actual: mean(2, 3, 4) = 3
    assert (
        impact_score(valence="negative", actuality="actual", scale=2, scope=3, irremediability=4)
        == 3
    )
    assert impact_score(
        valence="positive", actuality="potential", scale=5, scope=5, likelihood=1
    ) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {
            "valence": "negative",
            "actuality": "actual",
            "scale": 6,
            "scope": 3,
            "irremediability": 3,
        },
        {"valence": "negative", "actuality": "actual", "scale": 3, "scope": 3},
        {
            "valence": "positive",
            "actuality": "actual",
            "scale": 3,
            "scope": 3,
            "irremediability": 2,
        },
        {"valence": "positive", "actuality": "actual", "scale": 3, "scope": 3, "likelihood": 4},
        {"valence": "positive", "actuality": "potential", "scale": 3, "scope": 3},
        {"valence": "neutral", "actuality": "actual", "scale": 3, "scope": 3},
    ],
)
def test_impact_score_refuses_inconsistent_criteria(kwargs: dict) -> None:
    with pytest.raises(InvalidInput):
        impact_score(**kwargs)


def test_financial_score_is_the_worst_horizon() -> None:
    assert financial_score({"short": (2, 3), "long": (4, 5)}) == pytest.approx(4.0)  # 20 / 5
    assert financial_score({"medium": (1, 1)}) == pytest.approx(0.2)
    with pytest.raises(InvalidInput):
        financial_score({})
    with pytest.raises(InvalidInput):
        financial_score({"short": (0, 3)})
    with pytest.raises(InvalidInput):
        financial_score({"decade": (3, 3)})


def test_hand_computed_three_topics_two_groups() -> None:
    out = scored()
    # impact means: A (5+3+4)/3 = 4, B (3+3+1)/3 = 7/3, C (1+2+1)/3 = 4/3; span 8/3
    assert out["A"].axes["impact"].mean == pytest.approx(4)
    assert out["B"].axes["impact"].mean == pytest.approx(7 / 3)
    assert out["C"].axes["impact"].mean == pytest.approx(4 / 3)
    assert [out[t].axes["impact"].norm for t in TOPICS] == pytest.approx([1, 0.375, 0])
    # financial means: A 2, B 4.5, C 3.5; span 2.5
    assert [out[t].axes["financial"].norm for t in TOPICS] == pytest.approx([0, 1, 0.6])
    assert [out[t].axes["impact"].level for t in TOPICS] == [HIGH, MODERATE, LESS]
    assert [out[t].axes["financial"].level for t in TOPICS] == [LESS, HIGH, MODERATE]
    assert [out[t].axes["impact"].n for t in TOPICS] == [3, 3, 3]
    # legacy tiers: mean of the two norms: A 0.5, B 0.6875, C 0.3
    assert [out[t].tier for t in TOPICS] == ["moderate", "high", "low"]
    # spread: weighted population std of A's impact scores 5, 3, 4 around 4
    assert out["A"].axes["impact"].std == pytest.approx((2 / 3) ** 0.5)


def test_double_rule_needs_both_axes_esrs_either() -> None:
    double = scored(ScoringRule(rule="double"))
    esrs = scored(ScoringRule(rule="esrs"))
    assert [double[t].material for t in TOPICS] == [False, False, False]
    assert [esrs[t].material for t in TOPICS] == [True, True, False]
    assert esrs["A"].material_on == ["impact"] and esrs["B"].material_on == ["financial"]


def test_threshold_edges_exactly_one_third_and_two_thirds() -> None:
    # impact means 1, 2, 3, 4 → norms 0, 1/3, 2/3, 1 exactly
    topics = ("t1", "t2", "t3", "t4")
    rows = [Rating("p", "g", t, "impact", s) for t, s in zip(topics, (1, 2, 3, 4), strict=True)]
    rows += [
        Rating("e", "ex", t, "financial", s) for t, s in zip(topics, (4, 3, 2, 1), strict=True)
    ]
    out = {r.topic: r for r in score_topics(rows, topics, {})}
    assert [out[t].axes["impact"].norm for t in topics] == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert [out[t].axes["impact"].level for t in topics] == [LESS, MODERATE, HIGH, HIGH]
    assert [out[t].axes["financial"].level for t in topics] == [HIGH, HIGH, MODERATE, LESS]
    assert level(1 / 3) == MODERATE and level(2 / 3) == HIGH
    assert level(2 / 3 - 1e-12) == HIGH, "float noise at the threshold counts as reaching it"
    assert level(2 / 3 - 1e-6) == MODERATE and level(1 / 3 - 1e-6) == LESS
    assert tier([1 / 3, 1 / 3]) == "moderate" and tier([0.5, 0.9]) == "high"


def test_group_weights_and_group_weighting() -> None:
    # g2 weight 2: A (5+3+2·4)/4 = 4, B (3+3+2)/4 = 2, C (1+2+2)/4 = 1.25 → B (0.75/2.75)
    weighted = scored(weights={"g2": 2.0})
    assert weighted["B"].axes["impact"].mean == pytest.approx(2)
    assert weighted["B"].axes["impact"].norm == pytest.approx(3 / 11)
    assert weighted["B"].axes["impact"].level == LESS, "the weight moved B down a class"
    # 'group' weighting: each group counts as one; here the same as doubling g2
    balanced = scored(ScoringRule(weighting="group"))
    for t in TOPICS:
        assert balanced[t].axes["impact"].mean == pytest.approx(weighted[t].axes["impact"].mean)
    # respondent weights multiply in
    rows = [
        r if r.respondent != "r3" else Rating(**{**r.__dict__, "weight": 2.0}) for r in ratings()
    ]
    own = {r.topic: r for r in score_topics(rows, TOPICS, {})}
    assert own["B"].axes["impact"].mean == pytest.approx(2)


def test_twenty_percent_weight_change_flags_fragile_classes() -> None:
    base = scored()
    assert all(r.robust for r in base.values())
    # With the lower threshold at 0.36, B (0.375) drops below it when g2 weighs ×1.2
    # (B → 0.349) or g1 weighs ×0.8 (B → 0.343); A and C stay at the extremes.
    fragile = scored(ScoringRule(low=0.36))
    assert fragile["B"].axes["impact"].level == MODERATE
    assert not fragile["B"].robust
    assert sorted(fragile["B"].sensitive_to) == ["g1", "g2"]
    assert fragile["A"].robust and fragile["C"].robust
    assert "ex" not in fragile["B"].sensitive_to, "one group on an axis cannot move it"


def test_bootstrap_interval_is_seeded_and_sensible() -> None:
    first, second = scored(), scored()
    for t in TOPICS:
        a, b = first[t].axes["impact"], second[t].axes["impact"]
        assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
        assert a.ci_low <= a.mean <= a.ci_high
    # unanimous answers: no spread, a zero-width interval
    c = first["A"].axes["financial"]
    assert c.std == 0 and c.ci_low == c.ci_high == pytest.approx(2)
    # the normalised interval maps with the axis min and max
    b = first["B"].axes["impact"]
    assert b.ci_norm_low == pytest.approx((b.ci_low - 4 / 3) / (8 / 3))


def test_unscorable_inputs_are_refused() -> None:
    rows = [r for r in ratings() if not (r.topic == "C" and r.axis == "financial")]
    with pytest.raises(InvalidInput, match="no financial responses for topic C"):
        score_topics(rows, TOPICS, {})
    flat = [Rating(r.respondent, r.group, r.topic, r.axis, 3) for r in ratings()]
    with pytest.raises(InvalidInput, match="same mean"):
        score_topics(flat, TOPICS, {})
