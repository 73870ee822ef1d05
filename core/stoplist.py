"""The stop list applied to a send: every sender calls :func:`without_stopped` on the
numbers it is about to POST, so a number on the list never receives an SMS, whichever
way the send was made (a book, typed numbers, a file, a repeat, a schedule)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from storage import Storage

# A list this long is filtered in a worker thread, so other users' taps are not held up.
IN_THREAD_FROM = 50_000


async def without_stopped(store: Storage, phones: Sequence[str]) -> tuple[list[str], int]:
    """The canonical numbers of ``phones`` that are not on the stop list, in their
    order, and how many were left out."""
    stopped = await store.stop_list.phones()
    if not stopped:
        return (phones if isinstance(phones, list) else list(phones)), 0
    if len(phones) >= IN_THREAD_FROM:
        kept = await asyncio.to_thread(_kept, phones, stopped)
    else:
        kept = _kept(phones, stopped)
    return kept, len(phones) - len(kept)


def _kept(phones: Sequence[str], stopped: frozenset[str]) -> list[str]:
    return [phone for phone in phones if phone not in stopped]
