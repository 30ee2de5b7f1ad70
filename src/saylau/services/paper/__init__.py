"""The paper count of one event: definition, territory, protocols, lifecycle, results, publication."""

__all__: list[str] = []
