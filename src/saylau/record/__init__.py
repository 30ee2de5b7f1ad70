"""The public election record: hash-chained events and their canonical encoding (spec/record.md).

Pure: plain values in, plain values out. Import from the submodules.
"""

__all__: list[str] = []
