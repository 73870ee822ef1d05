"""The "yes" of a cancel or re-run question carries a one-time token issued with the
question (``storage.confirmations``): for this person, this dispatch and this action, good
once and for ``TOKEN_LIFE``. An old "yes", a replayed one or one made up by a modified
client finds no token, and nothing is done."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from handlers.common.context import Context

TOKEN_LIFE = timedelta(minutes=10)


class Command(StrEnum):
    CANCEL = "c"
    RUN = "r"

    @property
    def name_in_audit(self) -> str:
        return "cancel" if self is Command.CANCEL else "run"

    @property
    def purpose(self) -> str:
        return f"dispatch.{self.name_in_audit}"


class ConfirmedCommand(CallbackData, prefix="dy"):
    """E.g. ``dy:c:1234567890:AbCd_EfG``: 24 bytes at most, far below Telegram's 64."""

    command: Command
    dispatch_id: int
    token: str


async def issue(ctx: Context, command: Command, dispatch_id: int) -> ConfirmedCommand:
    token = await ctx.store.confirmations.issue(
        ctx.user_id, command.purpose, dispatch_id, TOKEN_LIFE
    )
    return ConfirmedCommand(command=command, dispatch_id=dispatch_id, token=token)


async def redeem(ctx: Context, confirmed: ConfirmedCommand) -> bool:
    """True once for a token this user was given with this question, while it lasts."""
    return await ctx.store.confirmations.consume(
        confirmed.token, ctx.user_id, confirmed.command.purpose, confirmed.dispatch_id
    )
