"""The texts of the send conversation: HTML, escaped, bounded far below 4096 characters.

The wizard message is one text for every step: the title, what was chosen so far, a note
once (what a book or a list left out), an error if the last answer was refused, and the
step's question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from aiogram.fsm.state import State

from core.phones import InvalidEntry, PhoneList
from core.repeats import EarlierSend
from core.segments import Encoding, SegmentCount, count_segments
from handlers.common.formatting import esc, format_moment, quote_block, shorten, zone_label
from handlers.common.i18n import Translator
from handlers.send.states import SendForm
from handlers.send.timing import TimeProblem
from storage import Draft, DraftState

TEXT_LIMIT = 5000  # the API's limit, in UTF-16 code units as it counts them
TELEGRAM_MESSAGE = 4096  # Telegram's apps split a longer text into several messages
INVALID_SHOWN = 10
RAW_NUMBER_SHOWN = 40
UCS2_CHARS_SHOWN = 10
SUMMARY_PREVIEW = 1500
BOOK_NAME_SHOWN = 60
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

STEP_NUMBERS = {
    SendForm.recipients.state: 1,
    SendForm.text.state: 2,
    SendForm.paste.state: 2,
    SendForm.time.state: 3,
}


def text_length(text: str) -> int:
    """Characters as the SMS API (and Telegram) count them: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class RecipientCounts:
    valid: int  # numbers the send goes to: valid, and not on the stop list
    invalid: int
    stopped: int = 0  # valid numbers the stop list leaves out


@dataclass(frozen=True)
class Money:
    """What the summary knows about money: what can be spent, and the price of a part."""

    available: Decimal | None
    price: Decimal | None


# -- the wizard ------------------------------------------------------------------------


def progress(
    t: Translator, draft: Draft, counts: RecipientCounts, step: State, tz: ZoneInfo
) -> list[str]:
    """What was chosen so far, a line per step before ``step``."""
    number = STEP_NUMBERS.get(step.state or "", 4)
    lines = [t("send.title")]
    if number > 1:
        lines.append(recipients_line(t, draft, counts))
    if number > 2 and draft.text:
        segments = count_segments(draft.text)
        lines.append(
            t(
                "send.progress_text",
                length=text_length(draft.text),
                parts=t.plural("send.parts", segments.segments),
            )
        )
    return lines


def wizard_text(
    t: Translator,
    draft: Draft,
    counts: RecipientCounts,
    step: State,
    question: str,
    tz: ZoneInfo,
    *,
    note: str | None = None,
    error: str | None = None,
) -> str:
    lines = progress(t, draft, counts, step, tz)
    if note:
        lines += ["", note]
    lines += ["", t("send.step", number=STEP_NUMBERS.get(step.state or "", 3), question=question)]
    if error:
        lines += ["", error_line(error)]
    return "\n".join(lines)


ERROR_MARK = "\n\n❗️ "  # what sets a refusal apart at the end of a step or the summary


def error_line(error: str) -> str:
    return ERROR_MARK.lstrip("\n") + error


def without_error(shown: str) -> str:
    """A step or summary as shown, without the refusal a previous try left at its end."""
    return shown.split(ERROR_MARK, 1)[0]


def recipients_line(t: Translator, draft: Draft, counts: RecipientCounts) -> str:
    numbers = t.plural("send.n_numbers", counts.valid)
    if counts.invalid:
        numbers += " " + t.plural("send.progress_invalid", counts.invalid)
    if counts.stopped:
        numbers += " " + t("send.progress_stopped", stopped=counts.stopped)
    if draft.book_id is not None:
        name = esc(shorten(draft.book_name or str(draft.book_id), BOOK_NAME_SHOWN))
        return t("send.progress_recipients_book", name=name, numbers=numbers)
    return t("send.progress_recipients_numbers", numbers=numbers)


def recipients_question(t: Translator, books_failed: str | None = None) -> str:
    text = t("send.question_recipients")
    if books_failed:
        text += "\n" + t("send.books_unavailable", reason=books_failed)
    return text


def time_question(t: Translator, tz: ZoneInfo, now: datetime) -> str:
    return t("send.question_time", zone=esc(zone_label(tz, now)), now=_minute(now, tz))


# -- what a list of numbers left out -----------------------------------------------------


def invalid_list(t: Translator, invalid: Sequence[InvalidEntry], count: int) -> str:
    lines = [t.plural("send.invalid_title", count)]
    for entry in invalid[:INVALID_SHOWN]:
        raw = esc(shorten(entry.raw.strip(), RAW_NUMBER_SHOWN)) or "—"
        lines.append(t("send.invalid_line", raw=raw, reason=t(f"send.problem_{entry.problem}")))
    if count > INVALID_SHOWN:
        lines.append(t("send.invalid_more", count=count - INVALID_SHOWN))
    return "\n".join(lines)


def phones_note(t: Translator, phones: PhoneList) -> str | None:
    """What was left out of a book, typed numbers or a file; None when nothing was."""
    lines = []
    if phones.duplicates:
        lines.append(t.plural("send.duplicates_dropped", phones.duplicates))
    if phones.invalid_count:
        lines.append(invalid_list(t, phones.invalid, phones.invalid_count))
    if phones.truncated:
        lines.append(t("send.too_many_entries", count=phones.invalid_count + len(phones.valid)))
    return "\n".join(lines) or None


def no_numbers(t: Translator, phones: PhoneList) -> str:
    note = phones_note(t, phones)
    return "\n".join(part for part in (t("send.no_valid_numbers"), note) if part)


def stopped_note(t: Translator, stopped: int) -> str | None:
    """What the stop list left out of the chosen numbers; None when nothing."""
    return t.plural("send.stopped_left_out", stopped) if stopped else None


