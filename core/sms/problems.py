"""What the SMS API answered that the bot could not read, said without secrets or
personal data: the endpoint, the field, what the reference promises, what came.

The client keeps the problems it met (:class:`ProblemBook`); the poller's format watch
tells the admins about each new one (``core/watch/formats.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class FormatProblem:
    endpoint: str  # "GET finance/balance"
    field: str  # "creditLimit.dateStart"; "answer" for the whole body
    expected: str  # what the reference promises
    got: str  # what came, described: a type and a shape, never a person's data

    @property
    def key(self) -> str:
        return f"{self.endpoint}|{self.field}"


def describe(value: Any, *, personal: bool = False) -> str:
    """A value as a problem report may show it. ``personal`` values (phone numbers,
    texts, names) are described by their type and length only."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float | Decimal):
        return "a number" if personal else f"the number {value}"
    if isinstance(value, str):
        if personal or len(value) > 40:
            return f"text of {len(value)} characters"
        return f"the text {value!r}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "an object" if not value else f"an object with {', '.join(sorted(value)[:5])}"
    return type(value).__name__


class ProblemBook:
    """The problems met so far, each once by endpoint and field, newest description kept."""

    def __init__(self) -> None:
        self._known: dict[str, FormatProblem] = {}
        self._new: dict[str, FormatProblem] = {}

    def note(self, problem: FormatProblem) -> None:
        if self._known.get(problem.key) != problem:
            self._known[problem.key] = problem
            self._new[problem.key] = problem

    def take_new(self) -> list[FormatProblem]:
        """Problems noted (or changed) since the last call."""
        new, self._new = list(self._new.values()), {}
        return new

    def all(self) -> list[FormatProblem]:
        return list(self._known.values())
