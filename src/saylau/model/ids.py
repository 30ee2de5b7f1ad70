"""Identifiers with their own types, so a unit code is never passed where a question code is meant."""

from typing import NewType

__all__ = ["EventCode", "Operator", "QuestionCode", "UnitCode"]

UnitCode = NewType("UnitCode", str)
QuestionCode = NewType("QuestionCode", str)
EventCode = NewType("EventCode", str)
Operator = NewType("Operator", str)
