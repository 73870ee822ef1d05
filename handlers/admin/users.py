"""``/users``: who has which role, changing it, revoking access, and the pending requests."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from handlers.access.pending_view import load_pending, pending_screen
from handlers.access.render import display_name, role_name
from handlers.admin.callbacks import UserAction, UserActionKind, UsersPage
from handlers.admin.membership import end_conversation, set_member_role
from handlers.admin.users_view import (
    USERS_PER_PAGE,
    member_card_keyboard,
    member_card_text,
    revoke_confirmation_keyboard,
    revoke_confirmation_text,
    users_page_keyboard,
    users_page_text,
)
from handlers.common.context import Context
from handlers.common.menu import main_menu
from handlers.common.paging import clamp_page, page_count
from handlers.common.replies import Screen, answer, show, tell_user
from storage import Role, User


async def list_users(message: Message, ctx: Context) -> None:
    screen = await users_screen(ctx, 0)
    await message.answer(screen.text, reply_markup=screen.keyboard)
    # The pending requests, however many, are one more message, paged in place.
    listed = await load_pending(ctx.store, 0)
    if listed.total:
        pending = pending_screen(ctx.t, listed, ctx.tz, board=False)
        await message.answer(pending.text, reply_markup=pending.keyboard)


async def turn_users_page(query: CallbackQuery, callback_data: UsersPage, ctx: Context) -> None:
    await answer(query)
    await show(query, ctx, await users_screen(ctx, callback_data.page))


async def act_on_member(query: CallbackQuery, callback_data: UserAction, ctx: Context) -> None:
    t, page = ctx.t, callback_data.page
    member = await ctx.store.users.get(callback_data.user_id)
    action = callback_data.action
    if member is None or member.role is None:  # revoked meanwhile, or a forged id
        await answer(query, t("admin.user_gone"), alert=True)
        await show(query, ctx, await users_screen(ctx, page))
    elif member.user_id in ctx.settings.ADMIN_IDS and action is not UserActionKind.VIEW:
        await answer(query, t("admin.cannot_change_configured"), alert=True)
    elif action is UserActionKind.VIEW:
        await answer(query)
        await show(query, ctx, member_screen(ctx, member, page))
    elif action is UserActionKind.REVOKE:
        await answer(query)
        await show(
            query,
            ctx,
            Screen(
                revoke_confirmation_text(t, member),
                revoke_confirmation_keyboard(t, member, page),
            ),
        )
    elif action is UserActionKind.REVOKE_CONFIRMED:
        await _revoke(query, ctx, member, page)
    elif action.role is not None:
        await _change_role(query, ctx, member, action.role, page)


async def users_screen(ctx: Context, page: int) -> Screen:
    members = await ctx.store.users.list_with_roles()
    pages = page_count(len(members), USERS_PER_PAGE)
    page = clamp_page(page, pages)
    shown = members[page * USERS_PER_PAGE : (page + 1) * USERS_PER_PAGE]
    pending = await ctx.store.access_requests.pending_count()
    text = users_page_text(ctx.t, shown, page, pages, ctx.settings.ADMIN_IDS, pending)
    return Screen(text, users_page_keyboard(ctx.t, shown, page, pages))


def member_screen(ctx: Context, member: User, page: int) -> Screen:
    configured = member.user_id in ctx.settings.ADMIN_IDS
    return Screen(
        member_card_text(ctx.t, member, configured, ctx.tz),
        member_card_keyboard(ctx.t, member, configured, page),
    )


async def _change_role(
    query: CallbackQuery, ctx: Context, member: User, role: Role, page: int
) -> None:
    t = ctx.t
    if member.role is role:
        await answer(query, t("admin.role_unchanged"))
        await show(query, ctx, member_screen(ctx, member, page))
        return
    await set_member_role(ctx, member, role)
    name = display_name(member, member.user_id)
    await answer(query, t("admin.role_changed", name=name, role=role_name(t, role)))
    changed = await ctx.store.users.get(member.user_id) or member
    await show(query, ctx, member_screen(ctx, changed, page))
    await end_conversation(ctx, member.user_id)
    await tell_user(
        ctx,
        member.user_id,
        lambda ut: ut("admin.told_role", role=role_name(ut, role)),
        lambda ut: main_menu(ut, role),
    )


async def _revoke(query: CallbackQuery, ctx: Context, member: User, page: int) -> None:
    await set_member_role(ctx, member, None)
    await answer(query, ctx.t("admin.revoked", name=display_name(member, member.user_id)))
    await show(query, ctx, await users_screen(ctx, page))
    await end_conversation(ctx, member.user_id)
    await tell_user(
        ctx, member.user_id, lambda ut: ut("admin.told_revoked"), lambda _: ReplyKeyboardRemove()
    )
