"""Signed heads: an Ed25519 signature over an audit head with a workspace key.

An anchored head (``esg audit head``) proves that the chain up to it was not rewritten, but
only if the saved copy is itself authentic: whoever can rewrite the chain can also print a
new head. A head signed with a private key kept apart from the database (a file only the
keeper of the workspace reads) can be handed to anyone holding the public key, who checks
that it came from the keeper. The signed bytes are a fixed prefix and ``SEQ:HASH``, so a
signature is never valid for anything but a head.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from esgledger.atomic import replacing
from esgledger.errors import Conflict, EsgError, InvalidInput, NotFound, storage_failure
from esgledger.ledger.audit import Head

DOMAIN = b"esgledger audit head v1\n"
PUBLIC_SUFFIX = ".pub"


class BadSignature(EsgError):
    """The head's signature was not made with the given key: the anchor is not authentic."""

    exit_code = 1


def public_path(key: Path) -> Path:
    return key.with_name(key.name + PUBLIC_SUFFIX)


def generate_key(key: Path) -> str:
    """Write a new private key to ``key`` (owner-only) and its public key beside it
    (``key.pub``); returns the public key. Refuses to overwrite a key: heads signed with it
    could no longer be checked against a new one."""
    if key.exists():
        raise Conflict(f"{key} already exists; keep it, or move it away to make a new key")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = public_text(private.public_key())
    try:
        with replacing(key) as tmp:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
        public_path(key).write_text(public + "\n", encoding="ascii")
    except OSError as exc:
        raise storage_failure(exc, f"write the key {key}") or exc from None
    return public


def public_text(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_private(key: Path) -> Ed25519PrivateKey:
    if not key.is_file():
        raise NotFound(f"no key file {key}; `esg audit keygen --key {key}` makes one")
    try:
        private = serialization.load_pem_private_key(key.read_bytes(), password=None)
    except (ValueError, TypeError):
        private = None
    if not isinstance(private, Ed25519PrivateKey):
        raise InvalidInput(f"{key} is not an Ed25519 private key made by `esg audit keygen`")
    return private


def sign_head(head: Head, key: Path) -> tuple[str, str]:
    """(signature, public key) of ``head``, both base64."""
    private = load_private(key)
    signature = private.sign(DOMAIN + str(head).encode("ascii"))
    return base64.b64encode(signature).decode("ascii"), public_text(private.public_key())


def load_public(given: str) -> Ed25519PublicKey:
    """A public key given as its base64 text or as the path of a ``.pub`` file."""
    text = given.strip()
    if Path(text).is_file():
        text = Path(text).read_text(encoding="ascii", errors="replace").strip()
    raw = _base64(text, "public key")
    if len(raw) != 32:
        raise InvalidInput(
            "the public key is not 32 bytes in base64 (`esg audit keygen` prints it)"
        )
    return Ed25519PublicKey.from_public_bytes(raw)


def check_signature(head: Head, signature: str, public_key: str) -> None:
    """Raise :class:`BadSignature` unless ``signature`` signs ``head`` with ``public_key``."""
    public = load_public(public_key)
    try:
        public.verify(_base64(signature, "signature"), DOMAIN + str(head).encode("ascii"))
    except InvalidSignature:
        raise BadSignature(
            f"the signature of head {head.seq} was not made with that public key: the saved "
            "head is not authentic (or the key is not the workspace's)"
        ) from None


def _base64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"the {what} is not base64 text") from None
