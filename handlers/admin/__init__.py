"""The admins' tools: ``/users`` (roles, revoking, pending requests, permissions),
``/audit`` and ``/check`` (the preflight check).

The guard comes last: whoever is not an admin and reaches it gets "only for admins".
"""

from aiogram import Router
from aiogram.filters import Command

from handlers.admin.audit import show_audit, turn_audit_page
from handlers.admin.callbacks import AuditPage, PermissionsAction, UserAction, UsersPage
from handlers.admin.guard import admin_button, not_allowed, only_for_admins
from handlers.admin.permissions import permissions_tapped
from handlers.admin.preflight import run_check
from handlers.admin.users import act_on_member, list_users, turn_users_page
from handlers.common.menu import AUDIT, USERS, menu_button
from handlers.common.roles import is_admin


def build_router() -> Router:
    router = Router(name="admin")

    admins = Router(name="admin.tools")
    admins.message.filter(is_admin)
    admins.callback_query.filter(is_admin)
    admins.message.register(list_users, Command("users"))
    admins.message.register(list_users, menu_button(USERS))
    admins.callback_query.register(turn_users_page, UsersPage.filter())
    admins.callback_query.register(act_on_member, UserAction.filter())
    admins.callback_query.register(permissions_tapped, PermissionsAction.filter())
    admins.message.register(show_audit, Command("audit"))
    admins.message.register(show_audit, menu_button(AUDIT))
    admins.callback_query.register(turn_audit_page, AuditPage.filter())
    admins.message.register(run_check, Command("check"))

    guard = Router(name="admin.guard")
    guard.message.register(only_for_admins, Command("users", "audit", "check"))
    guard.message.register(only_for_admins, menu_button(USERS))
    guard.message.register(only_for_admins, menu_button(AUDIT))
    guard.callback_query.register(not_allowed, admin_button)

    router.include_routers(admins, guard)
    return router
