"""Following a dispatch: tracked for the poller, with this user among its subscribers."""

from __future__ import annotations

from core.sms import Dispatch
from storage import Storage


async def follow(store: Storage, dispatch: Dispatch, user_id: int) -> bool:
    """Track the dispatch (as made elsewhere if the bot does not know it) and subscribe
    the user; False when they already followed it."""
    _, added = await store.dispatches.track(
        dispatch.id, None, "", dispatch.text or "", dispatch.date_send
    )
    if added:
        # What the user is shown now is the first observation: the poller reports
        # changes from here on, not the status they have just seen.
        await store.dispatches.record_observation(
            dispatch.id,
            dispatch.status_raw,
            dispatch.messages_sent or 0,
            dispatch.messages_delivered or 0,
            dispatch.messages_count or 0,
            dispatch.is_final,
            None,
        )
    return await store.subscriptions.subscribe(dispatch.id, user_id)
