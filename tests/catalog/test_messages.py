"""#19: the gettext catalog of template and interface strings is complete and in step.

Extraction runs here (Babel, as ``babel.cfg`` says) over the report templates and the marked
Python strings; every message needs its Chinese, and ``messages.zh.po`` must be what
``scripts/i18n.py`` would write, so a new or changed template string fails until translated.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from esgledger.catalog.messages import chinese, gettext_for, translate
from esgledger.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[2]


def test_the_po_file_is_in_step_with_the_templates_and_complete() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_extraction_finds_template_and_python_messages() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import i18n
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    found = set(i18n.extracted())
    # a template's _(), a {% trans %} block, a plural pair, a marked Python string
    assert {"Key performance indicators", "Greenhouse gas emissions", "Metric id"} <= found
    assert any(m.startswith("This report covers %(company)s") for m in found)
    assert {"and %(num)s open warning", "and %(num)s open warnings"} <= found
    assert found == set(chinese())


def test_a_message_without_chinese_is_refused_not_printed_in_english() -> None:
    assert translate("Key performance indicators", "zh") == "关键绩效指标"
    assert translate("Key performance indicators", "en") == "Key performance indicators"
    with pytest.raises(InvalidInput, match="no Chinese for the message 'Nowhere translated'"):
        gettext_for("zh")("Nowhere translated")
    with pytest.raises(InvalidInput, match="unknown language 'fr'"):
        translate("Contents", "fr")
