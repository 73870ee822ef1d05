"""Re-run under a group's not-enough-money alert, checked against whoever pressed it.

A group holds people of every role and people who are not users at all, and callback
data can be forged, so the presser's own role and authority decide (``ctx`` is theirs):
a stranger and an observer get a toast saying why, and nothing happens; a manager who
may not change this dispatch is told so; whoever may gets the usual question (card,
"yes" with its one-time token) in their private chat, where sends and changes stay.
The group's message does not change.
"""

from __future__ import annotations

from dataclasses import replace

from aiogram.types import CallbackQuery

from core.sms import SmsApiError
from handlers.common.callbacks import CardAction
from handlers.common.card import RUNNABLE
from handlers.common.context import Context
from handlers.common.ids import is_api_id
from handlers.common.replies import answer, explain_failure, within_tap_budget
from handlers.common.roles import CAN_SEND
from handlers.common.status import status_label
from handlers.dispatches.authority import authority_over
from handlers.dispatches.screens import confirmation_screen
from handlers.groups.callbacks import GroupRerunCallback


async def rerun_tapped(
    query: CallbackQuery, callback_data: GroupRerunCallback, ctx: Context
) -> None:
    bot = f"@{(await ctx.bot.me()).username}"
    if ctx.role is None:
        await answer(query, ctx.t("group_alerts.not_a_user", bot=bot), alert=True)
        return
    if ctx.role not in CAN_SEND:
        await answer(query, ctx.t("group_alerts.read_only"), alert=True)
        return
    dispatch_id = callback_data.dispatch_id
    if not is_api_id(dispatch_id):
        await answer(query, ctx.t("dispatches.not_found", id=dispatch_id), alert=True)
        return
    # The question, and the token its "yes" carries, are for the presser's private chat.
    private = replace(ctx, chat_id=ctx.user_id)
    if not (await authority_over(private, dispatch_id)).allowed:
        await answer(query, ctx.t("dispatches.not_yours"), alert=True)
        return
    try:
        dispatch = await within_tap_budget(ctx.sms.dispatch(dispatch_id))
    except SmsApiError as error:
        await answer(query, await explain_failure(private, error, dispatch_id), alert=True)
        return
    if dispatch.status not in RUNNABLE:
        status = status_label(ctx.t, dispatch.status_raw)
        await answer(query, ctx.t("group_alerts.not_runnable", id=dispatch.id, status=status))
        return
    screen = await confirmation_screen(private, dispatch, CardAction.RUN)
    asked = await ctx.outbox.send(ctx.user_id, screen.text, keyboard=screen.keyboard)
    if asked.shown:
        await answer(query, ctx.t("group_alerts.question_sent"))
    else:
        await answer(query, ctx.t("group_alerts.cannot_write", bot=bot), alert=True)
