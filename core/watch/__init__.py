"""The poller and its decisions: what changed, and who must hear it.

- :class:`Poller` (``poller.py``): the cycle, started and stopped by the application
  beside the dispatcher (``bot/app.py``).
- ``statuses.py``: an observation of a dispatch to status messages and alerts.
- ``balance.py``: the low-balance rule.
- ``health.py``: "SMS service unavailable" / "back" for the admins.
- ``audience.py``: who can hear from the poller in a cycle.
- :class:`Messenger` (``messenger.py``): what the watchers need said; the Telegram
  layer words it and delivers it.
"""

from core.watch.audience import Recipient
from core.watch.delivery import Delivery, Outcome
from core.watch.messenger import Messenger
from core.watch.poller import CycleReport, Poller

__all__ = ["CycleReport", "Delivery", "Messenger", "Outcome", "Poller", "Recipient"]
