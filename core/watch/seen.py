"""What a read of a dispatch taught, recorded for everyone: lists show what the last card
showed, and a change the poller has not seen yet makes it look at the next cycle."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime

from core.sms import Dispatch
from storage import KnownState, Storage

log = logging.getLogger(__name__)


def known_state(dispatch: Dispatch) -> KnownState:
    return KnownState(
        dispatch.status_raw,
        dispatch.messages_count or 0,
        dispatch.messages_sent or 0,
        dispatch.messages_delivered or 0,
    )


async def note_seen(store: Storage, dispatch: Dispatch, read_at: datetime) -> None:
    """Record ``dispatch`` as read at ``read_at`` (when the request began). Only a display
    hint: a failing database is logged, never in the way of the answer the read was for."""
    try:
        state = known_state(dispatch)
        await store.dispatches.note_seen(dispatch.id, state, dispatch.date_send, read_at)
    except (sqlite3.Error, OSError) as error:
        log.warning("Dispatch %s read but not recorded: %s", dispatch.id, error)
