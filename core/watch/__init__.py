"""Notifications: the background poller and everything it tells people.

- :class:`Poller` (``poller.py``): the cycle, started and stopped with the bot by the
  alerts router's startup and shutdown hooks.
- :class:`NotificationSender` (``sender.py``): the one way notifications reach Telegram,
  within its rate limits.
- ``status_watch.py``: dispatch observations to status messages and alerts.
- ``balance_watch.py``: the low-balance rule.
- ``api_health.py``: "SMS service unavailable" / "back" for the admins.
- ``render.py``: the texts and buttons.

Other features call :func:`check_soon` after they cancelled or re-ran a dispatch, so
that its subscribers hear about it at the next cycle.
"""

from core.clock import NotifyClock
from core.watch.poller import CycleReport, Poller
from handlers.notify.outbox import Delivery, NotificationSender, Outcome, SendLimits
from storage import Storage
from storage.notifications import NotificationStateRepo


async def check_soon(store: Storage, dispatch_id: int) -> bool:
    """Fetch the dispatch at the next cycle, even if it was final or scheduled for later
    (a re-run brings a cancelled dispatch back). False if it is not tracked."""
    return await NotificationStateRepo(store.db).check_soon(dispatch_id)


__all__ = [
    "CycleReport",
    "Delivery",
    "NotificationSender",
    "NotifyClock",
    "Outcome",
    "Poller",
    "SendLimits",
    "check_soon",
]
