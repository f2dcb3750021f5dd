"""How long Polars' memory allocator keeps memory it freed before handing it back.

Polars allocates through its own jemalloc, set to give freed pages back to the system after
half a second (``dirty_decay_ms:500``) and for good after one more (``muzzy_decay_ms:1000``).
A calculation at 10⁷ activity rows frees and allocates columns of hundreds of MB one step
after another, seconds apart: each step touched fresh pages, which the kernel faulted in and
zeroed — 1.7–2.2 million page faults and 6–9 s of system CPU beside 8.5–10 s of user CPU
(#18). Kept 5 s, freed pages are reused by the next step: 13.4 → 11.7 CPU s, 1.74 → 1.36
million faults, peak memory 3,193 → 3,252 MB (20 s kept gave 11.6 CPU s and 3,318 MB).

jemalloc reads its settings once, when Polars is loaded, from ``_RJEM_MALLOC_CONF``; Polars
writes its own there first and appends what the variable held, so the latter win.
:func:`configure` sets the variable before anything of esgledger imports Polars, unless it
is set already (an operator's own choice is kept) or Polars is loaded (too late to matter).
"""

from __future__ import annotations

import os
import sys

VARIABLE = "_RJEM_MALLOC_CONF"  # the prefixed jemalloc Polars is built with reads this
SETTING = "dirty_decay_ms:5000,muzzy_decay_ms:5000"


def configure() -> bool:
    """Set :data:`SETTING` for the Polars this process will load; whether it was set."""
    if VARIABLE in os.environ or "polars" in sys.modules:
        return False
    os.environ[VARIABLE] = SETTING
    return True
