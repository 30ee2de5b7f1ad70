"""Online signatures (spec/petitions.md §3): the statement's canonical bytes and the signature's check.

The browser builds the same bytes (canonical JSON: sorted keys, no whitespace, UTF-8) and signs them with
WebCrypto (Ed25519, or ECDSA P-256 with SHA-256); the server verifies with saylau.crypto.signatures. A key
made in the browser proves only that the same key signed; it does not prove who the signer is: a national
eID signature (the state's PKI, e.g. Kazakhstan's NCA EDS) would replace it where one is available.
"""

from __future__ import annotations

from saylau.crypto.errors import Invalid
from saylau.crypto.signatures import verify_signature
from saylau.model.canonical import canonical_json
from saylau.petitions.model import MAX_FIELD, OnlineSignature, Statement

__all__ = ["STATEMENT_PURPOSE", "check_online", "statement_bytes"]

STATEMENT_PURPOSE = "saylau/petitions/statement/v1"


def statement_bytes(statement: Statement) -> bytes:
    """``{"birth_date","identifier","name","petition","purpose","signed_on"}`` as canonical JSON, UTF-8."""
    return canonical_json(
        {
            "birth_date": statement.birth_date.isoformat(),
            "identifier": statement.identifier,
            "name": statement.name,
            "petition": statement.petition,
            "purpose": STATEMENT_PURPOSE,
            "signed_on": statement.signed_on.isoformat(),
        }
    ).encode("utf-8")


def check_online(signature: OnlineSignature, petition: str) -> str | None:
    """Why the online signature is not valid (None: it verifies and is for this petition)."""
    s = signature.statement
    if s.petition != petition:
        return f"the statement is for petition {s.petition[:64]!r}, not {petition!r}"
    if any(len(t) > MAX_FIELD or not t.isprintable() for t in (s.identifier, s.name)):
        return f"the identifier or name is longer than {MAX_FIELD} characters or holds control characters"
    verdict = verify_signature(signature.algorithm, signature.public_key, statement_bytes(s), signature.signature)
    if isinstance(verdict, Invalid):
        return f"the {signature.algorithm} signature does not verify ({verdict.code.value} at {verdict.where})"
    return None
