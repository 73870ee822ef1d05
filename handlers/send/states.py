"""The steps of the send conversation. The FSM data holds only the draft's id and a few
small flags; everything the user chose is in the draft row (storage/drafts.py)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


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
