"""Matplotlib in one place: imported only when a chart is drawn, never at start-up, and each
chart drawn inside its own style, so no chart changes how another one looks.

Styles are applied with ``rc_context`` around the whole drawing, saving included (the SVG
settings are read when the file is written). Output is reproducible: a fixed SVG id salt.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

HOUSE_STYLE: Mapping[str, Any] = {
    "svg.fonttype": "none",  # text stays text: searchable and crisp in the PDF
    "svg.hashsalt": "esgledger",  # the same data draws the same SVG
    # Latin in DejaVu Sans; a Chinese name falls back to the CJK font glyph by glyph (in
    # matplotlib, and in the browser and the PDF through the SVG's font-family list)
    "font.family": ["DejaVu Sans", "Noto Sans CJK SC"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


# The fonts of a chart in each edition's language: the Chinese edition's labels need a CJK
# font (Debian's fonts-noto-cjk, installed by the set-up), Latin text still in DejaVu Sans.
EDITION_FONTS: Mapping[str, tuple[str, ...]] = {
    "en": ("DejaVu Sans", "Noto Sans CJK SC"),
    "zh": ("Noto Sans CJK SC", "DejaVu Sans"),
}


def edition_style(lang: str) -> dict[str, Any]:
    """The settings a chart in ``lang`` adds to its style (the font family)."""
    return {"font.family": list(EDITION_FONTS[lang])}


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the Agg backend (no display, no network), imported on first
    use: it costs a good part of a second."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def drawn_with(style: Mapping[str, Any]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorates a chart function: it runs (and saves) inside ``style``, and matplotlib's
    settings are as they were afterwards."""

    def decorate(draw: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(draw)
        def drawn(*args: P.args, **kwargs: P.kwargs) -> R:
            with pyplot().rc_context(dict(style)):
                return draw(*args, **kwargs)

        return drawn

    return decorate
