"""The window within which a kept sign-in (a token's or a browser session's) is reused.

A sign-in is kept while nothing it depends on changed (the sign-in stamp); the window also
bounds what a hand edit of the database outside the application, which writes no audit
event, could leave kept. One clock for tokens, sessions and replayed reads, so all three
look a principal up again at the same moments.
"""

from __future__ import annotations

import time

RECHECK_SECONDS = 10.0


def recheck_window() -> int:
    """The current window's number: a sign-in kept in one window is looked up again in the
    next (the windows are fixed slices of the monotonic clock)."""
    return int(time.monotonic() // RECHECK_SECONDS)
