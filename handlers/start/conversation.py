"""Leaving whatever conversation a user is in (``/cancel``, ``/start``, a changed role)."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext

from handlers.send.states import abandon_draft, park_draft
from storage import Storage


async def leave_conversation(state: FSMContext, store: Storage) -> bool:
    """Abandon the send draft, if any, and clear the state; True if there was a conversation."""
    current = await state.get_state()
    if current is None and not await state.get_data():
        return False
    await abandon_draft(state, store)
    await state.clear()
    return current is not None


async def step_out(state: FSMContext) -> None:
    """Whatever the user was being asked is no longer asked; a send draft is parked, to be
    offered back by /send."""
    if not await park_draft(state) and await state.get_state() is not None:
        await state.set_state(None)
