"""Accounts, sessions, second factors and login throttles: who may act, and how they prove it."""

__all__: list[str] = []