def all_stopped(t: Translator, stopped: int) -> str:
    return t.plural("send.all_stopped", stopped)


def joined(*notes: str | None) -> str | None:
    """Notes for one step, one under the other; None when there is none."""
    return "\n".join(note for note in notes if note) or None


# -- the text ---------------------------------------------------------------------------


def text_note(t: Translator, text: str) -> str | None:
    """Said once, when a text is taken: why it is UCS-2, if that is worth saying."""
    count = count_segments(text)
    if count.encoding is not Encoding.UCS2:
        return None
    if _CYRILLIC.search(text):
        return t("send.cyrillic_note")
    return t("send.ucs2_chars", chars=_chars(count))


def _chars(count: SegmentCount) -> str:
    shown = " ".join(f"<code>{esc(char)}</code>" for char in count.ucs2_chars[:UCS2_CHARS_SHOWN])
    return shown + (" …" if len(count.ucs2_chars) > UCS2_CHARS_SHOWN else "")


def text_refused(t: Translator, text: str) -> str:
    if not text.strip():
        return t("send.text_empty")
    return t("send.text_too_long", length=text_length(text), limit=TEXT_LIMIT)


def join_pasted(parts: Sequence[str]) -> str:
    """One text from the messages Telegram's apps split it into. They cut at a line break
    or a space, and the server trims it away, so a space is put back (the user sees the
    whole text before accepting it); a part cut hard at the limit is joined as it is."""
    pieces: list[str] = []
    for index, part in enumerate(parts):
        if index:
            pieces.append(_lost_whitespace(parts[index - 1]))
        pieces.append(part)
    return "".join(pieces)


def _lost_whitespace(before: str) -> str:
    return "" if text_length(before) >= TELEGRAM_MESSAGE else " "


def paste_question(t: Translator, parts: Sequence[str]) -> str:
    return t("send.paste_question", parts=len(parts), length=text_length(join_pasted(parts)))


def acceptable(text: str) -> bool:
    return bool(text.strip()) and text_length(text) <= TEXT_LIMIT


# -- time -------------------------------------------------------------------------------


def time_refused(
    t: Translator, problem: TimeProblem, typed: str, tz: ZoneInfo, now: datetime
) -> str:
    return t(f"send.time_{problem.value}", now=_minute(now, tz), typed=esc(shorten(typed, 40)))


def _minute(now: datetime, tz: ZoneInfo) -> str:
    """The current time to the minute: seconds would only distract."""
    return format_moment(now.replace(second=0, microsecond=0), tz)


def send_time(t: Translator, moment: datetime | None, tz: ZoneInfo) -> str:
    if moment is None:
        return t("send.time_now")
    return format_moment(moment, tz)


# -- the summary ------------------------------------------------------------------------


def summary_text(
    t: Translator, draft: Draft, counts: RecipientCounts, tz: ZoneInfo, money: Money
) -> str:
    segments = count_segments(draft.text)
    total = segments.segments * counts.valid
    encoding = "send.encoding_gsm" if segments.encoding is Encoding.GSM7 else "send.encoding_ucs2"
    invalid = t("send.summary_invalid", invalid=counts.invalid) if counts.invalid else ""
    if counts.stopped:
        invalid += t("send.summary_stopped", stopped=counts.stopped)
    lines = [
        t("send.summary_title"),
        "",
        _summary_recipients(t, draft, counts),
        t("send.summary_counts", valid=counts.valid, invalid=invalid),
        t("send.summary_text", length=text_length(draft.text), encoding=t(encoding)),
        quote_block(draft.text, SUMMARY_PREVIEW, expandable=True),
        t("send.summary_sms", parts=segments.segments, valid=counts.valid, total=total),
        t("send.summary_time", time=send_time(t, draft.date_send, tz)),
    ]
    lines += _money_lines(t, total, money)
    return "\n".join(lines)


def repeat_warning(t: Translator, earlier: EarlierSend, now: datetime) -> str:
    """The same text to the same recipients a few minutes ago: which dispatch, and that
    Confirm now makes a second one."""
    minutes = max(int((now - earlier.at).total_seconds() // 60), 0)
    ago = t.plural("send.minutes_ago", minutes) if minutes else t("send.just_now")
    if earlier.state is DraftState.UNKNOWN or earlier.dispatch_id is None:
        return t("send.repeat_unknown", ago=ago)
    return t("send.repeat_sent", ago=ago, id=earlier.dispatch_id)


def _summary_recipients(t: Translator, draft: Draft, counts: RecipientCounts) -> str:
    if draft.book_id is not None:
        name = esc(shorten(draft.book_name or str(draft.book_id), BOOK_NAME_SHOWN))
        return t("send.summary_book", name=name)
    return t("send.summary_numbers", numbers=t.plural("send.n_numbers", counts.valid))


def _money_lines(t: Translator, total: int, money: Money) -> list[str]:
    if money.available is None:
        return []
    if money.price is None or money.price <= 0:
        return [t("send.summary_money", amount=t.money(money.available))]
    cost = money.price * total
    lines = [
        t(
            "send.summary_cost",
            cost=t.money(cost),
            price=t.money(money.price),
            amount=t.money(money.available),
        )
    ]
    if cost > money.available:
        affordable = max(int(money.available // money.price), 0)
        lines += ["", t("send.summary_short", amount=t.money(money.available),
                        affordable=affordable, total=total)]  # fmt: skip
    return lines


def template_name(text: str, words: int = 5, limit: int = 40) -> str:
    """A template's name: the first words of its text, cut."""
    first = " ".join(text.split()[:words])
    return shorten(first, limit) or "…"
