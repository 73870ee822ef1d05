"""Failures planned by a test: the next call to a method gets a chosen error answer."""

from __future__ import annotations

from collections import defaultdict, deque

from .errors import ApiError, too_many_requests


class FaultPlan:
    """One-shot failures per method, used in the order they were planned."""

    def __init__(self) -> None:
        self._planned: defaultdict[str, deque[ApiError]] = defaultdict(deque)

    def fail_next(
        self,
        method: str,
        status: int,
        description: str,
        retry_after: int | None = None,
    ) -> None:
        self._planned[method.lower()].append(ApiError(status, description, retry_after))

    def retry_after_next(self, method: str, seconds: int) -> None:
        self._planned[method.lower()].append(too_many_requests(seconds))

    def take(self, method: str) -> ApiError | None:
        planned = self._planned.get(method.lower())
        return planned.popleft() if planned else None

    def pending(self) -> dict[str, int]:
        return {method: len(queue) for method, queue in self._planned.items() if queue}
