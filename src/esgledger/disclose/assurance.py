"""The assurance provider's statement: a file the user gives, printed as provided.

A statement is Markdown or plain text, read whole but bounded in size, and rendered without
raw HTML (it comes from outside the team). Without one the report says it is not externally
assured.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from esgledger.errors import InvalidInput

MAX_BYTES = 1_000_000
SUFFIXES = (".md", ".txt", ".markdown")


def assurance_statement(path: Path) -> dict[str, Any]:
    """The statement's HTML and its file name, or a one-line refusal."""
    if path.suffix.lower() not in SUFFIXES:
        raise InvalidInput(
            f"--assurance {path}: give the statement as Markdown or text ({', '.join(SUFFIXES)})"
        )
    if not path.is_file():
        raise InvalidInput(f"--assurance {path} does not exist")
    if path.stat().st_size > MAX_BYTES:
        raise InvalidInput(f"--assurance {path} is larger than {MAX_BYTES:,} bytes")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"--assurance {path} is not UTF-8 text") from None
    if not text.strip():
        raise InvalidInput(f"--assurance {path} is empty")
    html = MarkdownIt("commonmark", {"html": False}).render(text)
    return {"source": path.name, "html": html}
