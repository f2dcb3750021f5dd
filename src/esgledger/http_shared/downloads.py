"""File downloads for the API and the pages: one Content-Disposition for every file name."""

from __future__ import annotations

from urllib.parse import quote


def attachment(name: str) -> dict[str, str]:
    """Headers that make a browser save the file (never render it on our origin), with an
    ASCII fallback name and the exact UTF-8 name (RFC 6266)."""
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    value = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return {"Content-Disposition": value, "X-Content-Type-Options": "nosniff"}
