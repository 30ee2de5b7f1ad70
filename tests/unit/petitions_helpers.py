"""Shared values for the petitions' tests: a district of two precincts, a small register, signing helpers."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from saylau.crypto.signatures import SignatureAlgorithm
from saylau.petitions import (
    FullCheck,
    InMemoryRegister,
    OnlineSignature,
    PaperSignature,
    Petition,
    PetitionKind,
    Registrant,
    Residence,
    ShareThreshold,
    SignatureId,
    Statement,
    Status,
    VerificationRule,
    statement_bytes,
)

SCOPE = frozenset({"P1", "P2"})  # the district D1's precincts; P9 is elsewhere
OPENS, CLOSES = date(2024, 3, 1), date(2024, 3, 31)


def name_key(name: str) -> str:
    """A stand-in for the register's key (the register context owns the real one): case and spaces folded."""
    return " ".join(name.casefold().split())


def petition(rule: VerificationRule | None = None, share: tuple[int, int] = (1, 4)) -> Petition:
    return Petition(
        "d1-recall",
        PetitionKind.RECALL,
        "D1",
        OPENS,
        CLOSES,
        ShareThreshold(Fraction(*share), OPENS),
        rule or FullCheck(),
    )


def person(ident: str, name: str, born: date, *history: Residence) -> Registrant:
    return Registrant(ident, name_key(name), born, history or (Residence("P1", Status.ACTIVE, date(2000, 1, 1)),))


REGISTER = InMemoryRegister(
    [
        person("A1", "Aigerim Sadykova", date(1980, 1, 1)),
        person(
            "B1",
            "Bolat Nurlanov",
            date(1975, 5, 5),
            Residence("P1", Status.ACTIVE, date(2000, 1, 1), date(2024, 3, 9)),
            Residence("P9", Status.ACTIVE, date(2024, 3, 10)),
        ),
        person(
            "C1",
            "Chingiz Omarov",
            date(1950, 2, 2),
            Residence("P2", Status.ACTIVE, date(2000, 1, 1), date(2024, 3, 4)),
            Residence("P2", Status.DECEASED, date(2024, 3, 5)),
        ),
        person("Y1", "Yerlan Young", date(2006, 6, 1)),
        person("T1", "Twin Same", date(1990, 1, 1)),
        person("T2", "Twin Same", date(1990, 1, 1)),
    ]
)


def paper(
    line: int,
    ident: str | None,
    name: str,
    born: date | None,
    signed: date | None,
    *,
    seq: int | None = None,
    illegible: bool = False,
) -> PaperSignature:
    return PaperSignature(
        SignatureId(f"paper:S1:{line}"), "S1", "collector-1", line, ident, name, born, signed, illegible, seq or line
    )


def online(
    sid: str,
    ident: str,
    name: str,
    born: date,
    day: date,
    algorithm: SignatureAlgorithm,
    *,
    seq: int,
    forge: bool = False,
    code: str = "d1-recall",
) -> OnlineSignature:
    statement = Statement(code, ident, name, born, day)
    message = statement_bytes(statement)
    signed = message + b"!" if forge else message  # a forged one: signed over other bytes
    if algorithm == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
        public = key.public_key().public_bytes_raw()
        signature = key.sign(signed)
    else:
        pkey = ec.generate_private_key(ec.SECP256R1())
        public = pkey.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        r, s = decode_dss_signature(pkey.sign(signed, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")  # WebCrypto's raw r || s
    return OnlineSignature(SignatureId(sid), statement, algorithm, public, signature, day, seq)
