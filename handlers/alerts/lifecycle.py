"""The poller lives as long as the bot polls: started by the startup hook, stopped (and
awaited) by the shutdown hook, which aiogram runs before it closes the bot's session."""

from __future__ import annotations

from aiogram import Bot, Dispatcher

from core.clock import NotifyClock
from core.settings import Settings
from core.sms import SmsApiClient
from storage import Storage

# Workflow data keys: handlers take ``notify_clock`` to read the same "now" as the poller.
POLLER_KEY = "notify_poller"
CLOCK_KEY = "notify_clock"


async def start_notifications(
    bot: Bot, store: Storage, sms: SmsApiClient, settings: Settings, dispatcher: Dispatcher
) -> None:
    # Imported here: the poller renders the mute buttons of this package, so importing
    # it at module level would make the two import each other.
    from core.watch import Poller

    clock = NotifyClock()
    poller = Poller(bot=bot, store=store, sms=sms, settings=settings, clock=clock)
    dispatcher[CLOCK_KEY] = clock
    dispatcher[POLLER_KEY] = poller
    poller.start()


async def stop_notifications(dispatcher: Dispatcher) -> None:
    poller = dispatcher.workflow_data.pop(POLLER_KEY, None)
    if poller is not None:
        await poller.stop()
