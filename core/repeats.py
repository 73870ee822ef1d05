"""A send that repeats one made minutes ago: the same text to the same recipients. Often a
person who did not see the first one go (a lost answer, a slow phone, a database that
failed right after the create); the bot says so and asks for a second, explicit yes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage import Draft, DraftState, Storage

REPEAT_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class EarlierSend:
    dispatch_id: int | None  # None: not known (the answer was lost, or not written yet)
    state: DraftState  # sent, unknown, or sending (still going, or not written yet)
    at: datetime


def same_recipients(one: Draft, other: Draft) -> bool:
    if one.book_id is not None or other.book_id is not None:
        return one.book_id == other.book_id
    return sorted(one.phones) == sorted(other.phones)


async def earlier_same(store: Storage, draft: Draft, now: datetime) -> EarlierSend | None:
    """The newest send of the same text to the same recipients in the last minutes."""
    if not draft.text:
        return None
    candidates = await store.drafts.gone_out_since(draft.text, now - REPEAT_WINDOW, draft.id)
    kept = {created.draft_id: created.dispatch_id for created in store.pending_creates.items()}
    for earlier in candidates:
        if same_recipients(draft, earlier):
            number = earlier.dispatch_id or kept.get(earlier.id)
            return EarlierSend(number, earlier.state, earlier.updated_at)
    return None
