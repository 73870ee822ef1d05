"""Reading one dispatch for a person: from the SMS API, and what it said recorded, so that
the list shows what the card just showed (``core/watch/seen.py``)."""

from __future__ import annotations

from core.sms import Dispatch
from core.watch.seen import note_seen
from handlers.common.context import Context
from handlers.common.replies import within_tap_budget


async def read_dispatch(ctx: Context, dispatch_id: int, *, for_tap: bool = True) -> Dispatch:
    """The dispatch as the server has it now. ``for_tap``: within the tap budget, so that
    the tap can still be answered. Raises SmsApiError (ServiceUnavailable past the budget)."""
    read_at = ctx.clock.now()
    reading = ctx.sms.dispatch(dispatch_id)
    dispatch = await (within_tap_budget(reading) if for_tap else reading)
    await note_seen(ctx.store, dispatch, read_at)
    return dispatch
