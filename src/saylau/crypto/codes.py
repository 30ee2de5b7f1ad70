"""The stable error codes of the cryptographic core (spec/formats.md §15; the objects: spec/crypto.md).

Besides the codes raised by name, a proof, share or ballot that does not verify raises ``crypto_<failure>``
(``VerificationError``, the tally's share check) for each :class:`saylau.crypto.errors.FailureCode`; the
``VERIFY_``-commented members below are those. The verdict codes themselves (``bad_challenge``, ...) are
``details.failure`` values and stay in ``FailureCode``.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CryptoCode"]


class CryptoCode(StrEnum):
    """Codes raised by saylau.crypto."""

    CRYPTO = "crypto"  # CryptoError without a finer code
    CRYPTO_ENCODING = "crypto_encoding"  # EncodingError without a finer code: not the canonical encoding
    CRYPTO_VERIFICATION = "crypto_verification"  # VerificationError's class default (raised codes: crypto_<failure>)
    CRYPTO_DLOG_NOT_FOUND = "crypto_dlog_not_found"  # a decrypted element is not m·G for any m in the searched range
    # group elements, scalars, digests (spec/crypto.md)
    CRYPTO_ELEMENT_LENGTH = "crypto_element_length"  # a group element that is not 32 bytes
    CRYPTO_ELEMENT_INVALID = "crypto_element_invalid"  # not a canonical ristretto255 encoding
    CRYPTO_ELEMENT_IDENTITY = "crypto_element_identity"  # the identity element where it is not allowed
    CRYPTO_SCALAR_LENGTH = "crypto_scalar_length"  # a scalar that is not 32 bytes
    CRYPTO_SCALAR_NONCANONICAL = "crypto_scalar_noncanonical"  # a scalar encoding >= the group order
    CRYPTO_SCALAR_RANGE = "crypto_scalar_range"  # a scalar outside [0, l)
    CRYPTO_SCALAR_ZERO = "crypto_scalar_zero"  # the inverse of zero asked for
    CRYPTO_DIGEST_LENGTH = "crypto_digest_length"  # a wide reduction given other than 64 bytes
    CRYPTO_CREDENTIAL_LENGTH = "crypto_credential_length"  # a voter credential that is not 32 bytes
    CRYPTO_HASH_PART = "crypto_hash_part"  # a value that is not a hashable part (a boolean, a negative int, ...)
    CRYPTO_PLAINTEXT_RANGE = "crypto_plaintext_range"  # a plaintext negative or outside the range to prove
    CRYPTO_RNG = "crypto_rng"  # the random source returned the wrong number of bytes
    # the public seed and the SHA-256 sampler (spec/audit.md §7), shared by the audit and the petitions
    BAD_SEED = "bad_seed"  # a seed that is not exactly 20 ASCII decimal digits
    SAMPLER_BAD_ITEMS = "sampler_bad_items"  # items twice or out of byte order, or weights not >= 0 summing > 0
    # the JSON codec of public objects
    CRYPTO_JSON_SYNTAX = "crypto_json_syntax"  # not JSON
    CRYPTO_JSON_DUPLICATE = "crypto_json_duplicate"  # a key twice in one object
    CRYPTO_JSON_FLOAT = "crypto_json_float"  # a float where only integers are allowed
    CRYPTO_JSON_TYPE = "crypto_json_type"  # a value or class that is not of a public type
    CRYPTO_JSON_SHAPE = "crypto_json_shape"  # JSON of the wrong shape for its type; details.path
    # ballots
    BAD_BALLOT_ID = "bad_ballot_id"  # a ballot id not of the form C§7.9 (1 to 64 of a-z, 0-9, '-')
    CRYPTO_BAD_QUESTION = "crypto_bad_question"  # a question spec that cannot be encrypted
    CRYPTO_BAD_CHOICE = "crypto_bad_choice"  # choices that are not one 0/1 per option within the selection bounds
    CRYPTO_BAD_SHAPE = "crypto_bad_shape"  # a ballot or question of another shape (also VERIFY: BAD_SHAPE)
    CRYPTO_BAD_OPENING = "crypto_bad_opening"  # the secrets of another ballot given to open this one
    # key ceremony and threshold decryption
    CRYPTO_BAD_QUORUM = "crypto_bad_quorum"  # not 1 <= quorum <= guardians
    CRYPTO_BAD_GUARDIAN = "crypto_bad_guardian"  # a guardian index out of range
    CRYPTO_BAD_GUARDIAN_SET = "crypto_bad_guardian_set"  # a set of present guardians that is not valid
    CRYPTO_BAD_SHARE_SET = "crypto_bad_share_set"  # key shares for another guardian, duplicated, or not matching
    CRYPTO_QUORUM_NOT_MET = "crypto_quorum_not_met"  # fewer guardians present than the quorum
    CRYPTO_SHARE_MISADDRESSED = "crypto_share_misaddressed"  # an exchanged share not addressed to this guardian
    CRYPTO_SHARE_UNSIGNED = "crypto_share_unsigned"  # an exchanged share without its sender's valid signature
    # crypto_<failure>: a verification failed (details: failure, where)
    CRYPTO_BAD_CHALLENGE = "crypto_bad_challenge"  # VERIFY: a Fiat–Shamir challenge differs from the recomputed hash
    CRYPTO_BAD_SIGNATURE = "crypto_bad_signature"  # VERIFY: a signature does not verify
    CRYPTO_BAD_SHARE = "crypto_bad_share"  # VERIFY: a key share does not match the published commitments
    CRYPTO_IDENTITY = "crypto_identity"  # VERIFY: the identity element where it is forbidden
    CRYPTO_MISMATCH = "crypto_mismatch"  # VERIFY: a recomputed value differs from the published one
    CRYPTO_OUT_OF_RANGE = "crypto_out_of_range"  # VERIFY: a value out of its range
    CRYPTO_UNKNOWN_GUARDIAN = "crypto_unknown_guardian"  # VERIFY: a share from a guardian not in the ceremony
