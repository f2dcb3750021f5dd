"""The fault suite's fork server holds the commands' modules already imported (#20), so each
``esg`` forked from it starts warm; a module renamed in tests/faults/warm.py would otherwise
be skipped silently by multiprocessing and every process would import it again.

This module must not import tests/faults/warm.py itself: the child imports this module to
find its target, and would import the modules then."""

from __future__ import annotations

import sys

from tests.faults.conftest import _PROCESSES


def _exit_with_missing(names: tuple[str, ...]) -> None:
    sys.exit(sum(name not in sys.modules for name in names))


def test_a_forked_esg_process_starts_with_the_commands_imported() -> None:
    from tests.faults.warm import MODULES  # here, in this process only

    child = _PROCESSES.Process(target=_exit_with_missing, args=((*MODULES, "matplotlib.pyplot"),))
    child.start()
    child.join(timeout=300)
    assert child.exitcode == 0, f"{child.exitcode} modules were not imported by the fork server"
