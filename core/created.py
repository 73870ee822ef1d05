"""A create the operator accepted is never lost: written at once, tried again a few times,
and otherwise kept aside (``storage.PendingCreates``) and written at the poller's next
cycles or at the next start, before stuck drafts are looked at."""

from __future__ import annotations

import asyncio
import logging
import sqlite3

from storage import CreatedDispatch, Storage

log = logging.getLogger(__name__)

# A lock held by another process or a disk that was full a moment ago: worth a couple of
# quick tries before the person is told and the write waits for later.
QUICK_TRIES = (0.0, 0.5)
DATABASE_FAILURES = (sqlite3.Error, OSError)


async def keep_created(store: Storage, created: CreatedDispatch) -> bool:
    """Write ``created``; False if the database refused every try (it is then kept aside,
    and written later by :func:`write_pending_creates`)."""
    for pause in QUICK_TRIES:
        await asyncio.sleep(pause)
        try:
            await store.created.record(created)
            return True
        except DATABASE_FAILURES as error:
            failure = error
    log.error(
        "Dispatch %s was created but the database refused it (%s); kept to write later",
        created.dispatch_id,
        failure,
    )
    store.pending_creates.add(created)
    return False


async def write_pending_creates(store: Storage) -> int:
    """Write the creates kept aside; returns how many are still waiting."""
    for created in store.pending_creates.items():
        try:
            await store.created.record(created)
        except DATABASE_FAILURES as error:
            log.warning("Dispatch %s still not written: %s", created.dispatch_id, error)
            continue
        store.pending_creates.remove(created.draft_id)
        log.info("Dispatch %s of draft %s written at last", created.dispatch_id, created.draft_id)
    return len(store.pending_creates.items())
