"""#19 (acceptance): the Chinese edition's screenshots are in the docs, and the machine can
draw the edition.

The report's Chinese screenshots (``scripts/report_screenshots.py --lang zh``: five PDF pages
and the HTML at 1280 px and 390 px) are in ``docs/report`` and shown in ``docs/report.md``,
as the web pages' screenshots are (tests/web/test_screenshots.py); and the CJK font
``scripts/setup.sh`` installs (``fonts-noto-cjk``) is the one fontconfig finds where the
suite runs, so the PDF's Chinese is never drawn as empty boxes.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "scripts"))
import report_screenshots  # noqa: E402  (a script, not a package)


def _size(png: Path) -> tuple[int, int]:
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", png
    width, height = struct.unpack(">II", header[16:24])
    return int(width), int(height)


def test_the_chinese_report_screenshots_exist_and_are_shown_in_the_docs() -> None:
    shown = set(re.findall(r"\(report/([\w-]+\.png)\)", (DOCS / "report.md").read_text()))
    pdf = [f"pdf-zh-{name}.png" for name in report_screenshots.PAGES_ZH.values()]
    html = [
        (f"html-zh-{screen}{suffix}.png", size)
        for screen, size in report_screenshots.SCREENS.items()
        for suffix in ("", "-highlights")
    ]
    assert len(pdf) == 5 and len(html) == 4
    for name in pdf:
        assert name in shown, f"docs/report.md does not show {name}"
        width, height = _size(DOCS / "report" / name)
        assert height > width > 400, name  # a portrait A4 page
    for name, size in html:
        assert name in shown, f"docs/report.md does not show {name}"
        assert _size(DOCS / "report" / name) == size, name


def test_setup_installs_the_cjk_font_the_suite_finds() -> None:
    """setup.sh names the Debian package, and fontconfig finds Noto Sans CJK SC here."""
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert re.search(
        r'has "Noto Sans CJK" fc-list \|\| debian_packages\+=\(fonts-noto-cjk\)', setup
    )
    fc_list = shutil.which("fc-list")
    assert fc_list, (
        "fontconfig's fc-list is missing (Pango's fontconfig, which scripts/setup.sh brings)"
    )
    found = subprocess.run(
        [fc_list, ":lang=zh-cn", "family"], capture_output=True, text=True, check=True
    ).stdout
    assert "Noto Sans CJK SC" in found, found[:500]
