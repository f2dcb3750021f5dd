"""In-memory runs over a chunked run's chunks, added up: the proof that out of core changes
no figure, at a size where no in-memory run over the whole year fits.

A chunked run (``calc.runs.in_chunks``) replays its chunks' records in the in-memory
roll-up's order. Here each of the same chunks (whole entities) is an in-memory run of its
own (``computed_in_memory``: the instruments reviewed, the engine, Scope 3), one chunk held
at a time, and the runs are added up as the roll-up adds one run's groups: an entity's
figures are its chunk's, the totals entity after entity in id order, the per-gas figures
contribution after contribution. Equal floats (``==``) are equal bits.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.rollup import Contribution, accumulate
from esgledger.calc.runs import RunInputs, computed_in_memory, editions_used


@dataclass
class ChunkSums:
    """The chunks' in-memory runs added up."""

    totals: dict[str, float | None] = field(default_factory=dict)
    by_entity: dict[str, dict[str, float]] = field(default_factory=dict)
    by_gas: dict[str, float] = field(default_factory=dict)
    unresolved_rows: int = 0
    rows: int = 0
    chunks: int = 0
    editions: dict[str, str] = field(default_factory=dict)


def summed_chunk_runs(
    inputs: RunInputs,
    chunks: Iterable[pl.DataFrame],
    library: FactorLibrary,
    options: RunOptions,
) -> ChunkSums:
    """Each chunk's rows (whole entities, in id order) run in memory with ``inputs``'
    entities, screening and products, and added up; an empty chunk adds nothing."""
    summed = ChunkSums()
    items: list[Contribution] = []
    scope3: list[float | None] = []
    keys: set[str] = set()  # every total a chunk's run has: 0.0 where no entity adds to it
    for rows in chunks:
        summed.chunks += 1
        if not rows.height:
            continue
        _, out, _ = computed_in_memory(replace(inputs, activities=rows), library, options)
        items.extend(out.contributions)
        summed.by_entity.update(out.by_entity)
        summed.unresolved_rows += out.unresolved.height
        summed.rows += rows.height
        summed.editions.update(editions_used(library, out))
        scope3.append(out.totals.get("scope3_tco2e"))
        keys.update(out.totals)
    shares = dict(inputs.entities.select("entity_id", "share").iter_rows())
    # as the roll-up and the instruments' review start them (an instrument type present
    # only in rejected rows has a total of 0.0 and no entity figure)
    totals = dict.fromkeys(sorted(keys), 0.0)
    for entity in sorted(summed.by_entity):
        for name, value in summed.by_entity[entity].items():
            totals[name] = totals.get(name, 0.0) + value * shares.get(entity, 1.0)
    # Scope 3's total is its own engine's, not a roll-up of entity figures: none when no
    # chunk has one (never 0)
    present = [t for t in scope3 if t is not None]
    summed.totals = {**totals, "scope3_tco2e": math.fsum(present) if present else None}
    summed.by_gas = accumulate(items, inputs.entities)[2]
    return summed


def differences(summed: ChunkSums, stored: dict[str, Any]) -> list[str]:
    """Every figure of a stored run's totals (``run_totals.stored_totals``) that is not the
    summed one to the bit, named, both values as ``float.hex``; Scope 3's total is compared
    to the summed one only as present or absent when chunks hold parts of it."""
    found: list[str] = []

    def compare(where: str, ours: dict[str, Any], theirs: dict[str, Any]) -> None:
        for name in sorted({*ours, *theirs}):
            a, b = ours.get(name), theirs.get(name)
            if a != b:
                found.append(f"{where} {name}: chunks {_hex(a)}, run {_hex(b)}")

    totals = dict(summed.totals)
    run_totals = dict(stored["totals"])
    scope3, run_scope3 = totals.pop("scope3_tco2e", None), run_totals.pop("scope3_tco2e", None)
    if (scope3 is None) != (run_scope3 is None):
        found.append(f"totals scope3_tco2e: chunks {_hex(scope3)}, run {_hex(run_scope3)}")
    compare("totals", totals, run_totals)
    compare("by_gas", summed.by_gas, stored["by_gas"])
    for entity in sorted({*summed.by_entity, *stored["by_entity"]}):
        compare(
            f"entity {entity}",
            summed.by_entity.get(entity, {}),
            stored["by_entity"].get(entity, {}),
        )
    return found


def _hex(value: object) -> str:
    return value.hex() if isinstance(value, float) else repr(value)
