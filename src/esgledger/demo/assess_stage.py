"""The demo's ``assessments`` stage: a 2025 double-materiality assessment with ~120
respondents, the risk register, the 20 climate items with the carbon-price exposure, and
targets with their progress; charts go to ``DIR/assessments`` when the demo has a folder.

Everything goes through the services a user calls: respondents and responses are imported
from files, three respondents answer with their one-time token, the result is scored,
approved and given its IROs.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from esgledger.demo.assess_data import (
    GHG_INTENSITY_CUT,
    GROUPS,
    IRO_RISK_LINKS,
    IROS,
    RISK_UPDATE,
    RISKS,
    TARGETS,
    TOKEN_RESPONDENTS,
    TOPIC_PROFILES,
)
from esgledger.demo.stages import DemoContext, StageReport

SEED = 42
HORIZONS = ("short", "medium", "long")


def _clip(x: float) -> int:
    return int(min(5, max(1, round(x))))


def _impact_row(rng: random.Random, mean: float, positive: float) -> dict[str, object]:
    target = min(5.0, max(1.0, rng.gauss(mean, 0.6)))
    row: dict[str, object] = {"valence": "positive" if rng.random() < positive else "negative"}
    if rng.random() < 0.75:
        row["actuality"], severity = "actual", target
    else:
        likelihood = 5 if rng.random() < 0.5 else 4
        row["actuality"], row["likelihood"] = "potential", likelihood
        severity = min(5.0, target * 5 / likelihood)
    row["scale"] = _clip(severity + rng.gauss(0, 0.5))
    row["scope"] = _clip(severity + rng.gauss(0, 0.6))
    if row["valence"] == "negative":
        row["irremediability"] = _clip(severity + rng.gauss(0, 0.7))
    return row


def _financial_row(rng: random.Random, mean: float) -> dict[str, object]:
    target = min(5.0, max(1.0, rng.gauss(mean, 0.45)))
    likelihood = _clip(math.sqrt(5 * target) + rng.gauss(0, 0.3))
    magnitude = _clip(5 * target / likelihood)
    main = rng.choice(HORIZONS)
    row: dict[str, object] = {}
    for h in HORIZONS:
        if h == main:
            row[f"likelihood_{h}"], row[f"magnitude_{h}"] = likelihood, magnitude
        elif rng.random() < 0.8:
            row[f"likelihood_{h}"] = max(1, likelihood - rng.randint(0, 2))
            row[f"magnitude_{h}"] = max(1, magnitude - rng.randint(0, 1))
    return row


def respondent_rows() -> list[dict[str, object]]:
    return [
        {"name": f"{prefix}-{n:03d}", "group": group}
        for group, (count, prefix, _lean) in GROUPS.items()
        for n in range(1, count + 1)
    ]


def response_rows() -> list[dict[str, object]]:
    """Every respondent rates every topic on their group's instrument (seeded)."""
    rng = random.Random(SEED)
    rows = []
    for person in respondent_rows():
        group = str(person["group"])
        lean = GROUPS[group][2]
        for topic, (impact, financial, positive) in TOPIC_PROFILES.items():
            if group == "executives":
                scores = _financial_row(rng, financial)
            else:
                scores = _impact_row(rng, impact + lean.get(topic, 0.0), positive)
            rows.append({"respondent": person["name"], "topic": topic, **scores})
    return rows


RESPONSE_COLUMNS = (
    "respondent",
    "topic",
    "valence",
    "actuality",
    "scale",
    "scope",
    "irremediability",
    "likelihood",
    *(f"{c}_{h}" for h in HORIZONS for c in ("likelihood", "magnitude")),
)


