"""Units: one pint registry with ESG units, report spellings, and cached multipliers.

``parse`` checks a unit at the edge, ``multiplier(a, b)`` gives the float the hot path uses.
"""

from esgledger.units.registry import compatible, dimensionality, multiplier, normalise, parse, ureg

__all__ = ["compatible", "dimensionality", "multiplier", "normalise", "parse", "ureg"]
