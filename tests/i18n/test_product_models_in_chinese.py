"""#19: a product model stored with other figures is refused (``esg import products``) with its
catalog message named, so it can be worded in Chinese; no page or API route imports product
models yet, so the refusal is read the way they word one (``reason_in``). English unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected
from esgledger.ledger.products import import_products
from tests.calc.scope3.test_products import CAMERA, PRODUCT_HEADER
from tests.conftest import Cli
from tests.factories import write_csv


def test_a_changed_stored_model_is_worded_in_chinese(cli: Cli, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "p.csv", PRODUCT_HEADER, CAMERA)
    assert import_products(cli.db, first, actor="test")["added"] == ["CAM-A"]
    changed = [[*row[:7], "6" if row[7] == "5" else row[7], *row[8:]] for row in CAMERA]
    again = write_csv(tmp_path / "q.csv", PRODUCT_HEADER, changed)
    with pytest.raises(ImportRejected) as refused:
        import_products(cli.db, again, actor="test")
    (only,) = refused.value.problems
    assert only.reason == (
        "product 'CAM-A' is stored with other figures; a changed model needs a new product "
        "code (past runs stay explainable)"
    )
    assert reason_in(only, "zh") == (
        "产品 'CAM-A' 已以其他数据存储；更改后的型号需要新的产品代码（以便过往计算仍可解释）"
    )
