"""Contractual instruments of market-based Scope 2: the activity types that are instruments,
the attribute columns an instrument row records, and how those cells read.

Shared by the import (``ingest.instrument_columns``, which refuses what can never be right)
and the calculation (``calc.instruments``, which checks each instrument against the Scope 2
Quality Criteria of the GHG Protocol Scope 2 Guidance, 2015, ch. 7, Table 7.1).
"""

from __future__ import annotations

import re

CERTIFICATE = "certificate.renewable_electricity"  # energy attribute certificates (GEC, I-REC…)
PPA = "contract.renewable_ppa"  # power purchase agreements and green power trading
INSTRUMENTS = (CERTIFICATE, PPA)
# the columns an instrument row may carry (stored in the row's attributes)
ATTRIBUTES = (
    "instrument",  # its type as the user names it: GEC, I-REC, wind PPA, green power trade…
    "energy_source",  # wind, solar, hydro…: the generation it stands for (criterion 1)
    "vintage",  # YYYY or YYYY-MM of generation (criterion 4)
    "market",  # ISO 3166-1 alpha-2 country of issue (criterion 5)
    "tracking_system",  # the register that issued and tracks it (criterion 3)
    "certificate_ids",  # its certificate ids, separated by ; , or spaces (criterion 2)
    "retired",  # yes: retired or cancelled on the company's behalf (criterion 3)
    "retired_for",  # whom it was retired for
    "supplier",  # who sold it
    "attributes_conveyed",  # a PPA: yes when the contract conveys its attributes (criterion 7)
)
CERTIFICATE_ID_MAX = 128  # characters of one certificate id (the key of ``certificate_claims``)
YES = frozenset({"yes", "true", "y", "1"})
VINTAGE = re.compile(r"^(\d{4})(-(0[1-9]|1[0-2]))?$")
_IDS = re.compile(r"[;,\s]+")


def certificate_ids(text: str | None) -> list[str]:
    """The ids of a ``certificate_ids`` cell: separated by semicolons, commas or spaces."""
    return [i for i in _IDS.split(text or "") if i]
