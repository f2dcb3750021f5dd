"""The demo's generated survey gives the reference report's three double-material topics."""

from __future__ import annotations

from esgledger.assess.scoring import Rating, financial_score, impact_score, score_topics
from esgledger.demo.assess_data import TOPIC_PROFILES
from esgledger.demo.assess_stage import respondent_rows, response_rows


def _score(row: dict[str, object]) -> tuple[str, float]:
    if "likelihood_short" in row or "likelihood_medium" in row or "likelihood_long" in row:
        horizons = {
            h: (row[f"likelihood_{h}"], row[f"magnitude_{h}"])
            for h in ("short", "medium", "long")
            if f"likelihood_{h}" in row
        }
        return "financial", financial_score(horizons)  # type: ignore[arg-type]
    criteria = {
        k: row[k]
        for k in ("valence", "actuality", "scale", "scope", "irremediability", "likelihood")
        if k in row
    }
    return "impact", impact_score(**criteria)  # type: ignore[arg-type]


def test_demo_survey_is_seeded_and_finds_the_three_double_material_topics() -> None:
    people = {str(p["name"]): str(p["group"]) for p in respondent_rows()}
    assert len(people) == 122 and sum(g == "executives" for g in people.values()) == 10
    rows = response_rows()
    assert rows == response_rows(), "Random(42): the same answers every time"
    ratings = []
    for row in rows:
        axis, score = _score(row)
        ratings.append(
            Rating(
                str(row["respondent"]),
                people[str(row["respondent"])],
                str(row["topic"]),
                axis,
                score,
            )
        )
    results = score_topics(ratings, list(TOPIC_PROFILES), {}, bootstrap=200)
    material = sorted(r.topic for r in results if r.material)
    assert material == [
        "climate-change",
        "cybersecurity-data-protection",
        "technological-innovation",
    ]
    one_axis = [r.topic for r in results if len(r.material_on) == 1]
    assert len(one_axis) >= 3, "some topics are highly material on one axis only"
