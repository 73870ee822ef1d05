"""The admins' side of a request: one message to each admin (but the requester), through
the outbox, remembered in SQLite so that whatever becomes of the request (approved,
rejected, expired) is written on every one of them, after a restart too."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from core.approval_rules import approval_rule
from core.settings import Settings
from handlers.approval.render import request_keyboard, request_text
from handlers.common.admin_alerts import admin_ids
from handlers.common.context import Context
from handlers.common.i18n import Translator, user_translator
from handlers.common.outbox import Outbox
from storage import ApprovalRequest, Storage

log = logging.getLogger(__name__)


async def announce(ctx: Context, request: ApprovalRequest) -> int:
    """Ask every admin but the requester; returns how many were told."""
    store = ctx.store
    draft = await store.drafts.get(request.draft_id)
    if draft is None:  # drafts are never deleted; kept for the type checker
        return 0
    requester = await store.users.get(request.requester_id)
    rule = await approval_rule(store)
    admins = [
        admin
        for admin in await admin_ids(store, ctx.settings.ADMIN_IDS)
        if admin != request.requester_id
    ]

    async def tell(admin_id: int) -> bool:
        t = user_translator(await store.users.get(admin_id))
        text = request_text(t, request, draft, requester, ctx.tz, rule)
        delivery = await ctx.outbox.send(admin_id, text, keyboard=request_keyboard(t, request.id))
        if delivery.message_id is not None:
            await store.approvals.add_message(request.id, admin_id, delivery.message_id)
        return delivery.shown

    told = sum(await asyncio.gather(*(tell(admin) for admin in admins)))
    log.info("Approval request %d: %d of %d admins told", request.id, told, len(admins))
    return told


async def write_outcome(
    outbox: Outbox,
    store: Storage,
    settings: Settings,
    request: ApprovalRequest,
    line: Callable[[Translator], str],
) -> None:
    """Every admin's message of the request shows what became of it, without buttons."""
    draft = await store.drafts.get(request.draft_id)
    if draft is None:
        return
    requester = await store.users.get(request.requester_id)
    rule = await approval_rule(store)

    async def write(admin_id: int, message_id: int) -> None:
        t = user_translator(await store.users.get(admin_id))
        text = request_text(t, request, draft, requester, settings.timezone, rule)
        await outbox.edit(admin_id, message_id, f"{text}\n\n{line(t)}")

    await asyncio.gather(
        *(write(admin, message) for admin, message in await store.approvals.messages(request.id))
    )
