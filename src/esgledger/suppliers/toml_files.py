"""Reading the supplier programme's TOML files (policy, questionnaires): bounded, and every
problem one line naming the file."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from esgledger.errors import InvalidInput

T = TypeVar("T")
MAX_BYTES = 1024 * 1024  # a policy or a questionnaire is a few kilobytes


def load_toml(path: str | Path, what: str, parse: Callable[[dict[str, Any]], T]) -> T:
    """``parse`` of the TOML file ``path`` (a ``what`` file); InvalidInput in one line for a
    missing, oversized or malformed file, or for what ``parse`` refuses."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput(f"{path.name}: larger than {MAX_BYTES // 1024} KB; not a {what}")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, IsADirectoryError):
        raise InvalidInput(f"{what} file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path.name}: not a TOML file ({exc})") from None
    try:
        return parse(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"{path.name}: {exc}") from None
