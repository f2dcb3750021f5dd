"""A calculation run's stored totals, parsed once per text.

A run's ``totals`` column holds its canonical JSON; runs stored before the Scope 3 lines got
their own table (``calculation_scope3_lines``) hold those lines too: several MB for a group
that sells products in a hundred countries. A KPI table reads one figure after
another from the same run, so parsing the text for each figure cost seconds per page. The
parsed value is shared: callers read it and never change it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=16)
def stored_totals(text: str) -> Mapping[str, Any]:
    """The parsed totals of a run (read-only: the same object is handed to every caller)."""
    parsed: dict[str, Any] = json.loads(text)
    return parsed
