"""What ``/users`` shows: a page of users with their roles, one user's card, the
confirmation before access is revoked."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.access.render import display_name, role_name, username_suffix
from handlers.admin.callbacks import (
    PermissionChoice,
    PermissionsAction,
    UserAction,
    UserActionKind,
    UsersPage,
)
from handlers.common.formatting import esc, format_moment, shorten
from handlers.common.i18n import Translator
from storage import Role, User

USERS_PER_PAGE = 8
BUTTON_NAME_LIMIT = 24
ROLE_EMOJI = {Role.ADMIN: "👑", Role.MANAGER: "👔", Role.OBSERVER: "👁"}


def _role_label(t: Translator, role: Role | None) -> str:
    return f"{ROLE_EMOJI[role] if role else '🚫'} {role_name(t, role)}"


def users_page_text(
    t: Translator,
    members: Sequence[User],
    page: int,
    pages: int,
    configured_admins: frozenset[int],
    pending: int,
) -> str:
    lines = [t("admin.users_title", page=page + 1, pages=pages)]
    if not members:
        lines.append(t("admin.users_empty"))
    for number, member in enumerate(members, start=page * USERS_PER_PAGE + 1):
        note = t("admin.configured_note") if member.user_id in configured_admins else ""
        lines.append(
            t(
                "admin.user_line",
                n=number,
                name=esc(display_name(member, member.user_id)),
                username=username_suffix(member),
                user_id=member.user_id,
                role=_role_label(t, member.role),
                note=note,
            )
        )
    if pending:
        lines.append("")
        lines.append(t.plural("admin.pending_below", pending))
    return "\n".join(lines)


def users_page_keyboard(
    t: Translator, members: Sequence[User], page: int, pages: int
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for member in members:
        name = shorten(display_name(member, member.user_id), BUTTON_NAME_LIMIT)
        builder.button(
            text=f"{ROLE_EMOJI[member.role] if member.role else '🚫'} {name}",
            callback_data=UserAction(action=UserActionKind.VIEW, user_id=member.user_id, page=page),
        )
    sizes = [2] * ((len(members) + 1) // 2)
    navigation = _navigation(t, page, pages)
    for label, target in navigation:
        builder.button(text=label, callback_data=UsersPage(page=target))
    if navigation:
        sizes.append(len(navigation))
    builder.button(
        text=t("admin.button_permissions"),
        callback_data=PermissionsAction(choice=PermissionChoice.SHOW),
    )
    builder.adjust(*sizes, 1)
    return builder.as_markup()


def _navigation(t: Translator, page: int, pages: int) -> list[tuple[str, int]]:
    buttons = []
    if page > 0:
        buttons.append((t("admin.button_prev"), page - 1))
    if page < pages - 1:
        buttons.append((t("admin.button_next"), page + 1))
    return buttons


def member_card_text(t: Translator, member: User, configured: bool, tz: ZoneInfo) -> str:
    language = member.language or member.telegram_language
    text = t(
        "admin.user_card",
        name=esc(display_name(member, member.user_id)),
        username=username_suffix(member),
        user_id=member.user_id,
        role=_role_label(t, member.role),
        language=esc(shorten(language, 16)) if language else "—",
        since=format_moment(member.created_at, tz),
    )
    if configured:
        text += "\n\n" + t("admin.configured_card_note")
    return text


def member_card_keyboard(
    t: Translator, member: User, configured: bool, page: int
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()

    def add(label: str, action: UserActionKind) -> None:
        builder.button(
            text=t(label),
            callback_data=UserAction(action=action, user_id=member.user_id, page=page),
        )

    if not configured:
        if member.role is not Role.MANAGER:
            add("admin.button_make_manager", UserActionKind.MANAGER)
        if member.role is not Role.OBSERVER:
            add("admin.button_make_observer", UserActionKind.OBSERVER)
        add("admin.button_revoke", UserActionKind.REVOKE)
    builder.button(text=t("admin.button_back"), callback_data=UsersPage(page=page))
    builder.adjust(1)
    return builder.as_markup()


def revoke_confirmation_text(t: Translator, member: User) -> str:
    return t("admin.revoke_confirm", name=esc(display_name(member, member.user_id)))


def revoke_confirmation_keyboard(t: Translator, member: User, page: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("admin.button_revoke_yes"),
        callback_data=UserAction(
            action=UserActionKind.REVOKE_CONFIRMED, user_id=member.user_id, page=page
        ),
    )
    builder.button(
        text=t("admin.button_revoke_no"),
        callback_data=UserAction(action=UserActionKind.VIEW, user_id=member.user_id, page=page),
    )
    builder.adjust(2)
    return builder.as_markup()
