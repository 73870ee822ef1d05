"""Leaving whatever conversation a user is in (``/cancel``, ``/start``, a revoked user)."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext

from storage import Storage


async def leave_conversation(state: FSMContext, store: Storage) -> bool:
    """Abandon the send draft, if any, and clear the state; True if there was a conversation."""
    current = await state.get_state()
    if current is None and not await state.get_data():
        return False
    # Imported here: the send feature imports the menu and more, and may not exist yet.
    from handlers import send as send_feature

    if hasattr(send_feature, "abandon_current_draft"):
        await send_feature.abandon_current_draft(state, store)
    await state.clear()
    return current is not None
