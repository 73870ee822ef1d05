"""``/users``: who has which role, changing it, revoking access, and the pending requests."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardRemove

from core.settings import Settings
from handlers.access.messaging import edit_quietly, tell_user
from handlers.access.render import decision_keyboard, display_name, request_text, role_name
from handlers.admin.callbacks import UserAction, UserActionKind, UsersPage
from handlers.admin.membership import end_conversation, set_member_role
from handlers.admin.paging import clamp_page, page_count
from handlers.admin.users_view import (
    USERS_PER_PAGE,
    member_card_keyboard,
    member_card_text,
    revoke_confirmation_keyboard,
    revoke_confirmation_text,
    users_page_keyboard,
    users_page_text,
)
from handlers.common.i18n import Translator
from handlers.common.menu import USERS, main_menu, menu_button
from handlers.common.roles import is_admin
from storage import Role, Storage, User

router = Router(name="admin.users")
router.message.filter(is_admin)
router.callback_query.filter(is_admin)

# Pending requests are shown as separate messages with their buttons; a flood of
# strangers must not turn /users into a flood of messages.
PENDING_SHOWN = 5


@router.message(Command("users"))
@router.message(menu_button(USERS))
async def list_users(message: Message, store: Storage, settings: Settings, t: Translator) -> None:
    text, markup = await users_page(store, settings, t, 0)
    await message.answer(text, reply_markup=markup)
    pending = await store.access_requests.pending()
    for request in pending[:PENDING_SHOWN]:
        profile = await store.users.get(request.user_id)
        await message.answer(
            request_text(t, request, profile), reply_markup=decision_keyboard(t, request.id)
        )
    if len(pending) > PENDING_SHOWN:
        await message.answer(t("admin.pending_more", shown=PENDING_SHOWN, total=len(pending)))


@router.callback_query(UsersPage.filter())
async def turn_users_page(
    query: CallbackQuery,
    callback_data: UsersPage,
    bot: Bot,
    store: Storage,
    settings: Settings,
    user: User,
    t: Translator,
) -> None:
    await query.answer()
    await UsersScreen(query, bot, store, settings, user, t, callback_data.page).show_page()


@router.callback_query(UserAction.filter())
async def act_on_member(
    query: CallbackQuery,
    callback_data: UserAction,
    bot: Bot,
    store: Storage,
    settings: Settings,
    user: User,
    t: Translator,
) -> None:
    screen = UsersScreen(query, bot, store, settings, user, t, callback_data.page)
    member = await store.users.get(callback_data.user_id)
    action = callback_data.action
    if member is None or member.role is None:  # revoked meanwhile, or a forged id
        await query.answer(t("admin.user_gone"), show_alert=True)
        await screen.show_page()
    elif member.user_id in settings.ADMIN_IDS and action is not UserActionKind.VIEW:
        await query.answer(t("admin.cannot_change_configured"), show_alert=True)
    elif action is UserActionKind.VIEW:
        await query.answer()
        await screen.show_card(member)
    elif action is UserActionKind.REVOKE:
        await query.answer()
        await screen.ask_to_revoke(member)
    elif action is UserActionKind.REVOKE_CONFIRMED:
        await screen.revoke(member)
    elif action.role is not None:
        await screen.change_role(member, action.role)


async def users_page(
    store: Storage, settings: Settings, t: Translator, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    members = await store.users.list_with_roles()
    pages = page_count(len(members), USERS_PER_PAGE)
    page = clamp_page(page, pages)
    shown = members[page * USERS_PER_PAGE : (page + 1) * USERS_PER_PAGE]
    pending = len(await store.access_requests.pending())
    text = users_page_text(t, shown, page, pages, settings.ADMIN_IDS, pending)
    return text, users_page_keyboard(t, shown, page, pages)


@dataclass(frozen=True)
class UsersScreen:
    """The admin's /users message, edited in place as they go from the list to a card."""

    query: CallbackQuery
    bot: Bot
    store: Storage
    settings: Settings
    admin: User
    t: Translator
    page: int

    async def show_page(self) -> None:
        await self._edit(*await users_page(self.store, self.settings, self.t, self.page))

    async def show_card(self, member: User) -> None:
        configured = member.user_id in self.settings.ADMIN_IDS
        await self._edit(
            member_card_text(self.t, member, configured, self.settings.timezone),
            member_card_keyboard(self.t, member, configured, self.page),
        )

    async def ask_to_revoke(self, member: User) -> None:
        await self._edit(
            revoke_confirmation_text(self.t, member),
            revoke_confirmation_keyboard(self.t, member, self.page),
        )

    async def change_role(self, member: User, role: Role) -> None:
        t = self.t
        if member.role is role:
            await self.query.answer(t("admin.role_unchanged"))
            await self.show_card(member)
            return
        await set_member_role(self.store, self.admin.user_id, member, role)
        name = display_name(member, member.user_id)
        await self.query.answer(t("admin.role_changed", name=name, role=role_name(t, role)))
        await self.show_card(await self.store.users.get(member.user_id) or member)
        await end_conversation(self.bot, self.store, member.user_id)
        await tell_user(
            self.bot,
            self.store,
            member.user_id,
            lambda ut: ut("admin.told_role", role=role_name(ut, role)),
            lambda ut: main_menu(ut, role),
        )

    async def revoke(self, member: User) -> None:
        await set_member_role(self.store, self.admin.user_id, member, None)
        name = display_name(member, member.user_id)
        await self.query.answer(self.t("admin.revoked", name=name))
        await self.show_page()
        await end_conversation(self.bot, self.store, member.user_id)
        await tell_user(
            self.bot,
            self.store,
            member.user_id,
            lambda ut: ut("admin.told_revoked"),
            lambda _: ReplyKeyboardRemove(),
        )

    async def _edit(self, text: str, markup: InlineKeyboardMarkup) -> None:
        if isinstance(self.query.message, Message):  # else too old to edit: answered anyway
            await edit_quietly(self.query.message, text, markup)
