"""Every handled update, counted and timed for ``/metrics``, and logged with its handler.

Two middlewares: an outer one on the update (registered before the access gate, so a
stranger's update is counted too) times the whole update, and an inner one on each
event type notes which handler the routers chose. aiogram copies the middleware data
between the two, so they share a small mutable :class:`UpdateTrace`.

Labels and log fields are code names (``balance.show_balance``), never what a user wrote.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.types import TelegramObject, Update
from aiogram.types.update import UpdateTypeLookupError

from core.metrics import Metrics

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
TRACE_KEY = "update_trace"
# What the handler label says when no router's handler took the update.
GATE = "access_gate"  # the access gate answered it (a stranger) or passed it over (a bot)
UNHANDLED_LABEL = "unhandled"


@dataclass
class UpdateTrace:
    handler: str | None = None


def handler_name(handler: HandlerObject) -> str:
    """``balance.show_balance`` for ``handlers.balance.show_balance``."""
    callback = handler.callback
    module = getattr(callback, "__module__", "") or ""
    name = getattr(callback, "__qualname__", type(callback).__name__)
    return f"{module.removeprefix('handlers.')}.{name}" if module else name


class UpdateMetricsMiddleware(BaseMiddleware):
    """Outer, on ``dispatcher.update``: count, time and (at ``log_level``) log each update."""

    def __init__(self, metrics: Metrics, log_level: int = logging.DEBUG) -> None:
        self._metrics = metrics
        self._log_level = log_level

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        trace = data[TRACE_KEY] = UpdateTrace()
        started = time.perf_counter()
        failed = True
        result: Any = UNHANDLED
        try:
            result = await handler(event, data)
            failed = False
            return result
        finally:
            self._observe(event, trace, result, failed, time.perf_counter() - started)

    def _observe(
        self, event: TelegramObject, trace: UpdateTrace, result: Any, failed: bool, seconds: float
    ) -> None:
        kind = _kind(event)
        name = trace.handler or (UNHANDLED_LABEL if result is UNHANDLED and not failed else GATE)
        self._metrics.updates.labels(kind, name).inc()
        self._metrics.handler_seconds.labels(name).observe(seconds)
        if failed:
            self._metrics.update_errors.labels(kind, name).inc()
        if log.isEnabledFor(self._log_level):
            update_id = event.update_id if isinstance(event, Update) else None
            log.log(
                self._log_level,
                "Update %s %s by %s in %.1f ms",
                update_id,
                "failed" if failed else "handled",
                name,
                seconds * 1000,
                extra={
                    "update_id": update_id,
                    "kind": kind,
                    "handler": name,
                    "latency_ms": round(seconds * 1000, 1),
                },
            )


def _kind(event: TelegramObject) -> str:
    if not isinstance(event, Update):
        return type(event).__name__
    try:
        return event.event_type
    except UpdateTypeLookupError:  # a type newer than this aiogram
        return "unknown"


class HandlerNameMiddleware(BaseMiddleware):
    """Inner, on each event type: runs only once a handler matched, and names it."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        trace = data.get(TRACE_KEY)
        chosen = data.get("handler")
        if isinstance(trace, UpdateTrace) and isinstance(chosen, HandlerObject):
            trace.handler = handler_name(chosen)
        return await handler(event, data)


def watch_updates(dispatcher: Dispatcher, metrics: Metrics, *, log_level: int) -> None:
    """Install both middlewares; call before any other outer middleware on the update."""
    dispatcher.update.outer_middleware(UpdateMetricsMiddleware(metrics, log_level))
    naming = HandlerNameMiddleware()
    for name, observer in dispatcher.observers.items():
        if name not in ("update", "error"):
            observer.middleware(naming)
