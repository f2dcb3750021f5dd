"""Energy coefficients a run chooses for one carrier (``--energy-coefficient``).

GB/T 2589 gives natural gas as a range (2020: 1.1000–1.3300 kgce/m3) or per gas origin
(2008: gas-field 1.2143, oil-field 1.3300), and reports used either without saying so
(shared spec factors-cn.md §2–§3). A run reproduces any of them by naming the edition and
variant for that carrier; the rule and a flag record the choice on every result.
"""

from __future__ import annotations

from esgledger.calc.library import FactorLibrary, FactorRecord
from esgledger.catalog import activity_types
from esgledger.errors import InvalidInput

KIND = "energy_coefficient"


def chosen_coefficients(
    library: FactorLibrary, choices: tuple[tuple[str, str, str], ...]
) -> dict[str, FactorRecord]:
    """Activity → the coefficient chosen for it; :class:`InvalidInput` names a bad choice."""
    out: dict[str, FactorRecord] = {}
    for activity, edition, variant in choices:
        if activity not in activity_types():
            raise InvalidInput(
                f"--energy-coefficient: unknown activity type {activity!r}; "
                "`esg activities types` lists them"
            )
        found = [
            r
            for rs in library.candidates(KIND, activity, "coef", "").values()
            for r in rs
            if r.edition == edition
        ]
        if not found:
            raise InvalidInput(
                f"--energy-coefficient: no energy coefficient for {activity} in edition "
                f"{edition!r}; `esg factors list` lists them"
            )
        match = [r for r in found if r.variant == variant]
        if len(match) != 1:
            variants = ", ".join(sorted(r.variant or "(none)" for r in found))
            raise InvalidInput(
                f"--energy-coefficient {activity}={edition}:{variant or '?'}: choose one of "
                f"the edition's variants: {variants}"
            )
        out[activity] = match[0]
    return out


def chosen_rule(record: FactorRecord) -> str:
    """The rule text a result records for a chosen coefficient."""
    variant = f":{record.variant}" if record.variant else ""
    return (
        f"series {record.series}; edition {record.edition}{variant} chosen for "
        f"{record.activity} with --energy-coefficient"
    )
