"""A small questionnaire and the workspace it is sent from, for SAQ tests."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli
from tests.factories import entities_file
from tests.suppliers.factories import register_files

SAQ = """
name = "SAQ 2025"

[[sections]]
code = "env"
title = "Environment"

[[sections.questions]]
code = "env.iso14001"
text = "Do you hold a valid ISO 14001 certificate?"
type = "yes_no"
weight = 3
evidence = true

[[sections.questions]]
code = "env.targets"
text = "Do you set emission targets?"
type = "choice"
weight = 2
options = { none = 0, "intensity only" = 0.5, "absolute" = 1 }

[[sections]]
code = "soc"
title = "Labour"

[[sections.questions]]
code = "soc.child_labour_policy"
text = "Do you have a written policy against child labour?"
weight = 5

[[sections.questions]]
code = "soc.notes"
text = "Anything to add?"
type = "text"
"""


def saq_workspace(cli: Cli, tmp_path: Path) -> Path:
    """Entities, suppliers and contacts imported, and questionnaire "SAQ 2025" defined."""
    cli("import", "entities", str(entities_file(tmp_path)))
    files = register_files(tmp_path)
    cli("suppliers", "import", "suppliers", str(files["suppliers"]))
    cli("suppliers", "import", "contacts", str(files["contacts"]))
    path = tmp_path / "saq.toml"
    path.write_text(SAQ, encoding="utf-8")
    cli("suppliers", "saq", "define", str(path))
    return path
