"""Hand-built good and bad inputs for the parser, the group layer, the hash encoding and the tally maths."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau_verify.crypto.group import (
    ELL,
    GENERATOR,
    IDENTITY,
    GroupError,
    add,
    base_mul,
    decode_element,
    decode_scalar,
    mul,
)
from saylau_verify.crypto.hashing import Element, Scalar, enc
from saylau_verify.crypto.proofs import verify_chaum_pedersen
from saylau_verify.crypto.threshold import combine, dlog_equals, lagrange, share_key
from saylau_verify.jsonread import ParseError, element, obj, parse_canonical, scalar


@pytest.mark.parametrize(
    "text",
    [
        '{"a":1,"a":2}',
        '{"b":1,"a":2}',
        '{"a": 1}',
        '{"a":1.0}',
        '{"a":true}',
        '{"a":null}',
        '{"a":NaN}',
        '{"a":"\\u00e9"}',
        "[1,2",
        '{"a":01}',
    ],
)
def test_parse_canonical_rejects(text: str) -> None:
    with pytest.raises(ParseError):
        parse_canonical(text)


def test_parse_canonical_accepts() -> None:
    assert parse_canonical('{"a":[1,"é"],"b":{}}') == {"a": [1, "é"], "b": {}}


def test_obj_names_missing_and_unknown_keys() -> None:
    with pytest.raises(ParseError, match=r"\$\.x: keys differ \(missing \['b'\], unknown \['c'\]\)"):
        obj({"a": 1, "c": 2}, "$.x", {"a", "b"})


def test_element_and_scalar_decoding() -> None:
    g = GENERATOR.hex()
    assert element(g, "p") == GENERATOR
    for bad in (g.upper(), g[:-2], g + "00", "ff" * 32, "0" * 64):
        with pytest.raises(ParseError):
            element(bad, "p")
    assert element("0" * 64, "p", allow_identity=True) == IDENTITY
    assert scalar((ELL - 1).to_bytes(32, "little").hex(), "s") == ELL - 1
    with pytest.raises(ParseError):
        scalar(ELL.to_bytes(32, "little").hex(), "s")
    with pytest.raises(GroupError):
        decode_scalar(b"\x00" * 31)
    with pytest.raises(GroupError):
        decode_element(bytes(32))


def test_encoding_refuses_bool_negative_and_floats() -> None:
    for bad in (True, -1, 1.5):
        with pytest.raises((TypeError, ValueError)):
            enc(bad)  # type: ignore[arg-type]
    assert enc(Scalar(1)) != enc(1)
    assert enc(Element(GENERATOR)) != enc(GENERATOR)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, ELL - 1), st.integers(1, ELL - 1))
def test_group_laws(a: int, b: int) -> None:
    assert add(base_mul(a), base_mul(b)) == base_mul((a + b) % ELL)
    assert mul(b, base_mul(a)) == base_mul(a * b % ELL)


def _shamir(secret: int, coefficient: int, j: int) -> int:
    return (secret + coefficient * j) % ELL


def test_threshold_decryption_by_hand() -> None:
    """t = 2 of n = 3 with hand-made shares: combine any pair; a wrong image or count is refused."""
    secret, coeff = 1234567, 7654321
    commitments = [[base_mul(secret), base_mul(coeff)]]
    key = commitments[0][0]
    m, r = 5, 99
    alpha, beta = base_mul(r), add(base_mul(m), mul(r, key))
    images = {j: mul(_shamir(secret, coeff, j), alpha) for j in (1, 2, 3)}
    for present in ([1, 2], [1, 3], [2, 3], [1, 2, 3]):
        point = combine(beta, [(j, images[j]) for j in present])
        assert dlog_equals(point, m)
        assert not dlog_equals(point, m + 1)
    assert share_key(commitments, 2) == base_mul(_shamir(secret, coeff, 2))
    assert sum(lagrange([1, 2, 3], j) for j in (1, 2, 3)) % ELL == 1
    bad = combine(beta, [(1, images[1]), (2, images[3])])
    assert not dlog_equals(bad, m)
    assert dlog_equals(IDENTITY, 0)


def test_chaum_pedersen_by_hand() -> None:
    x, w, base = 4242, 777, base_mul(31337)
    public, image = base_mul(x), mul(x, base)
    context = ("e" * 64, ("tally", 0, 1, "partial-decryption", 2, Element(base)))
    from saylau_verify.crypto.hashing import h_scalar

    c = h_scalar(
        "chaum-pedersen",
        context[0],
        context[1],
        Element(GENERATOR),
        Element(public),
        Element(base),
        Element(image),
        Element(base_mul(w)),
        Element(mul(w, base)),
    )
    u = (w + c * x) % ELL
    assert verify_chaum_pedersen(public, base, image, c, u, context)
    assert not verify_chaum_pedersen(public, base, add(image, GENERATOR), c, u, context)
    assert not verify_chaum_pedersen(public, base, image, c, u, ("e" * 64, ()))
