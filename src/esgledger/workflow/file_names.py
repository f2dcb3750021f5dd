"""The name of a file someone uploaded, checked before it touches the file system.

Uploads are saved under their own name (so messages name the file as the user knows it),
and evidence keeps its name; a name longer than a file system allows (255 bytes) or holding
control characters was a 500. Every upload path (API, pages, evidence) reads the name here.
"""

from __future__ import annotations

from pathlib import PurePath

from esgledger.errors import InvalidInput

MAX_NAME_BYTES = 255


def file_name(raw: str | None) -> str:
    """The last part of ``raw`` (a browser may send a whole Windows path), or InvalidInput."""
    name = PurePath((raw or "").replace("\\", "/")).name.strip()
    if not name:
        raise InvalidInput("the uploaded file has no name; send it as a multipart form field")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise InvalidInput("the uploaded file's name holds control characters; rename the file")
    size = len(name.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        raise InvalidInput(
            f"the uploaded file's name is {size} bytes long; the limit is "
            f"{MAX_NAME_BYTES} bytes, rename the file"
        )
    return name
