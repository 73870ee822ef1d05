"""``/settings`` (admins): the price of one SMS part, which the summary's estimate uses,
and the limits above which a manager's send waits for an admin's approval; the stop
list is one tap away (``handlers/stoplist/``).

Included after the send feature: a ``/settings`` typed in the middle of a send parks
the draft there first, as any other command does.
"""

from aiogram import F, Router
from aiogram.filters import Command, StateFilter

from handlers.admin.guard import not_allowed, only_for_admins
from handlers.admin.settings import inputs
from handlers.admin.settings.callbacks import SettingsAction, SettingsCallback
from handlers.common.filters import InLoop
from handlers.common.menu import ALL_LABELS, typed_text
from handlers.common.roles import is_admin

# Not a value: a command or a menu button.
elsewhere = InLoop(F.text.startswith("/") | F.text.in_(ALL_LABELS))


def build_router() -> Router:
    router = Router(name="admin.settings")
    admins = Router(name="admin.settings.admins")
    admins.message.filter(is_admin)
    admins.callback_query.filter(is_admin)
    message, tap = admins.message.register, admins.callback_query.register
    asking = StateFilter(inputs.SettingsInput.value)

    message(inputs.show_settings, Command("settings"))
    message(inputs.leave_for_command, asking, elsewhere)
    message(inputs.value_typed, asking, typed_text)
    message(inputs.not_text, asking)
    tap(inputs.screen_tapped, SettingsCallback.filter(F.action == SettingsAction.SHOW))
    tap(inputs.ask_tapped, SettingsCallback.filter(F.action == SettingsAction.ASK))
    tap(inputs.clear_tapped, SettingsCallback.filter(F.action == SettingsAction.CLEAR))

    others = Router(name="admin.settings.guard")
    others.message.register(only_for_admins, Command("settings"))
    others.callback_query.register(not_allowed, SettingsCallback.filter())
    router.include_routers(admins, others)
    return router
