"""Alerts: the ``/alerts`` screen and the mute buttons under alerts.

Every reader role has it: observers get alerts too.
"""

from aiogram import F, Router
from aiogram.filters import Command, StateFilter

from handlers.alerts import choices
from handlers.alerts.callbacks import AlertsAction, AlertsCallback
from handlers.alerts.choices import AlertsInput
from handlers.alerts.mute import mute
from handlers.common.callbacks import MuteCallback
from handlers.common.filters import InLoop
from handlers.common.menu import ALERTS, menu_button
from handlers.common.roles import can_read, is_admin


def build_router() -> Router:
    router = Router(name="alerts")
    router.message.filter(can_read)
    router.callback_query.filter(can_read)

    message, tap = router.message.register, router.callback_query.register
    message(choices.show_alerts, Command("alerts"))
    message(choices.show_alerts, menu_button(ALERTS))
    tap(choices.toggle, AlertsCallback.filter(F.action.in_(set(choices.TOGGLES))))
    tap(
        choices.toggle_digest,
        AlertsCallback.filter(F.action == AlertsAction.WEEKLY_DIGEST),
        is_admin,
    )
    tap(choices.quiet_off, AlertsCallback.filter(F.action == AlertsAction.QUIET_OFF))
    tap(choices.unmute, AlertsCallback.filter(F.action == AlertsAction.UNMUTE))
    tap(choices.ask_threshold, AlertsCallback.filter(F.action == AlertsAction.THRESHOLD))
    tap(choices.ask_quiet_hours, AlertsCallback.filter(F.action == AlertsAction.QUIET_HOURS))
    message(choices.threshold_typed, StateFilter(AlertsInput.threshold), InLoop(F.text))
    message(choices.quiet_hours_typed, StateFilter(AlertsInput.quiet_hours), InLoop(F.text))
    # A sticker, a photo, a file: the question stays.
    message(choices.not_text, StateFilter(AlertsInput.threshold, AlertsInput.quiet_hours))
    tap(mute, MuteCallback.filter())
    return router
