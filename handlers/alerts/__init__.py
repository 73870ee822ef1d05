"""Alerts: the ``/alerts`` screen, the mute buttons under alerts, and the poller's life.

Every reader role has it: observers get alerts too.
"""

from aiogram import Router

from handlers.alerts import choices, mute
from handlers.alerts.lifecycle import start_notifications, stop_notifications
from handlers.common.roles import can_read

router = Router(name="alerts")
router.message.filter(can_read)
router.callback_query.filter(can_read)
router.include_routers(choices.router, mute.router)
router.startup.register(start_notifications)
router.shutdown.register(stop_notifications)

__all__ = ["router"]
