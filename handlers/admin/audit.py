"""``/audit``: the audit log for admins, newest first, a page at a time."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from core.settings import Settings
from handlers.access.messaging import edit_quietly
from handlers.admin.audit_view import AUDIT_PER_PAGE, audit_page_keyboard, audit_page_text
from handlers.admin.callbacks import AuditPage
from handlers.admin.paging import clamp_page, page_count
from handlers.common.i18n import Translator
from handlers.common.menu import AUDIT, menu_button
from handlers.common.roles import is_admin
from storage import Storage, User

router = Router(name="admin.audit")
router.message.filter(is_admin)
router.callback_query.filter(is_admin)


@router.message(Command("audit"))
@router.message(menu_button(AUDIT))
async def show_audit(message: Message, store: Storage, settings: Settings, t: Translator) -> None:
    text, markup = await _audit_page(store, settings, t, 0)
    await message.answer(text, reply_markup=markup)


@router.callback_query(AuditPage.filter())
async def turn_audit_page(
    query: CallbackQuery,
    callback_data: AuditPage,
    store: Storage,
    settings: Settings,
    t: Translator,
) -> None:
    await query.answer()
    text, markup = await _audit_page(store, settings, t, callback_data.page)
    if isinstance(query.message, Message):
        await edit_quietly(query.message, text, markup)


async def _audit_page(
    store: Storage, settings: Settings, t: Translator, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    pages = page_count(await store.audit.count(), AUDIT_PER_PAGE)
    page = clamp_page(page, pages)
    entries = await store.audit.recent(AUDIT_PER_PAGE, page * AUDIT_PER_PAGE)
    actors: dict[int, User | None] = {}
    for actor_id in {entry.actor_id for entry in entries if entry.actor_id is not None}:
        actors[actor_id] = await store.users.get(actor_id)
    text = audit_page_text(t, entries, actors, page, pages, settings.timezone)
    return text, audit_page_keyboard(t, page, pages)
