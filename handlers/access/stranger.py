"""Everyone without a role ends up here (the access gate sends them), never in a feature
router: they can ask for access and nothing else, so no SMS API request is ever made for
them."""

from __future__ import annotations

import logging
from datetime import timedelta

from aiogram.types import ReplyKeyboardRemove, Update

from handlers.access.render import decision_keyboard, request_text
from handlers.common.admin_alerts import alert_admins
from handlers.common.context import Context
from handlers.common.formatting import format_moment
from storage import AccessRequest, RequestStatus

log = logging.getLogger(__name__)

# A denied stranger may ask again this long after the denial (the texts say "24 hours").
DENIAL_COOLDOWN = timedelta(hours=24)
NO_MENU = ReplyKeyboardRemove()


async def handle_stranger(event: Update, ctx: Context) -> None:
    if event.callback_query is not None:  # an old keyboard or forged data
        await event.callback_query.answer(ctx.t("access.no_access"), show_alert=True)
        return
    if event.message is None:  # edits, chat member changes: nothing to answer
        return
    t = ctx.t
    denial = await _denial_in_force(ctx)
    if denial is not None and denial.decided_at is not None:
        again = format_moment(denial.decided_at + DENIAL_COOLDOWN, ctx.tz)
        await event.message.answer(t("access.denied_wait", moment=again), reply_markup=NO_MENU)
        return
    request, created = await ctx.store.access_requests.create_if_absent(ctx.user_id)
    if not created:
        await event.message.answer(t("access.pending"), reply_markup=NO_MENU)
        return
    # The stranger hears at once; the admins' alerts queue in the outbox.
    await event.message.answer(t("access.requested"), reply_markup=NO_MENU)
    await _tell_admins(ctx, request)


async def _tell_admins(ctx: Context, request: AccessRequest) -> None:
    told = await alert_admins(
        ctx.outbox,
        ctx.store,
        ctx.settings.ADMIN_IDS,
        lambda admin_t: request_text(admin_t, request, ctx.user),
        lambda admin_t: decision_keyboard(admin_t, request.id),
    )
    if not told:
        log.warning("Access request %s reached no admin", request.id)


async def _denial_in_force(ctx: Context) -> AccessRequest | None:
    """The denial that still stands (less than DENIAL_COOLDOWN old), if any."""
    latest = await ctx.store.access_requests.latest(ctx.user_id)
    if latest is None or latest.status is not RequestStatus.DENIED or latest.decided_at is None:
        return None
    return latest if ctx.now() < latest.decided_at + DENIAL_COOLDOWN else None