def _write(path: Path, header: tuple[str, ...], rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@contextmanager
def _work_dir(ctx: DemoContext) -> Iterator[Path]:
    """``DIR/assessments`` for a demo folder, else a temporary folder."""
    if ctx.out_dir is not None:
        folder = ctx.out_dir / "assessments"
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
        return
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def _materiality(ctx: DemoContext, folder: Path) -> dict[str, Any]:
    from esgledger.assess import approval, matrix, respondents, survey
    from esgledger.assess import materiality as mat

    year = ctx.report_year
    with ctx.db.write() as session:
        a = mat.create_assessment(session, year=year, actor=ctx.actor)
        people = _write(
            folder / f"materiality-respondents-{year}.csv", ("name", "group"), respondent_rows()
        )
        respondents.import_respondents(session, a, people, actor=ctx.actor)
        tokens = {
            t["respondent"]: t["token"]
            for t in respondents.issue_tokens(session, a, actor=ctx.actor)
        }
    rows = response_rows()
    by_file = [r for r in rows if r["respondent"] not in TOKEN_RESPONDENTS]
    path = _write(folder / f"materiality-responses-{year}.csv", RESPONSE_COLUMNS, by_file)
    survey.import_responses(ctx.db, year, path, actor=ctx.actor)
    for name in TOKEN_RESPONDENTS:
        mine = [
            {k: str(v) for k, v in r.items() if k != "respondent"}
            for r in rows
            if r["respondent"] == name
        ]
        survey.submit(
            ctx.db, tokens[name], survey.rows_table(mine, f"online:{name}"), actor=ctx.actor
        )
    with ctx.db.write() as session:
        a = mat.get_assessment(session, year)
        shown = matrix.score(session, a, actor=ctx.actor)
        material = [t["topic"] for t in shown["topics"] if t["double_material"]]
        for topic in material:
            for kind, text in IROS.get(topic, ()):
                link = IRO_RISK_LINKS.get(topic, "") if kind == "risk" else ""
                approval.add_iro(
                    session, a, topic=topic, kind=kind, text=text, risk_code=link, actor=ctx.actor
                )
        approval.approve(
            session,
            a,
            body="Board of directors",
            date=dt.date(year + 1, 3, 27),
            resolution=f"The board approves the {year} double-materiality "
            "assessment and its three double-material topics.",
            actor=ctx.actor,
        )
    return {"shown": shown, "material": material, "responses": len(rows)}


def _risks(ctx: DemoContext) -> dict[str, Any]:
    from esgledger.assess import risk

    today = dt.date.today()
    with ctx.db.write() as session:
        for r in RISKS:
            risk.add_risk(
                session,
                code=r.code,
                title=r.title,
                category=r.category,
                entity=r.entity,
                likelihood=r.likelihood,
                impacts=r.impacts,
                response=r.response,
                rationale=r.rationale,
                owner=r.owner,
                cause=r.cause,
                event=r.event,
                consequence=r.consequence,
                review_due=today + dt.timedelta(days=r.review_in_days),
                actor=ctx.actor,
            )
        code, changes, note = RISK_UPDATE
        risk.update_risk(session, code, changes, note=note, actor=ctx.actor)
        rows = risk.list_risks(session)
        late = risk.overdue(session)
    return {"rows": rows, "overdue": late}


def _climate(ctx: DemoContext, folder: Path) -> dict[str, Any]:
    from esgledger.assess import carbon, climate
    from esgledger.catalog.climate import example_inventory

    inventory = example_inventory()
    header = tuple(inventory[0])
    path = _write(folder / "climate-inventory.csv", header, inventory)  # type: ignore[arg-type]
    cells = {
        "R4": {"NZE": ("Low", "High", "High"), "STEPS": ("Low", "Medium", "Medium")},
        "R8": {"SSP1-2.6": ("Low", "Low", "Medium"), "SSP5-8.5": ("Low", "Medium", "High")},
    }
    with ctx.db.write() as session:
        imported = climate.import_items(session, path, actor=ctx.actor)
        for code, by_scenario in cells.items():
            for scenario, levels in by_scenario.items():
                for horizon, level in zip(climate.HORIZONS, levels, strict=True):
                    climate.rate(
                        session,
                        code,
                        horizon=horizon,
                        level=level,
                        scenario=scenario,
                        actor=ctx.actor,
                    )
        for item in climate.list_items(session):
            climate.review(
                session,
                item["code"],
                by="Carbon-neutrality committee",
                on=dt.date(ctx.report_year + 1, 3, 10),
                actor=ctx.actor,
            )
        exposure = carbon.exposure(session, ctx.report_year)
    return {"imported": imported, "exposure": exposure}


def _targets(ctx: DemoContext) -> list[dict[str, Any]]:
    from esgledger.assess import targets

    with ctx.db.write() as session:
        for t in TARGETS:
            value, base_value = t.value, None
            if t.base_year is not None:
                found = targets.kpi_actual(session, t.metric, t.base_year)
                if found is None:
                    continue  # no base-year KPI value: the target cannot be set
                base_value = found["value"]
                value = round(base_value * (1 - GHG_INTENSITY_CUT), 4)
            assert value is not None
            targets.add_target(
                session,
                code=t.code,
                metric_id=t.metric,
                op=t.operator,
                value=value,
                unit=t.unit,
                target_year=t.target_year,
                base_year=t.base_year,
                base_value=base_value,
                description=t.description,
                actor=ctx.actor,
            )
        return targets.progress(session, years=ctx.years)


def _charts(ctx: DemoContext, shown: dict[str, Any]) -> list[str]:
    if ctx.out_dir is None:
        return []
    from esgledger.assess import risk
    from esgledger.assess.charts import materiality_chart

    folder = ctx.out_dir / "assessments"
    written = []
    with ctx.db.read() as session:
        for suffix in (".svg", ".png"):
            written.append(
                materiality_chart(shown, folder / f"materiality-{ctx.report_year}{suffix}")
            )
            written.append(risk.heatmap(session, folder / f"risk-heatmap{suffix}"))
    return [p.name for p in written]


def build_assessments(ctx: DemoContext) -> StageReport:
    """Run the whole stage and say what it produced."""
    with _work_dir(ctx) as folder:
        mat = _materiality(ctx, folder)
        climate = _climate(ctx, folder)
    risks = _risks(ctx)
    progress = _targets(ctx)
    charts = _charts(ctx, mat["shown"])
    robust = sum(t["robust"] for t in mat["shown"]["topics"])
    nze = {r["horizon"]: r for r in climate["exposure"]["rows"] if r["scenario"] == "NZE"}
    latest = [p for p in progress if p["year"] == ctx.report_year]
    report: dict[str, object] = {
        "topics": len(mat["shown"]["topics"]),
        "responses": mat["responses"],
        "double-material": ", ".join(mat["material"]),
        "robust topics": f"{robust}/{len(mat['shown']['topics'])}",
        "risks": len(risks["rows"]),
        "high risks": sum(r["level"] == "high" for r in risks["rows"]),
        "overdue reviews": len(risks["overdue"]),
        "climate items": climate["imported"]["items"],
        f"NZE 2030 carbon cost of {ctx.report_year} Scope 1+2": _money(nze.get(2030)),
        f"targets met {ctx.report_year}": f"{sum(p['status'] == 'met' for p in latest)}"
        f"/{len(latest)}",
    }
    if charts:
        report["charts"] = f"{ctx.out_dir / 'assessments'} ({len(charts)} files)"
    return report


def _money(row: dict[str, Any] | None) -> str:
    if row is None or row["exposure"] is None:
        return "n/a"
    return f"{row['exposure'] / 1e6:,.1f} M {row['path_currency']} ({row['price_year']} prices)"
