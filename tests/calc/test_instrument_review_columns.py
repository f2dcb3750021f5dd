"""#18: the Scope 2 instrument review works on columns, a finding list per distinct
(activity, attributes, country), not a Python dict per row: at 10⁷ activity rows the half
million rejected certificates cost seconds as dicts. Each row still gets its own findings,
MWh and instrument, the same as checking it alone."""

from __future__ import annotations

import json

import numpy as np
import polars as pl

from esgledger.calc.instruments import (
    REJECTED_SCHEMA,
    ClaimTally,
    _failed,
    _to_mwh,
    review_instruments,
)
from esgledger.calc.rejected_instruments import first_page, rejected_counts
from esgledger.ledger.audit import canonical_json
from tests.calc.test_instruments import CERT, GOOD

ENTITIES = pl.DataFrame(
    {
        "entity_id": ["SZ", "VN1", "ELSEWHERE"],
        "country": ["CN", "VN", None],
        "subdivision": [None, None, None],
        "share": [1.0, 1.0, 1.0],
    }
)
TEXTS = [
    json.dumps({**GOOD, "certificate_ids": "A-1"}),
    json.dumps({**GOOD, "certificate_ids": "B-1", "vintage": "2022"}),
    json.dumps({**GOOD, "certificate_ids": "C-1", "market": "VN"}),
    json.dumps({**GOOD, "certificate_ids": "D-1", "instrument": "I-REC"}),
    None,
]


def rows(n: int) -> pl.DataFrame:
    rng = np.random.default_rng(7)
    kinds = rng.integers(0, 4, n)
    activity = np.where(kinds == 0, "electricity.purchased", CERT)
    return pl.DataFrame(
        {
            "id": np.arange(1, n + 1, dtype=np.int64),
            "entity_id": rng.choice(["SZ", "VN1", "ELSEWHERE"], n),
            "activity": activity,
            "quantity": rng.uniform(0, 1e5, n) / 3.0,
            "unit": rng.choice(["kWh", "MWh", "GJ", "m3"], n),
            # the first kind with an id of its own per row: it can qualify
            "attributes": [
                json.dumps({**GOOD, "certificate_ids": f"U-{row}"}) if i == 0 else TEXTS[i]
                for row, i in enumerate(rng.integers(0, len(TEXTS), n))
            ],
        }
    )


def test_each_row_gets_the_findings_it_would_get_alone() -> None:
    activities = rows(20_000)
    kept, review = review_instruments(activities, ENTITIES, 2024)
    instruments = activities.filter(pl.col("activity") == CERT)
    claims = ClaimTally()
    claims.add(instruments)
    country = dict(ENTITIES.select("entity_id", "country").iter_rows())
    expected_rejected, expected_ok = [], []
    for r in instruments.iter_rows(named=True):
        attrs = {k: str(v).strip() for k, v in json.loads(r["attributes"] or "{}").items()}
        failed = _failed(r["activity"], attrs, country[r["entity_id"]], 2024, claims)
        factor = _to_mwh(r["unit"])
        row = (
            r["id"],
            r["entity_id"],
            r["activity"],
            attrs.get("instrument", ""),
            r["quantity"] * factor if factor is not None else 0.0,
        )
        if failed:
            expected_rejected.append((*row, canonical_json(failed)))
        else:
            expected_ok.append(row)
    assert review.rejected.schema == pl.Schema(REJECTED_SCHEMA)
    assert review.rejected.rows() == expected_rejected
    assert review.qualifying.rows() == expected_ok
    assert 0 < len(expected_ok) < len(expected_rejected)
    assert kept["id"].to_list() == sorted(
        set(activities["id"].to_list()) - {r[0] for r in expected_rejected}
    )
    counts = rejected_counts(review.rejected)
    assert counts["rejected_rows"] == len(expected_rejected)
    listed = [{"activity": r[2], "failed": json.loads(r[5])} for r in expected_rejected]
    assert rejected_counts(listed) == counts  # a run stored with its list in the totals
    page = first_page(review.rejected, 3)
    assert [p["activity_id"] for p in page] == [r[0] for r in expected_rejected[:3]]
    assert page[0]["failed"] == json.loads(expected_rejected[0][5])
