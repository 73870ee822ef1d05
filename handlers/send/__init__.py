"""The send conversation (/send): recipients, text, time, summary, exactly one dispatch.

Observers are answered by ``readonly``; everyone who may send goes through the step
routers, and ``hints`` (last) answers what no step could use.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext

from handlers.common.roles import can_send
from handlers.send import (
    calendar,
    confirm,
    entry,
    hints,
    readonly,
    recipients,
    recovery,
    repeat,
    schedule,
    summary,
    text_step,
)
from handlers.send.flow import FlowMiddleware
from handlers.send.states import DRAFT_ID, KEYS
from storage import Storage

__all__ = ["abandon_current_draft", "router"]

router = Router(name="send")
router.message.middleware(FlowMiddleware())
router.callback_query.middleware(FlowMiddleware())
router.startup.register(recovery.on_startup)

senders = Router(name="send.senders")
senders.message.filter(can_send)
senders.callback_query.filter(can_send)
senders.include_routers(
    entry.router,
    recipients.router,
    text_step.router,
    schedule.router,
    calendar.router,
    summary.router,
    confirm.router,
    repeat.router,
    hints.router,  # last: what none of the steps could use
)
router.include_routers(readonly.router, senders)


async def abandon_current_draft(state: FSMContext, store: Storage) -> bool:
    """For /cancel: abandon the conversation's draft (if still pending) and drop this
    feature's FSM data. True if a draft was abandoned."""
    data = await state.get_data()
    draft_id = data.get(DRAFT_ID)
    abandoned = isinstance(draft_id, str) and await store.drafts.abandon(draft_id)
    if any(key in data for key in KEYS):
        await state.set_data({key: value for key, value in data.items() if key not in KEYS})
    return abandoned
