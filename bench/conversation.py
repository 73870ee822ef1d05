"""A simulated manager walking through the send conversation, as a person would: read
the bot's answer, tap or type the next thing, and try again when the SMS service failed.

Texts are recognised by the locale files (the first line of each, tags removed), so the
scripts follow a reworded message without change.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from handlers.common.i18n import Translator, translator
from testbed.standin import SimUser, StandinMessage

STEP_SECONDS = 60.0  # a step under faults: GET retries and hangs add up
CONFIRM_TRIES = 4
BOOK_TRIES = 4
CUT = "\x00"  # where head() stops: what follows a placeholder


def plain(html_text: str) -> str:
    """A locale text as the user sees it: tags gone, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def head(html_text: str) -> str:
    """The first line of a locale text as shown, up to the first CUT."""
    return plain(html_text).split("\n")[0].split(CUT)[0].strip()


class Outcome(StrEnum):
    SENT = "sent"  # the dispatch's card (or its number) came
    UNKNOWN = "unknown"  # "outcome unknown": the create's answer was lost
    SERVICE_DOWN = "service_down"  # still refused after every try; the draft is kept
    OTHER = "other"  # an answer none of the above (counted as a failure by the checks)


@dataclass(frozen=True)
class Texts:
    """What the scripts look for in one language."""

    t: Translator
    recipients: str
    text_prompt: str
    time_prompt: str
    summary: str
    card: str
    created: str
    sent: str
    unknown: tuple[str, ...]
    balance: str
    cancelled: str
    sms_errors: tuple[str, ...]

    @classmethod
    def of(cls, language: str) -> Texts:
        t = translator(language)
        errors = tuple(
            head(t(f"sms_errors.{key}")) for key in ("unavailable", "other", "token_rejected")
        )
        return cls(
            t=t,
            recipients=step_head(t, 1),
            text_prompt=step_head(t, 2),
            time_prompt=step_head(t, 3),
            summary=head(t("send.summary_title")),
            card=head(t("card.title", id=CUT)),
            created=head(t("send.created_unnumbered")),
            sent=head(t("send.sent_line", id=CUT)),
            unknown=(head(t("send.outcome_unknown")), head(t("sms_errors.outcome_unknown"))),
            balance=head(t("balance.title")),
            cancelled=head(t("send.cancelled")),
            sms_errors=errors,
        )


def step_head(t: Translator, number: int) -> str:
    """The wizard's "Step N of 3." line, which only that step shows."""
    return head(t("send.step", number=number, question=CUT))


TEXTS = {language: Texts.of(language) for language in ("ru", "en")}


def holds(*fragments: str) -> Callable[[StandinMessage], bool]:
    return lambda message: any(f in (message.text or "") for f in fragments)


def prompt_holding(fragment: str) -> Callable[[StandinMessage], bool]:
    return lambda message: bool(message.inline_keyboard) and fragment in (message.text or "")


@dataclass
class SendRun:
    """What one user went through; ``log`` names each answer, for a failure report."""

    user_id: int
    outcome: Outcome | None = None
    confirms: int = 0
    log: list[str] = field(default_factory=list)


class ScriptedManager:
    """One manager sending one dispatch, start to end."""

    def __init__(self, user: SimUser, language: str, step_seconds: float = STEP_SECONDS) -> None:
        self.user = user
        self.texts = TEXTS[language]
        self.step_seconds = step_seconds
        self.run = SendRun(user.user_id)

    async def reply(self, predicate: Callable[[StandinMessage], bool]) -> StandinMessage:
        message = await self.user.wait_for_reply(predicate, self.step_seconds)
        self.run.log.append((message.text or "")[:60])
        return message

    async def send(self, text: str, *, book: str | None = None, numbers: str = "") -> SendRun:
        """/send, recipients (the book, or ``numbers`` typed), ``text``, now, confirm."""
        x = self.texts
        await self.user.send_text("/send")
        prompt = await self.reply(prompt_holding(x.recipients))
        if book is None or prompt.find_button(book) is None:
            await self.user.send_text(numbers)
            await self.reply(prompt_holding(x.text_prompt))
        else:
            await self.pick_book(prompt, book)
        await self.user.send_text(text)
        time_prompt = await self.reply(prompt_holding(x.time_prompt))
        await self.user.tap(x.t("send.button_now"), time_prompt)
        summary = await self.reply(prompt_holding(x.summary))
        await self.confirm(summary)
        return self.run

    async def pick_book(self, prompt: StandinMessage, book: str) -> None:
        x = self.texts
        for _ in range(BOOK_TRIES):
            tap = await self.user.tap(book, prompt)
            # The tap is answered once the book is read: a failure is a toast on it, and
            # the step stays as it was.
            toast = await self.user.wait_for_callback_answer(
                tap["callback_query"]["id"], self.step_seconds
            )
            if toast.text:  # a read book is answered without words
                self.run.log.append(f"toast: {toast.text[:50]}")
                continue
            await self.reply(prompt_holding(x.text_prompt))
            return
        raise AssertionError(f"user {self.user.user_id}: the book never loaded: {self.run.log}")

    async def confirm(self, summary: StandinMessage) -> None:
        x = self.texts
        finals = (x.card, x.created, x.sent, *x.unknown, *x.sms_errors)
        for _ in range(CONFIRM_TRIES):
            self.run.confirms += 1
            await self.user.tap(x.t("send.button_confirm"), summary)
            answer = await self.reply(holds(*finals))
            text = answer.text or ""
            if x.card in text or x.created in text or x.sent in text:
                self.run.outcome = Outcome.SENT
                return
            if any(unknown in text for unknown in x.unknown):
                self.run.outcome = Outcome.UNKNOWN
                return
            if not any(error in text for error in x.sms_errors):
                self.run.outcome = Outcome.OTHER
                return
            # The service failed before anything was created: the summary comes back in
            # the same message, the reason above it.
            summary = (
                answer
                if prompt_holding(x.summary)(answer)
                else await self.reply(prompt_holding(x.summary))
            )
        self.run.outcome = Outcome.SERVICE_DOWN
