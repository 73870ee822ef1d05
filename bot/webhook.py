"""Webhook mode: Telegram POSTs each update to ``WEBHOOK_URL`` instead of the bot asking.

aiogram's aiohttp integration serves it: :class:`SimpleRequestHandler` checks the
``X-Telegram-Bot-Api-Secret-Token`` header and hands each update to the dispatcher as a
task, answering Telegram at once (as in polling, handlers run side by side and a slow
one holds nothing up); ``setup_application`` runs the dispatcher's start-up and shutdown
hooks with the server. The listener serves the path of ``WEBHOOK_URL`` on
``WEBHOOK_LISTEN``, so a reverse proxy in front of it passes requests on unchanged.

Telegram delivers an update again when it did not get a 2xx, even if the update had
arrived (the answer was lost on the way back): an update id taken a moment ago is answered
and not handled a second time. Exactly one dispatch per Confirm does not rest on that:
the draft's guarded state change in SQLite decides it (``core/sending.py``).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from core.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram redelivers within minutes; this many ids is hours of a busy bot's updates.
REMEMBERED_UPDATES = 10_000
SHUTDOWN_SECONDS = 5.0


class RecentUpdates:
    """The ids of the last ``size`` updates taken, the oldest forgotten first."""

    def __init__(self, size: int = REMEMBERED_UPDATES) -> None:
        self._size = size
        self._ids: OrderedDict[int, None] = OrderedDict()

    def taken_before(self, update_id: int) -> bool:
        """True if this id was taken already; otherwise remember it and say False."""
        if update_id in self._ids:
            return True
        self._ids[update_id] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return False


class WebhookServer:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        settings: Settings,
        heard_from_telegram: Callable[[], None],
    ) -> None:
        if not settings.WEBHOOK_URL or settings.WEBHOOK_SECRET is None:
            raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
        self._dispatcher = dispatcher
        self._bot = bot
        self._url = settings.WEBHOOK_URL
        self._path = settings.webhook_path
        self._listen = settings.WEBHOOK_LISTEN
        self._secret = settings.WEBHOOK_SECRET.get_secret_value()
        self._heard = heard_from_telegram
        self._requests = SimpleRequestHandler(
            dispatcher, bot, handle_in_background=True, secret_token=self._secret
        )
        self._recent = RecentUpdates()
        self._runner: web.AppRunner | None = None

    async def start(self, allowed_updates: list[str]) -> None:
        """Run the start-up hooks, listen, then tell Telegram where to deliver."""
        app = web.Application()
        app.router.add_post(self._path, self._receive)
        # Not SimpleRequestHandler.register: that would close the Bot's session in the
        # server's shutdown, before the handlers still running are done with it.
        setup_application(app, self._dispatcher, bot=self._bot)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_SECONDS
        )
        await self._runner.setup()  # the dispatcher's start-up hooks run here
        try:
            site = web.TCPSite(self._runner, self._listen.host, self._listen.port)
            await site.start()
            await self._bot.set_webhook(
                self._url,
                secret_token=self._secret,
                allowed_updates=allowed_updates,
                drop_pending_updates=False,
            )
        except BaseException:
            await self.stop()
            raise
        log.info("Receiving updates on the webhook (listening on %s)", self._listen)

    async def stop(self) -> None:
        """Stop listening, then run the shutdown hooks (they wait for running handlers).
        The webhook stays set: Telegram keeps the updates until the bot is back."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @property
    def running(self) -> set[asyncio.Task[object]]:
        """Updates still being handled."""
        return set(getattr(self._requests, "_background_feed_update_tasks", ()))

    async def _receive(self, request: web.Request) -> web.Response:
        if not self._requests.verify_secret(request.headers.get(SECRET_HEADER, ""), self._bot):
            # Neither the header's value nor the body is logged: the former may be a
            # guess at the secret, the latter anything.
            log.warning("Refused a webhook request without the right secret token")
            return web.Response(status=401, text="Unauthorized")
        try:
            update = await request.json()
        except ValueError:
            return web.Response(status=400, text="the body is not JSON")
        update_id = update.get("update_id") if isinstance(update, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return web.Response(status=400, text="not an update")
        self._heard()
        if self._recent.taken_before(update_id):
            log.info("Update %s was delivered again; it was taken already", update_id)
            return web.json_response({})
        return await self._requests.handle(request)
