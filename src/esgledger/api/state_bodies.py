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
from esgledger.ledger.state import State, ledger_state, superseded
from esgledger.ledger.state_cache import StateCache

MAX_ENTRIES = 64


@dataclass(frozen=True)
class Body:
    content: bytes
    etag: str  # strong: the same tag always means the same bytes


_bodies: StateCache[Body] = StateCache(MAX_ENTRIES)


def encoded(content: bytes) -> Body:
    return Body(content, '"' + hashlib.sha256(content).hexdigest()[:40] + '"')


def _kept(state: State, key: tuple[Hashable, ...], make: Callable[[], Body]) -> Body:
    """The body kept for ``key`` in ``state``, else ``make()``'s. A new state's body drops
    those of older states of the database: nobody can ask for them again, and each held
    hundreds of kilobytes, so every new body was fresh memory to fault in."""

    def fresh() -> Body:
        body = make()
        _bodies.drop(lambda kept: superseded(kept[0], state))  # type: ignore[index]
        return body

    return _bodies.get((state, *key), fresh)


def state_body(session: Session, key: tuple[Hashable, ...], build: Callable[[], Any]) -> Body:
    """The body ``build()`` gives for ``key`` in the ledger's current state, encoded once."""
    return _kept(ledger_state(session), key, lambda: encoded(json_bytes(build())))


ItemBytes = dict[int, tuple[Any, bytes, bytes]]  # id(item) → (item, its JSON, their SHA-256)


def state_listed(
    session: Session,
    key: tuple[Hashable, ...],
    build: Callable[[], tuple[Any, str]],
    kept: ItemBytes,
) -> Body:
    """:func:`state_body` of a dict ``data`` with one long list ``data[name]``, for ``build()``
    giving ``(data, name)``: see :func:`listed_body`."""
    return _kept(ledger_state(session), key, lambda: listed_body(*build(), kept))


def listed_body(data: dict[str, Any], key: str, kept: ItemBytes) -> Body:
    """:func:`encoded` :func:`~esgledger.api.deps.json_bytes` of ``data``, the items of the
    list ``data[key]`` encoded and hashed once per item object: an item that is the very
    same object in ``kept`` (the last body of the same question) reuses its bytes and
    digest. The JSON encoder writes a dict as ``{k: v, …}`` and a list as ``[a, b, …]``
    with these same separators, so the pieces joined are the bytes of the whole (joined
    once: each copy of a body of hundreds of kilobytes is fresh memory to fault in).

    The tag is the SHA-256 of the other pieces and of the items' digests, in order: it
    commits to every byte as a hash of the whole would (the same tag means the same bytes)
    while hashing only the items that are new. ``kept`` is replaced by this list's items.
    """
    parts: list[bytes] = []
    tag = hashlib.sha256()
    now: ItemBytes = {}
    for n, (name, value) in enumerate(data.items()):
        head = (b"{" if n == 0 else b", ") + json_bytes(name) + b": "
        if name != key:
            head += json_bytes(value)
            parts.append(head)
            tag.update(b"%d:" % len(head) + head)
            continue
        parts.append(head + b"[")
        tag.update(b"%d:" % len(head) + head + b"%d[" % len(value))  # then as many digests
        for i, item in enumerate(value):
            hit = kept.get(id(item))
            if hit is None or hit[0] is not item:
                text = json_bytes(item)
                hit = (item, text, hashlib.sha256(text).digest())
            now[id(item)] = hit
            if i:
                parts.append(b", ")
            parts.append(hit[1])
            tag.update(hit[2])
        parts.append(b"]")
        tag.update(b"]")
    parts.append(b"}" if parts else b"{}")
    kept.clear()
    kept.update(now)
    return Body(b"".join(parts), '"' + tag.hexdigest()[:40] + '"')


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
