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
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


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
