"""One page of the audit log: a line per entry, newest first, always under 4096 characters.

Each line is bounded (names, actions and details are cut), so 15 lines and the title stay
far below Telegram's limit whatever was recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.access.render import display_name
from handlers.admin.callbacks import AuditPage
from handlers.common.formatting import esc, format_moment, shorten
from handlers.common.i18n import Translator
from storage import AuditEntry, User

AUDIT_PER_PAGE = 15
NAME_LIMIT = 32
ACTION_LIMIT = 40
DETAILS_LIMIT = 90


def audit_page_text(
    t: Translator,
    entries: Sequence[AuditEntry],
    actors: Mapping[int, User | None],
    page: int,
    pages: int,
    tz: ZoneInfo,
) -> str:
    lines = [t("admin.audit_title", page=page + 1, pages=pages)]
    if not entries:
        lines.append(t("admin.audit_empty"))
    lines.extend(_line(t, entry, actors, tz) for entry in entries)
    return "\n".join(lines)


def _line(t: Translator, entry: AuditEntry, actors: Mapping[int, User | None], tz: ZoneInfo) -> str:
    text = t(
        "admin.audit_line",
        time=format_moment(entry.created_at, tz),
        actor=_actor(t, entry.actor_id, actors),
        action=_action(t, entry.action),
    )
    if entry.dispatch_id is not None:
        text += t("admin.audit_dispatch", id=entry.dispatch_id)
    if entry.details:
        text += t(
            "admin.audit_details", details=esc(shorten(_details(entry.details), DETAILS_LIMIT))
        )
    return text


def _actor(t: Translator, actor_id: int | None, actors: Mapping[int, User | None]) -> str:
    if actor_id is None:
        return t("admin.audit_bot")
    profile = actors.get(actor_id)
    if profile is None or not profile.first_name:
        return f"<code>{actor_id}</code>"
    name = esc(shorten(display_name(profile, actor_id), NAME_LIMIT))
    return f"{name} (<code>{actor_id}</code>)"


def _action(t: Translator, action: str) -> str:
    key = f"admin.action.{action}"
    return t(key) if t.has(key) else f"<code>{esc(shorten(action, ACTION_LIMIT))}</code>"


def _details(details: Mapping[str, Any]) -> str:
    return ", ".join(f"{name}: {value}" for name, value in details.items())


def audit_page_keyboard(t: Translator, page: int, pages: int) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    if page > 0:
        builder.button(text=t("admin.button_newer"), callback_data=AuditPage(page=page - 1))
    if page < pages - 1:
        builder.button(text=t("admin.button_older"), callback_data=AuditPage(page=page + 1))
    return builder.as_markup() if page > 0 or page < pages - 1 else None
