"""The end-to-end verifiable election: record, ceremony, casting, intake, board, tally, export."""

__all__: list[str] = []
