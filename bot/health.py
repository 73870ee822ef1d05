"""The health listener on ``HEALTH_LISTEN`` (off unless set; keep it on loopback or an
internal network): ``/healthz``, ``/readyz`` and ``/metrics``.

- ``/healthz``: 200 while the process's event loop answers (a liveness probe).
- ``/readyz``: 200 when the bot can do its work, else 503; the JSON body gives each check
  with its reason: Telegram answered lately, the poller's last SMS API cycle succeeded
  lately, the database takes a write.
- ``/metrics``: Prometheus text from the bot's own registry (``core/metrics.py``); the
  drafts are counted from the database at each scrape.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramServerError
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.telegram_session import BotSession
from core.metrics import Metrics
from core.settings import ListenAddress
from core.sms.redaction import SecretRedactingFilter
from core.watch import Poller
from storage import DatabaseClosedError, Storage
from storage.dates import to_db

log = logging.getLogger(__name__)

# Long polling hears from Telegram at least every polling timeout (10 s); a webhook bot
# with nobody writing may hear nothing for hours, so past this it asks (getMe).
TELEGRAM_QUIET_SECONDS = 60.0
PROBE_SECONDS = 5.0
# A cycle is due every POLL_INTERVAL; one that takes long may end this much later.
CYCLE_SLACK_SECONDS = 60.0
WRITE_PROBE_KEY = "health_write_probe"


@dataclass(frozen=True)
class Check:
    ok: bool
    reason: str


class Readiness:
    """The three checks behind ``/readyz``; each says why in words without a secret."""

    def __init__(
        self,
        *,
        bot: Bot,
        session: BotSession,
        poller: Poller,
        store: Storage,
        poll_interval: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bot = bot
        self._session = session
        self._poller = poller
        self._store = store
        self._poll_interval = poll_interval
        self._monotonic = monotonic

    async def checks(self) -> dict[str, Check]:
        telegram, database = await asyncio.gather(self.telegram(), self.database())
        return {"telegram": telegram, "sms_api": self.sms_api(), "database": database}

    async def telegram(self) -> Check:
        heard = self._session.last_heard
        if heard is not None and self._monotonic() - heard <= TELEGRAM_QUIET_SECONDS:
            return Check(True, f"Telegram answered {self._monotonic() - heard:.0f} s ago")
        try:
            async with asyncio.timeout(PROBE_SECONDS):
                await self._bot.get_me()
        except TimeoutError:
            return Check(False, f"Telegram did not answer getMe within {PROBE_SECONDS:g} s")
        except (TelegramNetworkError, TelegramServerError) as error:
            # The class name only: a network error's text may quote the URL.
            return Check(False, f"Telegram did not answer getMe ({type(error).__name__})")
        except TelegramAPIError as error:
            return Check(False, f"Telegram refused getMe: {error.message}")
        return Check(True, "Telegram answered getMe just now")

    def sms_api(self) -> Check:
        last = self._poller.last_cycle
        if last is None:
            return Check(False, "no poller cycle has finished yet")
        age = self._monotonic() - last.finished_at
        if not last.report.api_ok:
            failure = last.report.failure
            return Check(False, f"the last poller cycle ({age:.0f} s ago) failed: {failure}")
        if age > 2 * self._poll_interval + CYCLE_SLACK_SECONDS:
            due = f"one is due every {self._poll_interval:g} s"
            return Check(False, f"the last poller cycle ended {age:.0f} s ago, {due}")
        return Check(True, f"the last poller cycle succeeded {age:.0f} s ago")

    async def database(self) -> Check:
        try:
            async with asyncio.timeout(PROBE_SECONDS):
                await self._store.state.set(WRITE_PROBE_KEY, to_db(self._store.db.now()))
        except TimeoutError:
            return Check(False, f"a write did not finish within {PROBE_SECONDS:g} s")
        except (sqlite3.Error, DatabaseClosedError, OSError) as error:
            return Check(False, f"a write failed: {error}")
        return Check(True, "a write succeeded")


class HealthServer:
    def __init__(
        self,
        listen: ListenAddress,
        readiness: Readiness,
        metrics: Metrics,
        store: Storage,
        secrets: tuple[str, ...],
    ) -> None:
        self._listen = listen
        self._readiness = readiness
        self._metrics = metrics
        self._store = store
        # The reasons come from exceptions; whatever they quote, no secret leaves here.
        self._redacting = SecretRedactingFilter(secrets)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/metrics", self._scrape)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self._listen.host, self._listen.port).start()
        except BaseException:
            await self.stop()
            raise
        log.info("Health and metrics on http://%s", self._listen)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"alive": True})

    async def _readyz(self, request: web.Request) -> web.Response:
        checks = await self._readiness.checks()
        ready = all(check.ok for check in checks.values())
        body = {"ready": ready, "checks": {name: asdict(c) for name, c in checks.items()}}
        return web.json_response(body, status=200 if ready else 503, dumps=self._redacted_json)

    async def _scrape(self, request: web.Request) -> web.Response:
        try:
            counts = await self._store.drafts.count_by_state()
        except (sqlite3.Error, DatabaseClosedError) as error:
            log.warning("Drafts not counted for the metrics: %s", error)
        else:
            for state, count in counts.items():
                self._metrics.drafts.labels(state.value).set(count)
        return web.Response(
            body=generate_latest(self._metrics.registry),
            headers={"Content-Type": CONTENT_TYPE_LATEST},
        )

    def _redacted_json(self, data: object) -> str:
        return self._redacting.redact(json.dumps(data, ensure_ascii=False))
