"""JSON bodies serialised once per ledger state and answered with a strong ``ETag``.

A large read (the KPI table is hundreds of kilobytes) costs more to encode than to look up:
encoding it on every request took half the server's time under load. The bytes are kept per
ledger state (:mod:`esgledger.ledger.state`) with a digest of them as the entity tag, and a
client that sends the tag back in ``If-None-Match`` gets ``304 Not Modified`` and no body.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from sqlalchemy.orm import Session

from esgledger.api.deps import json_bytes
from esgledger.ledger.state import ledger_state
from esgledger.ledger.state_cache import StateCache

MAX_ENTRIES = 64


@dataclass(frozen=True)
class Body:
    content: bytes
    etag: str  # strong: the same tag always means the same bytes


_bodies: StateCache[Body] = StateCache(MAX_ENTRIES)


def encoded(content: bytes) -> Body:
    return Body(content, '"' + hashlib.sha256(content).hexdigest()[:40] + '"')


def state_body(session: Session, key: tuple[Hashable, ...], build: Callable[[], Any]) -> Body:
    """The body ``build()`` gives for ``key`` in the ledger's current state, encoded once."""
    return _bodies.get((ledger_state(session), *key), lambda: encoded(json_bytes(build())))


def state_bytes(session: Session, key: tuple[Hashable, ...], build: Callable[[], bytes]) -> Body:
    """:func:`state_body` for a ``build`` that encodes the body itself."""
    return _bodies.get((ledger_state(session), *key), lambda: encoded(build()))


ItemBytes = dict[int, tuple[Any, bytes]]  # id(item) → (item, its JSON)


def json_with_list(data: dict[str, Any], key: str, kept: ItemBytes) -> bytes:
    """:func:`~esgledger.api.deps.json_bytes` of ``data``, the items of the list
    ``data[key]`` encoded once per item object: an item that is the very same object in
    ``kept`` (the JSON of the last body of the same question) reuses its bytes. The JSON
    encoder writes a dict as ``{k: v, …}`` and a list as ``[a, b, …]`` with these same
    separators, so the pieces joined are the bytes of the whole. ``kept`` is replaced by
    this list's items."""
    before = dict(kept)
    items: list[bytes] = []
    for item in data[key]:
        hit = before.get(id(item))
        items.append(hit[1] if hit is not None and hit[0] is item else json_bytes(item))
    kept.clear()
    kept.update((id(i), (i, b)) for i, b in zip(data[key], items, strict=True))
    parts = [
        json_bytes(name)
        + b": "
        + (b"[" + b", ".join(items) + b"]" if name == key else json_bytes(value))
        for name, value in data.items()
    ]
    return b"{" + b", ".join(parts) + b"}"


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, RFC 9110 13.1.2)."""
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


def answer(request: Request, body: Body) -> Response:
    """200 with the bytes and their tag, or 304 when the client has them already."""
    headers = {"ETag": body.etag}
    if matches(request.headers.get("if-none-match"), body.etag):
        return Response(status_code=304, headers=headers)
    return Response(body.content, media_type="application/json", headers=headers)


def clear() -> None:
    _bodies.clear()
