"""Recurring dispatches, Telegram-free.

- ``rules.py``: a rule ("every weekday at 09:00", "every month on the 31st") and the next
  moment it gives;
- ``recipients.py``: an occurrence's recipients as numbers (the book read again);
- ``occurrences.py``: one occurrence created at the SMS API, exactly once;
- ``withdraw.py``: an occurrence still to come taken back (cancelled at the API);
- ``manage.py``: create, pause, resume, edit, delete;
- :class:`RecurringKeeper` (``keeper.py``): the background task that keeps the next
  occurrence of every schedule created ahead, started beside the poller;
- :class:`RecurringNotifier` (``notifier.py``): what the keeper tells owners; the Telegram
  layer words it.
"""

from core.recurring.keeper import LEAD, RecurringKeeper
from core.recurring.notifier import RecurringNotifier

__all__ = ["LEAD", "RecurringKeeper", "RecurringNotifier"]
