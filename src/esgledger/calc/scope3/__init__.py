"""Scope 3: the 15 GHG Protocol categories, beside the Scope 1/2 engine.

- ``categories``: category names and which category an activity row belongs to;
- ``methods``: which methods apply to a row and which factor each one needs;
- ``currency``: spend in another currency or year, converted with cited rates only;
- ``engine``: rows → per-category figures, methods side by side, unresolved rows with reasons.

The Scope 1/2 engine leaves Scope 3 activity types to this package; a run stores its output
under ``scope3`` in the run totals.
"""

from esgledger.calc.scope3.engine import Scope3Output, compute_scope3

__all__ = ["Scope3Output", "compute_scope3"]
