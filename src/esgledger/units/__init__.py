"""Units: one pint registry with ESG units, report spellings, and cached multipliers.

``parse`` checks a unit at the edge, ``multiplier(a, b)`` gives the float the hot path uses.

- ``registry``: the pint registry, report spellings (English and Chinese) and multipliers.
- ``definitions.txt``: the ESG units and Chinese unit names, each citing its source.
- ``volume``: metered and normal gas volume, and reading one as the other when told to.
"""

from esgledger.units.registry import compatible, dimensionality, multiplier, normalise, parse, ureg
from esgledger.units.volume import product_multiplier, read_as, volume_basis

__all__ = [
    "compatible",
    "dimensionality",
    "multiplier",
    "normalise",
    "parse",
    "product_multiplier",
    "read_as",
    "ureg",
    "volume_basis",
]
