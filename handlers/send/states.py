"""The steps of the send conversation. The FSM data holds only the draft's id and a few
small flags; everything the user chose is in the draft row (storage/drafts.py)."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup

from storage import Storage


class SendForm(StatesGroup):
    recipients = State()
    text = State()
    time = State()
    summary = State()


# Keys of the FSM data this feature owns.
DRAFT_ID = "send_draft_id"
VALID = "send_valid"  # valid numbers in the chosen recipients
INVALID = "send_invalid"  # numbers (or book contacts) left out as invalid
EDITING = "send_editing"  # a step opened from the summary returns to it
PROMPT_ID = "send_prompt_id"  # the step's question, whose buttons go when the step ends
SAVED_TEXT = "send_saved_text"  # hash of the text last saved as a template

KEYS = (DRAFT_ID, VALID, INVALID, EDITING, PROMPT_ID, SAVED_TEXT)


async def abandon_draft(state: FSMContext, store: Storage) -> bool:
    """Abandon the conversation's draft (if still pending) and forget this feature's FSM
    data; True if a draft was abandoned. For /cancel, a new draft, a changed role."""
    data = await state.get_data()
    draft_id = data.get(DRAFT_ID)
    abandoned = isinstance(draft_id, str) and await store.drafts.abandon(draft_id)
    if any(key in data for key in KEYS):
        await state.set_data({key: value for key, value in data.items() if key not in KEYS})
    return abandoned
