"""The notifier's parts on their own: parsing, rendering, the sender against the Bot API
stand-in, and its stored state. Quiet hours and the poller's schedule: tests/core/watch."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters.callback_data import CallbackData

from core.metrics import Metrics
from core.watch import Outcome
from handlers import build_router
from handlers.alerts.callbacks import AlertsAction, AlertsCallback
from handlers.alerts.parsing import parse_quiet_hours, parse_threshold
from handlers.common.callbacks import MuteCallback
from handlers.common.formatting import MESSAGE_LIMIT, visible_length
from handlers.common.i18n import load_catalog, translator
from handlers.common.outbox import Outbox, SendLimits
from handlers.notify.render import final_message, not_enough_money_alert, status_message
from storage import Notice, Role, Storage, TrackedDispatch
from testbed.standin import BotApiStandin, FloodLimits
from tests.support.dispatches import MOSCOW, NOW, dispatch
from tests.support.harness import BOT_TOKEN


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("150", Decimal(150)),
        ("99.50", Decimal("99.50")),
        ("99,5", Decimal("99.5")),
        ("1 000", Decimal(1000)),
        ("0", Decimal(0)),
        ("1000000000", Decimal(1_000_000_000)),
        ("-5", None),
        ("+5", None),
        ("1e3", None),
        ("12.345", None),
        ("1000000001", None),
        ("NaN", None),
        ("", None),
        ("сто", None),
    ],
)
def test_threshold_parsing(typed: str, amount: Decimal | None) -> None:
    assert parse_threshold(typed) == amount


@pytest.mark.parametrize(
    ("typed", "span"),
    [
        ("22:00-08:00", (1320, 480)),
        ("22-8", (1320, 480)),
        ("22.30 — 7.15", (1350, 435)),
        ("00:00-23:59", (0, 1439)),
        ("24:00-08:00", None),
        ("22:60-08:00", None),
        ("22:00", None),
        ("night", None),
    ],
)
def test_quiet_hours_parsing(typed: str, span: tuple[int, int] | None) -> None:
    assert parse_quiet_hours(typed) == span


@pytest.mark.parametrize("language", ["ru", "en"])
def test_messages_stay_within_telegrams_limit_and_escape_server_text(language: str) -> None:
    t = translator(language)
    hostile = "<b>&" + "я" * 6000
    tracked = TrackedDispatch(
        7, 1, "<script>" * 100, hostile, None, "ACTIVE", 3, 1, 0, False, None, NOW, NOW
    )
    for text in (
        status_message(t, dispatch(text=hostile), tracked, Role.MANAGER, MOSCOW)[0],
        final_message(t, dispatch("CLOSED", text=hostile), tracked, MOSCOW, with_card=True),
        not_enough_money_alert(t, dispatch("NOT_ENOUGH_MONEY"), Role.MANAGER, Decimal(1))[0],
    ):
        assert visible_length(text) <= MESSAGE_LIMIT
        assert "<script>" not in text and "<b>&" not in text


def test_both_languages_have_the_same_keys() -> None:
    def keys(language: str, feature: str) -> set[str]:
        return {key for key in load_catalog(language) if key.startswith(f"{feature}.")}

    for feature in ("notify", "alerts"):
        assert keys("ru", feature) == keys("en", feature) != set()


def test_callback_data_is_short_and_its_prefixes_are_not_shared_with_other_features() -> None:
    build_router()  # imports every feature, and with it every callback factory
    for data in [MuteCallback(hours=24), *(AlertsCallback(action=a) for a in AlertsAction)]:
        assert len(data.pack().encode()) <= 16

    def factories(cls: type) -> list[type]:
        found = []
        for sub in cls.__subclasses__():
            found += [sub, *factories(sub)]
        return found

    prefixes = [
        f.__prefix__ for f in factories(CallbackData) if f.__module__.startswith("handlers")
    ]
    assert len(prefixes) == len(set(prefixes)), sorted(prefixes)


# -- the sender, through the Bot API stand-in ------------------------------------------


@pytest.fixture
async def telegram(standin: BotApiStandin) -> AsyncIterator[Bot]:
    bot = Bot(BOT_TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(standin.url)))
    yield bot
    await bot.session.close()


async def test_sixty_chats_at_once_go_out_at_thirty_a_second_without_a_429(
    standin: BotApiStandin, telegram: Bot, store: Storage
) -> None:
    standin.enable_flood_control(FloodLimits())
    users = [standin.user(7000 + n) for n in range(60)]
    sender = Outbox(telegram, store.users)
    started = time.monotonic()
    results = await asyncio.gather(*(sender.send(user.chat_id, "hi") for user in users))
    elapsed = time.monotonic() - started
    assert all(result.outcome is Outcome.SENT for result in results)
    assert standin.rate_limited_count == 0
    assert elapsed >= 59 / 30 - 0.05


async def test_one_chat_gets_one_message_a_second(
    standin: BotApiStandin, telegram: Bot, store: Storage
) -> None:
    user = standin.user(7001)
    sender = Outbox(telegram, store.users)
    await asyncio.gather(*(sender.send(user.chat_id, f"m{n}") for n in range(3)))
    times = [call.time for call in standin.calls_to("sendMessage")]
    assert [m.text for m in user.messages] == ["m0", "m1", "m2"]  # in order
    assert times[1] - times[0] >= 0.95 and times[2] - times[1] >= 0.95


async def test_sender_outcomes(standin: BotApiStandin, telegram: Bot, store: Storage) -> None:
    user = standin.user(7002)
    await store.users.upsert_seen(7002, "Ann", None, "ru")
    sender = Outbox(telegram, store.users, SendLimits(per_chat_interval=0))

    sent = await sender.send(user.chat_id, "one")
    assert sent.outcome is Outcome.SENT and sent.message_id is not None
    same = await sender.edit(user.chat_id, sent.message_id, "one")
    assert same.outcome is Outcome.UNCHANGED and same.shown
    assert (await sender.edit(user.chat_id, sent.message_id, "two")).outcome is Outcome.SENT
    assert (await sender.edit(user.chat_id, 999, "two")).outcome is Outcome.GONE
    assert (await sender.send(424242, "nobody")).outcome is Outcome.UNREACHABLE

    await user.block_bot()
    assert (await sender.send(user.chat_id, "three")).outcome is Outcome.UNREACHABLE
    profile = await store.users.get(7002)
    assert profile is not None and not profile.active


async def test_the_sender_counts_outcomes_and_telegrams_refusals(
    standin: BotApiStandin, telegram: Bot, store: Storage
) -> None:
    user = standin.user(7004)
    metrics = Metrics()
    limits = SendLimits(per_chat_interval=0, network_backoff=0)
    sender = Outbox(telegram, store.users, limits, metrics=metrics)
    standin.retry_after_next("sendMessage", 1)

    sent = await sender.send(user.chat_id, "after a 429")
    await sender.edit(user.chat_id, sent.message_id or 0, "after a 429")
    await user.block_bot()
    await sender.send(user.chat_id, "blocked")

    def count(name: str, **labels: str) -> float:
        return metrics.registry.get_sample_value(f"phoenix_{name}", labels) or 0.0

    assert count("notifications_total", outcome="sent") == 1
    assert count("notifications_total", outcome="unchanged") == 1
    assert count("notifications_total", outcome="unreachable") == 1
    assert count("notification_refusals_total", status="429") == 1
    assert count("notification_refusals_total", status="403") == 1


async def test_a_stopping_sender_gives_up_a_long_wait_at_once(
    standin: BotApiStandin, telegram: Bot, store: Storage
) -> None:
    user = standin.user(7003)
    standin.retry_after_next("sendMessage", 30)
    sender = Outbox(telegram, store.users)
    waiting = asyncio.create_task(sender.send(user.chat_id, "late"))
    await standin.wait_for_call("sendMessage")
    sender.close()
    async with asyncio.timeout(2):
        assert (await waiting).outcome is Outcome.FAILED
    assert user.messages == []


# -- stored state ------------------------------------------------------------------------


async def test_notices_are_kept_per_dispatch_and_person(store: Storage) -> None:
    repo = store.notices
    await store.dispatches.track(7, 1, "3 numbers", "Hi", None)
    assert await repo.notice(7, 1) == Notice(7, 1)
    await repo.save(Notice(7, 1, message_id=5, rendered_key="k", nem_alerted=True))
    await repo.save(Notice(7, 2, final_sent=True))
    assert await repo.notice(7, 1) == Notice(7, 1, 5, "k", nem_alerted=True)
    assert set(await repo.notices(7)) == {1, 2}
    await repo.save((await repo.notice(7, 1)).but(rendered_key="k2", nem_alerted=False))
    assert (await repo.notices(7))[1] == Notice(7, 1, 5, "k2")


async def test_a_notice_needs_a_tracked_dispatch(store: Storage) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        await store.notices.save(Notice(404, 1))


async def test_check_soon_reopens_a_finished_dispatch(store: Storage) -> None:
    repo = store.dispatches
    await store.dispatches.track(7, 1, "3 numbers", "Hi", None)
    later = datetime.now(UTC) + timedelta(days=1)
    await store.dispatches.record_observation(7, "CANCELED", 0, 0, 3, True, later)
    assert await store.dispatches.due_for_poll(datetime.now(UTC), 10) == []
    assert await repo.check_soon(7)
    assert [d.dispatch_id for d in await store.dispatches.due_for_poll(datetime.now(UTC), 10)] == [
        7
    ]
    assert not await repo.check_soon(404)
