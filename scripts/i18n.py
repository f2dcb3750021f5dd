"""Keep the gettext catalog in step with the templates and the marked Python strings (#19).

Usage::

    .venv/bin/python scripts/i18n.py           # add new messages to messages.zh.po, drop gone ones
    .venv/bin/python scripts/i18n.py --check   # exit 1 if the file would change or lacks Chinese

Messages are extracted with Babel as ``babel.cfg`` says (``_()``, ``N_()``, ``translate()``,
``page_gettext()`` and ``{% trans %}``), from the report templates and the pages. The
``.po`` file keeps each message's Chinese; a new message is added with an empty translation
for a translator to fill in, and ``--check`` (run by ``tests/catalog/test_messages.py``)
fails until every message has its Chinese.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "babel.cfg"
PO = ROOT / "src" / "esgledger" / "catalog" / "data" / "i18n" / "messages.zh.po"
HEADER = (
    "# Chinese of esgledger's report and interface strings (#19); English is the source.\n"
    "# Extracted by scripts/i18n.py (babel.cfg); fill in msgstr, never edit msgid."
)
KEYWORDS = {**DEFAULT_KEYWORDS, "translate": (1,), "page_gettext": (2,)}


def extracted() -> list[str]:
    """Every message id the code and templates use, in sorted order."""
    with CONFIG.open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(CONFIG))
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        # Chinese has one plural form: singular and plural are two messages, one text each.
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return sorted(m for m in found if m)


def current() -> dict[str, str]:
    if not PO.exists():
        return {}
    with PO.open("rb") as fh:
        return {str(m.id): str(m.string or "") for m in read_po(fh) if m.id}


def rendered(messages: list[str], chinese: dict[str, str]) -> bytes:
    """The ``.po`` file: one entry per message, sorted, without source locations (so moving a
    template line changes nothing)."""
    catalog = Catalog(locale="zh_Hans_CN", project="esgledger", fuzzy=False, header_comment=HEADER)
    for message in messages:
        catalog.add(message, chinese.get(message, ""))
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=True, omit_header=False, sort_output=True)
    # The header's creation date would change on every run: keep the file reproducible.
    lines = [
        ln
        for ln in out.getvalue().split(b"\n")
        if not ln.startswith(b'"POT-Creation-Date') and not ln.startswith(b'"PO-Revision-Date')
    ]
    return b"\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Only check; write nothing.")
    args = parser.parse_args(argv)
    messages, chinese = extracted(), current()
    text = rendered(messages, chinese)
    missing = [m for m in messages if not chinese.get(m)]
    if args.check:
        problems = []
        if not PO.exists() or PO.read_bytes() != text:
            problems.append(f"{PO.name} is out of step with the templates: run scripts/i18n.py")
        problems += [f"no Chinese for {m!r}" for m in missing]
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    PO.write_bytes(text)
    print(f"{PO}: {len(messages)} messages, {len(missing)} without Chinese")
    return 0


if __name__ == "__main__":
    sys.exit(main())
