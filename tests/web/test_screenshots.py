"""Issue #14 (acceptance): the docs show every page at 1280 px and at 390 px.

Each navigation entry, each page under one, and the pages outside the navigation (sign-in,
survey, supplier questionnaire, issue form, one request) have both screenshots in ``docs/screenshots``, as PNGs of
those widths, shown in ``docs/web.md``."""

from __future__ import annotations

import re
import struct
from pathlib import Path

from esgledger.web.pages import PAGE_ROUTERS
from esgledger.web.templating import NAV, SECTION_OF

DOCS = Path(__file__).resolve().parents[2] / "docs"
NAMED = {"/": "dashboard", "/template": "upload"}  # where the name is not the path (the
# template form is part of the upload page)
OUTSIDE_NAV = ("login", "survey", "supplier-questionnaire", "issue", "request")


def _width(png: Path) -> int:
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", png
    return int(struct.unpack(">I", header[16:20])[0])


def _pages_under(*prefixes: str) -> list[str]:
    """The pages (GET, no path parameter) below the given navigation entries."""
    found = {
        route.path  # type: ignore[attr-defined]
        for router in PAGE_ROUTERS
        for route in router.routes
        if "GET" in getattr(route, "methods", ())
        and route.path.startswith(prefixes)  # type: ignore[attr-defined]
        and "{" not in route.path  # type: ignore[attr-defined]
    }
    return sorted(found)


def _shot_name(path: str) -> str:
    """``/registers/board`` → ``board``; ``/suppliers/tiers`` → ``supplier-tiers``."""
    section, _, page = path.strip("/").partition("/")
    return f"supplier-{page}" if section == "suppliers" else page


def test_every_page_has_both_screenshots_shown_in_the_docs() -> None:
    paths = [path for path, _, _ in NAV] + list(SECTION_OF)
    names = [NAMED.get(p, p.strip("/")) for p in paths] + list(OUTSIDE_NAV)
    names += [_shot_name(p) for p in _pages_under("/registers/", "/suppliers/")]
    shown = set(re.findall(r"\(screenshots/([\w-]+\.png)\)", (DOCS / "web.md").read_text()))
    for name in names:
        for width in (1280, 390):
            file = f"{name}-{width}.png"
            assert file in shown, f"docs/web.md does not show {file}"
            assert _width(DOCS / "screenshots" / file) == width, file
