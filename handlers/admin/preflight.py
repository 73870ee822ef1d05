"""The preflight check: everything the bot depends on, tried read-only, one line each.

``python -m bot check`` prints it; ``/check`` shows it to an admin in chat. Telegram is
checked here (``getMe``, and the webhook: one that would stand in the way of polling, or
in webhook mode the one Telegram delivers to and its last error); the SMS
API, the clocks and the database by ``core/preflight.py``. Nothing is created, cancelled
or run, and no secret is shown.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramUnauthorizedError
from aiogram.types import Message, WebhookInfo

from core.clock import Clock
from core.preflight import CheckLine, Level, check_clock, check_database, check_sms_api
from core.settings import Settings
from core.sms import SmsApiClient
from handlers.common.context import Context
from handlers.common.formatting import MESSAGE_LIMIT, esc, shorten, visible_length
from handlers.common.i18n import Translator

ICONS = {Level.OK: "✅", Level.WARNING: "⚠️", Level.FAILED: "❌"}
RECENT_ERROR = timedelta(hours=1)


async def check_telegram(bot: Bot, webhook_url: str = "") -> list[CheckLine]:
    """``webhook_url``: WEBHOOK_URL, empty for long polling."""
    try:
        me = await bot.get_me()
    except TelegramUnauthorizedError:
        return [
            CheckLine(
                Level.FAILED,
                "Telegram",
                "the Bot API rejects BOT_TOKEN",
                "take the token from @BotFather again and set BOT_TOKEN",
            )
        ]
    except (TelegramNetworkError, TelegramAPIError) as error:
        return [
            CheckLine(
                Level.FAILED,
                "Telegram",
                f"no answer from the Bot API: {type(error).__name__}",
                "check TELEGRAM_API_URL and that this machine reaches it",
            )
        ]
    lines = [CheckLine(Level.OK, "Telegram", f"@{me.username} answers (getMe)")]
    webhook = await bot.get_webhook_info()
    if webhook_url:
        lines.append(webhook_mode_line(webhook, webhook_url, datetime.now(UTC)))
    elif webhook.url:
        lines.append(
            CheckLine(
                Level.WARNING,
                "Telegram webhook",
                f"a webhook is set ({webhook.pending_update_count} updates waiting); "
                "python -m bot removes it at start and polls",
                "if another process serves that webhook, stop it first",
            )
        )
    else:
        lines.append(CheckLine(Level.OK, "Telegram webhook", "none set: polling can start"))
    return lines


def webhook_mode_line(webhook: WebhookInfo, webhook_url: str, now: datetime) -> CheckLine:
    waiting = f"{webhook.pending_update_count} updates waiting"
    if not webhook.url:
        return CheckLine(
            Level.OK,
            "Telegram webhook",
            f"none set yet ({waiting}): python -m bot sets it at start",
        )
    if webhook.url != webhook_url:
        return CheckLine(
            Level.WARNING,
            "Telegram webhook",
            f"set to another URL ({waiting}); python -m bot sets WEBHOOK_URL at start",
            "if another process serves that webhook, stop it first",
        )
    failed = webhook.last_error_date
    # Telegram keeps its last error for good: only a recent one says something now.
    if failed is not None and webhook.last_error_message and now - failed < RECENT_ERROR:
        minutes = int((now - failed).total_seconds() // 60)
        return CheckLine(
            Level.WARNING,
            "Telegram webhook",
            f"set ({waiting}); a delivery failed {minutes} min ago: "
            f"{shorten(webhook.last_error_message, 200)}",
            "check the reverse proxy in front of WEBHOOK_LISTEN, and that the bot runs",
        )
    return CheckLine(Level.OK, "Telegram webhook", f"set to WEBHOOK_URL ({waiting})")


async def preflight(
    bot: Bot, sms: SmsApiClient, settings: Settings, clock: Clock
) -> list[CheckLine]:
    lines = await check_telegram(bot, settings.WEBHOOK_URL)
    database, newest = await check_database(settings.DATABASE_PATH)
    lines += await check_sms_api(sms, settings.SMS_API_URL, newest)
    lines.append(check_clock(sms.last_server_date, clock.now(), settings.timezone))
    lines += database
    return lines


def as_text(lines: list[CheckLine]) -> str:
    """For a terminal: one line per check, each difference indented under it."""
    out = []
    for line in lines:
        advice = f" -> {line.advice}" if line.advice else ""
        out.append(f"{line.level.value:<8} {line.what}: {line.detail}{advice}")
        for difference in line.differences:
            out.append(
                f"{'':<9}  {difference.field}: expected {difference.expected}, got {difference.got}"
            )
    return "\n".join(out)


DIFFERENCES_SHOWN = 8


def as_message(t: Translator, lines: list[CheckLine]) -> str:
    """For a chat: the same in HTML, whole lines only, always one message."""
    out = [t("admin.check_title")]
    for line in lines:
        text = f"{ICONS[line.level]} <b>{esc(line.what)}</b>: {esc(shorten(line.detail, 300))}"
        if line.advice:
            text += f"\n    → {esc(line.advice)}"
        for difference in line.differences[:DIFFERENCES_SHOWN]:
            text += (
                f"\n    • <code>{esc(shorten(difference.field, 60))}</code>: "
                f"{esc(shorten(difference.expected, 80))} ≠ {esc(shorten(difference.got, 80))}"
            )
        if len(line.differences) > DIFFERENCES_SHOWN:
            text += "\n    • …"
        if visible_length("\n".join([*out, text])) > MESSAGE_LIMIT - 200:
            out.append(t("admin.check_more"))
            break
        out.append(text)
    return "\n".join(out)


async def run_check(message: Message, ctx: Context) -> None:
    await message.answer(ctx.t("admin.check_running"))
    lines = await preflight(ctx.bot, ctx.sms, ctx.settings, ctx.clock)
    await message.answer(as_message(ctx.t, lines))
