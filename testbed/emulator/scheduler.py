"""The queue of dispatch steps that are due, kept in time order across all dispatches."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator
from datetime import datetime

from .lifecycle import next_event_at
from .models import Dispatch


class StepQueue:
    """Pending steps ordered by time, so money is spent in the order dispatches tariff.

    A dispatch changed by hand gets a new epoch; its older entries are skipped.
    """

    def __init__(self) -> None:
        self._heap: list[tuple[datetime, int, int, Dispatch]] = []
        self._order = itertools.count()

    def watch(self, dispatch: Dispatch) -> None:
        """Remember the dispatch's next step, if it has one."""
        due = next_event_at(dispatch)
        if due is not None:
            heapq.heappush(self._heap, (due, next(self._order), dispatch.epoch, dispatch))

    def due(self, now: datetime) -> Iterator[tuple[datetime, Dispatch]]:
        """Pop the steps due by ``now``, earliest first; steps watched meanwhile count too."""
        heap = self._heap
        while heap and heap[0][0] <= now:
            at, _, epoch, dispatch = heapq.heappop(heap)
            if epoch == dispatch.epoch and next_event_at(dispatch) == at:
                yield at, dispatch
