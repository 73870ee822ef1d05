"""Everyone without a role ends up here (the access gate sends them), never in a feature
router: they can ask for access and nothing else, so no SMS API request is ever made for
them.

The stranger hears at once, through the outbox (a flood of strangers is answered within
Telegram's limits, every one of them); the admins' boards show the request a moment later.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from aiogram.types import ReplyKeyboardRemove, Update

from handlers.access.board import PendingBoard
from handlers.common.context import Context
from handlers.common.formatting import format_moment
from storage import AccessRequest, RequestStatus

log = logging.getLogger(__name__)

# A denied stranger may ask again this long after the denial (the texts say "24 hours").
DENIAL_COOLDOWN = timedelta(hours=24)
NO_MENU = ReplyKeyboardRemove()


async def handle_stranger(event: Update, ctx: Context, board: PendingBoard) -> None:
    if event.callback_query is not None:  # an old keyboard or forged data
        await event.callback_query.answer(ctx.t("access.no_access"), show_alert=True)
        return
    if event.message is None:  # edits, chat member changes: nothing to answer
        return
    t = ctx.t
    denial = await _denial_in_force(ctx)
    if denial is not None and denial.decided_at is not None:
        again = format_moment(denial.decided_at + DENIAL_COOLDOWN, ctx.tz)
        await _say(ctx, t("access.denied_wait", moment=again))
        return
    request, created = await ctx.store.access_requests.create_if_absent(ctx.user_id)
    if not created:
        await _say(ctx, t("access.pending"))
        return
    log.info("Access request %s from user %s", request.id, ctx.user_id)
    board.changed()
    await _say(ctx, t("access.requested"))


async def _say(ctx: Context, text: str) -> None:
    delivery = await ctx.outbox.send(ctx.chat_id, text, keyboard=NO_MENU)
    if not delivery.shown:
        log.warning("User %s was not answered: %s", ctx.user_id, delivery.outcome.value)


async def _denial_in_force(ctx: Context) -> AccessRequest | None:
    """The denial that still stands (less than DENIAL_COOLDOWN old), if any."""
    latest = await ctx.store.access_requests.latest(ctx.user_id)
    if latest is None or latest.status is not RequestStatus.DENIED or latest.decided_at is None:
        return None
    return latest if ctx.now() < latest.decided_at + DENIAL_COOLDOWN else None
