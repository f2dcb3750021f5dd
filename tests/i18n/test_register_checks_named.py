"""#19: every row check of a register file names its catalog message, so a refused row is
worded in the reader's language (a Chinese API client, a Chinese page), not only in the
English the CLI prints.

Read from the source: each ``check.flag(...)`` in ``esgledger.registers`` passes a message
(fifth argument, ``message=`` or a starred ``(reason, message)`` pair), and each
``Problem(...)`` built there passes a message id, as each ``refuse(...)`` of a whole file
does. A new check with an English reason alone fails here, naming its file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import esgledger
import esgledger.registers

REGISTERS = Path(esgledger.registers.__file__).parent
PACKAGE = Path(esgledger.__file__).parent
# The file checks outside ``registers/`` held to the same rule, one module at a time.
FILE_CHECKS = [
    "assess/climate.py",
    "assess/respondents.py",
    "ingest/activities.py",
    "ingest/cmrt_rules.py",
    "ingest/cmrt_workbook.py",
    "ingest/csv_structure.py",
    "ingest/entities.py",
    "ingest/factors.py",
    "ingest/headers.py",
    "ingest/instrument_columns.py",
    "ingest/parquet_file.py",
    "ingest/plausibility.py",
    "ingest/products.py",
    "ingest/rates.py",
    "ingest/readers.py",
    "ingest/refusals.py",
    "ingest/scope3_columns.py",
    "ingest/scope3_screening.py",
    "ingest/xlsx_guard.py",
    "ledger/certificate_claims.py",
    "ledger/kpis.py",
    "ledger/limits.py",
    "ledger/products.py",
    "suppliers/conformant_import.py",
    "suppliers/saq_answers.py",
    "workflow/kpi_imports.py",
    "workflow/values.py",
]


def _named(call: ast.Call, positional: int) -> bool:
    starred = any(isinstance(a, ast.Starred) for a in call.args)
    return (
        starred
        or len(call.args) >= positional
        or any(k.arg in ("message", "message_id") for k in call.keywords)
    )


def unnamed_checks(folder: Path) -> list[str]:
    """``file:line`` of each row check in ``folder`` that gives an English reason alone."""
    return unnamed_in(sorted(folder.rglob("*.py")))


def unnamed_in(paths: list[Path]) -> list[str]:
    """``file:line`` of each row check in ``paths`` that gives an English reason alone."""
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "flag" and not _named(node, 5):
                found.append(f"{path.name}:{node.lineno}")
            if isinstance(func, ast.Name) and func.id == "Problem" and not _named(node, 4):
                found.append(f"{path.name}:{node.lineno}")
            if isinstance(func, ast.Name) and func.id == "refuse" and not _named(node, 3):
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_every_register_row_check_names_its_message() -> None:
    assert unnamed_checks(REGISTERS) == []


@pytest.mark.parametrize("module", FILE_CHECKS)
def test_every_file_check_names_its_message(module: str) -> None:
    assert unnamed_in([PACKAGE / module]) == []


def test_an_english_reason_alone_is_found(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(
        'check.flag(frame, blank("ref"), "ref", "ref is empty")\n'
        'check.flag(frame, blank("ref"), "ref", "ref is empty", empty("ref"))\n'
        'Problem(3, "person", "duplicate")\n'
        'Problem(3, "person", "duplicate", DUPLICATE, {"row": 2})\n'
        'refuse(source, "the file is empty")\n'
        "refuse(source, EMPTY, EMPTY)\n",
        encoding="utf-8",
    )
    assert unnamed_checks(tmp_path) == ["bad.py:1", "bad.py:3", "bad.py:5"]
