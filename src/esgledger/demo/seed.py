"""One seed for the whole demo, split into independent, named random streams.

Every generator asks for ``rng("activity", site, activity, year)`` rather than sharing one
``random.Random(42)``: adding a metric to the catalog or a site to the tree then changes only
the numbers of that metric or site, not every number drawn after it. String seeds are hashed
with SHA-512 by :mod:`random`, so the streams are the same on every run and every machine
(no dependence on ``PYTHONHASHSEED``).
"""

from __future__ import annotations

import random

SEED = 42


def rng(*key: object) -> random.Random:
    """A random stream for ``key``, derived from :data:`SEED`."""
    return random.Random(f"{SEED}/" + "/".join(str(part) for part in key))
