"""The pure cryptographic core: ristretto255 group, hashing, ElGamal, proofs, key ceremony, ballots, tally.

No I/O except loading libsodium (bundled by the pinned ``rbcl``); randomness is always injected as an
``Rng``. The construction is specified in spec/crypto.md; import from the submodules.
"""

__all__: list[str] = []
