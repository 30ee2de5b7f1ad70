"""Petitions' speed (issue 12, spec/petitions.md): matching 500,000 signatures against a 12,000,000-person
in-memory register (target ≤ 60 s), and verifying a petition of 1,000,000 signatures by California's random
sample (target ≤ 10 s: the seed's draw over every signature, then the 30,000 sampled ones matched).

The register and the signatures come from a fixed seed (benchmark input, not law): persons spread over
1,000 precincts, the petition's district is 20 of them; the signatures are 90% paper and 10% online (half
Ed25519, half ECDSA P-256, each signed here and verified in the matching), with signers outside the district,
unknown identifiers, names matched without identifier, and duplicates across channels. Building the register
is the register context's job (its store loads it); it is timed apart.

    .venv/bin/python -m bench.bench_petitions [--register N] [--signatures M] [--sample-petition K]
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from fractions import Fraction

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from bench._util import timed
from saylau.crypto.sampler import Seed
from saylau.petitions import (
    CountThreshold,
    FullCheck,
    InMemoryRegister,
    MatchStatus,
    OnlineSignature,
    PaperSignature,
    Petition,
    PetitionKind,
    RandomSample,
    Registrant,
    Residence,
    Signature,
    SignatureId,
    Statement,
    Status,
    match_signatures,
    statement_bytes,
    verify_petition,
)

OPENS, CLOSES = date(2026, 9, 1), date(2026, 10, 31)
PRECINCTS = 1_000
SEED = Seed("27182818284590452353")


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def register(n: int, rng: random.Random) -> InMemoryRegister:
    """``n`` persons; the residences are shared objects (one per precinct), as a compact loader would do."""
    since = date(2000, 1, 1)
    homes = [(Residence(f"P{p:04d}", Status.ACTIVE, since),) for p in range(PRECINCTS)]
    births = [date(1940, 1, 1) + timedelta(days=d) for d in range(0, 365 * 60, 7)]
    nb = len(births)

    def persons() -> object:
        for i in range(n):
            yield Registrant(f"{i:012d}", f"person {i}", births[i % nb], homes[i % PRECINCTS])

    return InMemoryRegister(persons())  # type: ignore[arg-type]


def petition(rule: RandomSample | FullCheck, required: int) -> Petition:
    return Petition("bench", PetitionKind.RECALL, "D", OPENS, CLOSES, CountThreshold(required), rule)


def district_size(n: int, signatures: int) -> int:
    """Precincts in the district: enough voters for about four per signature (few chance duplicates)."""
    return min(PRECINCTS, -(-4 * signatures * PRECINCTS // n))


def district_person(rng: random.Random, n: int, precincts: int) -> int:
    """A person of the district: index ≡ precinct (mod PRECINCTS), precinct < ``precincts``."""
    return rng.randrange(n // PRECINCTS) * PRECINCTS + rng.randrange(precincts)


def paper_signatures(count: int, n: int, rng: random.Random, precincts: int, start: int = 0) -> list[Signature]:
    births = [date(1940, 1, 1) + timedelta(days=d) for d in range(0, 365 * 60, 7)]
    out: list[Signature] = []
    for k in range(start, start + count):
        roll = rng.random()
        i = district_person(rng, n, precincts) if roll < 0.85 else rng.randrange(n)  # 15% anywhere
        ident: str | None = f"{i:012d}"
        name = f"Person {i}"
        if roll > 0.97:
            ident, name = f"9{k:011d}", f"Nobody {k}"  # unknown
        elif roll > 0.94:
            ident = None  # found by name key and birth date
        day = OPENS + timedelta(days=rng.randrange(61))
        sid = SignatureId(f"paper:S{k // 20}:{k % 20 + 1}")
        out.append(
            PaperSignature(sid, f"S{k // 20}", "c", k % 20 + 1, ident, name, births[i % len(births)], day, False, k)
        )
    return out


def online_signatures(count: int, n: int, rng: random.Random, precincts: int, start: int) -> list[Signature]:
    births = [date(1940, 1, 1) + timedelta(days=d) for d in range(0, 365 * 60, 7)]
    ed = ed25519.Ed25519PrivateKey.generate()  # one key per algorithm: signing is not what is measured
    ed_pub = ed.public_key().public_bytes_raw()
    p256 = ec.generate_private_key(ec.SECP256R1())
    p_pub = p256.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    out: list[Signature] = []
    for k in range(start, start + count):
        i = district_person(rng, n, precincts)
        day = OPENS + timedelta(days=rng.randrange(61))
        st = Statement("bench", f"{i:012d}", f"Person {i}", births[i % len(births)], day)
        msg = statement_bytes(st)
        if k % 2:
            out.append(OnlineSignature(SignatureId(f"online:{k}"), st, "ed25519", ed_pub, ed.sign(msg), day, k))
        else:
            r, s = decode_dss_signature(p256.sign(msg, ec.ECDSA(hashes.SHA256())))
            raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
            out.append(OnlineSignature(SignatureId(f"online:{k}"), st, "ecdsa-p256", p_pub, raw, day, k))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--register", type=int, default=12_000_000)
    ap.add_argument("--signatures", type=int, default=500_000)
    ap.add_argument("--sample-petition", type=int, default=1_000_000)
    args = ap.parse_args()
    rng = random.Random(12)
    n = args.register
    with timed(f"build an in-memory register of {n:,} persons (the register's load, not a target)"):
        reg = register(n, rng)
    online_n = args.signatures // 10
    d = district_size(n, args.signatures)
    district = frozenset(f"P{i:04d}" for i in range(d))
    print(f"  the district: {d} precincts of {PRECINCTS}, about {n * d // PRECINCTS:,} voters", flush=True)
    with timed(f"make {args.signatures:,} signatures ({online_n:,} online, signed here; not a target)"):
        sigs = paper_signatures(args.signatures - online_n, n, rng, d)
        sigs += online_signatures(online_n, n, rng, d, args.signatures - online_n)
    with timed(f"match {args.signatures:,} signatures against {n:,} persons", 60 if n >= 12_000_000 else None):
        got = match_signatures(petition(FullCheck(), 1), sigs, (), reg, name_key, district)
    counts = got.counts
    print("  verdicts: " + ", ".join(f"{s.value} {counts[s]:,}" for s in MatchStatus if counts[s]), flush=True)
    big = args.sample_petition
    d = district_size(n, big)
    district = frozenset(f"P{i:04d}" for i in range(d))
    with timed(f"make a {big:,}-signature petition (not a target)"):
        pool = paper_signatures(big, n, rng, d)
    rule = RandomSample()
    required = int(Fraction(60, 100) * big)  # about 80% valid: qualifies on the sample
    with timed(f"verify {big:,} signatures by random sample", 10):
        v = verify_petition(petition(rule, required), pool, (), reg, name_key, district, n, SEED)
    e = v.estimate
    assert e is not None
    print(
        f"  sample {e.sample:,}: {e.valid:,} valid, {e.duplicates} duplicates, projected {e.projected:,} "
        f"({e.ci_low:,}..{e.ci_high:,}); zone {v.zone}; {v.outcome.words[:60]}…",
        flush=True,
    )


if __name__ == "__main__":
    main()
