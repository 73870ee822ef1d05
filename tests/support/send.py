"""Helpers for the send conversation's tests: walking a simulated user through the steps.

Texts are looked up in the locale files rather than copied, so a reworded message does
not break a test; the fragments used are the parts that carry meaning.
"""

from __future__ import annotations

from typing import Any

from handlers.common.i18n import translator
from storage import Draft
from testbed.standin import BotApiStandin, SimUser, StandinMessage
from tests.support.harness import BotUnderTest
from tests.support.texts import CUT, head

RU = translator("ru")
EN = translator("en")
CREATE_PATH = "/sms-api/dispatches"
BOOK1_PHONES = ["380710000000", "380719999999"]  # book 1 "name1" of the default data
WAIT = 10.0


def creates(bot: BotUnderTest) -> list[dict[str, Any]]:
    """Every create the emulator received (answered or not)."""
    return [
        entry
        for entry in bot.sms_requests(CREATE_PATH)
        if entry["method"] == "POST" and entry["path"] == CREATE_PATH
    ]


async def reply_with(user: SimUser, fragment: str, timeout: float = WAIT) -> StandinMessage:  # noqa: ASYNC109
    """The next bot message (new or edited) whose text holds ``fragment``."""
    return await user.wait_for_reply(lambda m: fragment in (m.text or ""), timeout)


async def prompt_with(user: SimUser, fragment: str, timeout: float = WAIT) -> StandinMessage:  # noqa: ASYNC109
    """The next bot message with buttons whose text holds ``fragment``."""
    return await user.wait_for_reply(
        lambda m: bool(m.inline_keyboard) and fragment in (m.text or ""), timeout
    )


def step_head(number: int, t: Any = RU) -> str:
    """The wizard's step line ("Шаг 2 из 3."), which only that step shows."""
    return head(t("send.step", number=number, question=CUT))


def recipients_head(t: Any = RU) -> str:
    return step_head(1, t)


def text_head(t: Any = RU) -> str:
    return step_head(2, t)


def time_head(t: Any = RU) -> str:
    return step_head(3, t)


def summary_head(t: Any = RU) -> str:
    return head(t("send.summary_title"))


def card_head(t: Any = RU) -> str:
    return head(t("card.title", id=CUT))


async def start_send(user: SimUser, t: Any = RU) -> StandinMessage:
    await user.send_text("/send")
    return await prompt_with(user, recipients_head(t))


async def pick_book(user: SimUser, prompt: StandinMessage, name: str = "name1", t: Any = RU):
    await user.tap(name, prompt)
    return await prompt_with(user, text_head(t))


async def type_numbers(user: SimUser, numbers: str, t: Any = RU) -> StandinMessage:
    await user.send_text(numbers)
    return await prompt_with(user, text_head(t))


async def type_text(user: SimUser, text: str, t: Any = RU) -> StandinMessage:
    await user.send_text(text)
    return await prompt_with(user, time_head(t))


async def send_now(user: SimUser, prompt: StandinMessage, t: Any = RU) -> StandinMessage:
    await user.tap(t("send.button_now"), prompt)
    return await prompt_with(user, summary_head(t))


async def summary_for_book(user: SimUser, text: str = "Hello from the bot", t: Any = RU):
    """/send -> book "name1" -> ``text`` -> now: the summary with its buttons."""
    prompt = await start_send(user, t)
    await pick_book(user, prompt, t=t)
    time_prompt = await type_text(user, text, t)
    return await send_now(user, time_prompt, t)


async def summary_for_numbers(user: SimUser, numbers: str, text: str = "Numbers typed"):
    await start_send(user)
    await type_numbers(user, numbers)
    time_prompt = await type_text(user, text)
    return await send_now(user, time_prompt)


def confirm_data(summary: StandinMessage) -> str:
    """The summary's Send (or Schedule) button, by its callback data."""
    return next(b["callback_data"] for b in summary.buttons if b["callback_data"].startswith("sc:"))


async def confirm(user: SimUser, summary: StandinMessage, t: Any = RU) -> dict[str, Any]:
    """Tap Send (Schedule, for a later time); returns the update (for redelivery)."""
    return await user.tap(confirm_data(summary), summary)


async def current_draft(bot: BotUnderTest, user: SimUser) -> Draft:
    """The user's newest draft, read straight from the database."""
    row = await bot.store.db.fetchone(
        "SELECT id FROM drafts WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
        (user.user_id,),
    )
    assert row is not None, "the user has no draft"
    draft = await bot.store.drafts.get(row["id"])
    assert draft is not None
    return draft


async def forge_tap(
    standin: BotApiStandin, user: SimUser, message: StandinMessage, data: str
) -> str:
    """A callback query with data of our choosing, as a modified client could send it."""
    update = await user.send_callback(data, message)
    return update["callback_query"]["id"]


async def toast_said(standin: BotApiStandin, *texts: str, timeout: float = WAIT) -> None:  # noqa: ASYNC109
    """Wait for a tap answered with one of ``texts`` as its toast (a repeated Confirm)."""

    def said() -> bool | None:
        toasts = (call.params.get("text") for call in standin.calls_to("answerCallbackQuery"))
        return any(toast in texts for toast in toasts) or None

    await standin.state.wait_for(said, timeout)
