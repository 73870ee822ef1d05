"""The requester's side: their summary, which said it waits, becomes the dispatch's live
card once an admin approves (as a confirm makes it), or says it was rejected or expired.
Through the outbox: the requester is not the person being answered."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from aiogram.types import InlineKeyboardMarkup

from core.clock import Clock
from core.settings import Settings
from core.sms import SmsApiClient, SmsApiError
from core.watch.delivery import Outcome
from core.watch.statuses import render_key
from handlers.approval.render import approved_notice, created_line, requester_summary
from handlers.common.i18n import Translator, user_translator
from handlers.common.outbox import Outbox
from handlers.notify.render import live_card
from storage import ApprovalRequest, Notice, Role, Storage

log = logging.getLogger(__name__)

CARD_WAIT_SECONDS = 5.0


async def tell_closed(
    outbox: Outbox,
    store: Storage,
    settings: Settings,
    request: ApprovalRequest,
    line: Callable[[Translator], str],
) -> None:
    """The requester's summary, with ``line`` (rejected, expired, not known) under it."""
    draft = await store.drafts.get(request.draft_id)
    if draft is None:
        return
    t = user_translator(await store.users.get(request.requester_id))
    text = requester_summary(t, draft, request, settings.timezone, line(t))
    await _show(outbox, request, text)


async def become_card(
    outbox: Outbox,
    store: Storage,
    sms: SmsApiClient,
    settings: Settings,
    clock: Clock,
    request: ApprovalRequest,
    dispatch_id: int,
    recipients: str,
    approver: str,
) -> None:
    """The summary becomes the dispatch's card, the message the poller edits as the
    dispatch moves (the requester's status message), as after their own confirm."""
    profile = await store.users.get(request.requester_id)
    t = user_translator(profile)
    role = profile.role if profile is not None else None
    if request.requester_id in settings.ADMIN_IDS:
        role = Role.ADMIN
    notice = approved_notice(t, approver)
    try:
        async with asyncio.timeout(CARD_WAIT_SECONDS):
            dispatch = await sms.dispatch(dispatch_id)
    except (SmsApiError, TimeoutError) as error:
        log.info("Card of approved dispatch %d not fetched: %s", dispatch_id, type(error).__name__)
        await _show(outbox, request, f"{notice}\n{t('send.sent_line', id=dispatch_id)}")
        return
    line = created_line(t, dispatch.id, dispatch.date_send, clock.now(), settings.timezone)
    text, keyboard = live_card(
        t, dispatch, recipients, role, settings.timezone, made_here=True,
        notice=f"{notice}\n{line}",
    )  # fmt: skip
    message_id = await _show(outbox, request, text, keyboard)
    if message_id is not None:
        await store.notices.save(
            Notice(dispatch_id, request.requester_id, message_id, render_key(dispatch))
        )


async def _show(
    outbox: Outbox,
    request: ApprovalRequest,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
) -> int | None:
    """Edit the requester's summary, or send anew when it is gone; the message's id."""
    if request.message_id is not None:
        delivery = await outbox.edit(request.chat_id, request.message_id, text, keyboard=keyboard)
        if delivery.outcome in (Outcome.SENT, Outcome.UNCHANGED):
            return request.message_id
        if delivery.outcome is not Outcome.GONE:
            return None
    delivery = await outbox.send(request.chat_id, text, keyboard=keyboard)
    return delivery.message_id
