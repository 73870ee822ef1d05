"""``/audit``: the audit log for admins, newest first, a page at a time."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message

from handlers.admin.audit_view import AUDIT_PER_PAGE, audit_page_keyboard, audit_page_text
from handlers.admin.callbacks import AuditPage
from handlers.common.context import Context
from handlers.common.paging import clamp_page, page_count
from handlers.common.replies import Screen, answer, show
from storage import User


async def show_audit(message: Message, ctx: Context) -> None:
    screen = await audit_screen(ctx, 0)
    await message.answer(screen.text, reply_markup=screen.keyboard)


async def turn_audit_page(query: CallbackQuery, callback_data: AuditPage, ctx: Context) -> None:
    await answer(query)
    await show(query, ctx, await audit_screen(ctx, callback_data.page))


async def audit_screen(ctx: Context, page: int) -> Screen:
    store = ctx.store
    pages = page_count(await store.audit.count(), AUDIT_PER_PAGE)
    page = clamp_page(page, pages)
    entries = await store.audit.recent(AUDIT_PER_PAGE, page * AUDIT_PER_PAGE)
    actors: dict[int, User | None] = {}
    for actor_id in {entry.actor_id for entry in entries if entry.actor_id is not None}:
        actors[actor_id] = await store.users.get(actor_id)
    text = audit_page_text(ctx.t, entries, actors, page, pages, ctx.tz)
    return Screen(text, audit_page_keyboard(ctx.t, page, pages))
