"""The steps of the send conversation and what the FSM keeps between them.

The FSM data holds the draft's id and a few small things; everything the user chose is
in the draft row (storage/drafts.py), so a restart loses nothing. A draft is *parked*
when the user turns to another command or menu button mid-way: the step is remembered,
the conversation stops listening, and /send offers it back.
"""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup

from storage import Storage


class SendForm(StatesGroup):
    recipients = State()
    text = State()
    paste = State()  # a text that came in several messages, waiting to be accepted
    time = State()
    summary = State()


# Keys of the FSM data this feature owns.
DRAFT_ID = "send_draft_id"
VALID = "send_valid"  # valid numbers in the chosen recipients
INVALID = "send_invalid"  # numbers (or book contacts) left out as invalid
STOPPED = "send_stopped"  # valid numbers the stop list leaves out
EDITING = "send_editing"  # a step opened from the summary returns to it
PROMPT_ID = "send_prompt_id"  # the wizard message: edited by taps, its buttons closed after
SAVED_TEXT = "send_saved_text"  # hash of the text last saved as a template
NOTE = "send_note"  # HTML shown once on the next step (what a book or a list left out)
PARTS = "send_text_parts"  # a long text's parts as Telegram split it, in order
PASTE_ROUND = "send_paste_round"  # which wait for more parts is the current one
PARKED = "send_parked_step"  # the step a parked draft returns to

KEYS = (
    DRAFT_ID, VALID, INVALID, EDITING, PROMPT_ID, SAVED_TEXT, NOTE, PARTS, PASTE_ROUND, PARKED,
    STOPPED,
)  # fmt: skip


async def abandon_draft(state: FSMContext, store: Storage) -> bool:
    """Abandon the conversation's draft (if still pending) and forget this feature's FSM
    data; True if a draft was abandoned. For /cancel, a new draft, a changed role."""
    data = await state.get_data()
    draft_id = data.get(DRAFT_ID)
    abandoned = isinstance(draft_id, str) and await store.drafts.abandon(draft_id)
    if any(key in data for key in KEYS):
        await state.set_data({key: value for key, value in data.items() if key not in KEYS})
    return abandoned


async def park_draft(state: FSMContext) -> bool:
    """Stop listening for the draft's step, remembering it for /send; True if parked."""
    step = await state.get_state()
    if step is None or step not in SendForm:
        return False
    # A paste waiting to be accepted goes back to its question: the text is asked again.
    await state.update_data(
        {PARKED: SendForm.text.state if step == SendForm.paste.state else step, PARTS: None}
    )
    await state.set_state(None)
    return True
