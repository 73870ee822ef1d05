"""The texts of the send conversation: HTML, escaped, bounded far below 4096 characters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.phones import InvalidPhone, PhoneList
from core.segments import count_segments
from handlers.common.formatting import esc, format_moment, format_money, quote_block, shorten
from handlers.common.i18n import Translator
from handlers.send.timing import TimeProblem
from storage import Draft

TEXT_LIMIT = 5000  # the API's limit, in UTF-16 code units as it counts them
INVALID_SHOWN = 20
RAW_NUMBER_SHOWN = 40
UCS2_CHARS_SHOWN = 20
SUMMARY_PREVIEW = 1000
BOOK_NAME_SHOWN = 100


def text_length(text: str) -> int:
    """Characters as the SMS API (and Telegram) count them: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class RecipientCounts:
    valid: int
    invalid: int


def recipients_prompt(t: Translator, books_failed: str | None = None) -> str:
    text = t("send.recipients_prompt")
    if books_failed:
        text += "\n\n" + t("send.books_unavailable", reason=books_failed)
    return text


def invalid_list(t: Translator, invalid: Sequence[InvalidPhone]) -> str:
    lines = [t.plural("send.invalid_title", len(invalid))]
    for error in invalid[:INVALID_SHOWN]:
        raw = esc(shorten(error.raw.strip(), RAW_NUMBER_SHOWN)) or "—"
        lines.append(t("send.invalid_line", raw=raw, reason=t(f"send.problem_{error.problem}")))
    if len(invalid) > INVALID_SHOWN:
        lines.append(t("send.invalid_more", count=len(invalid) - INVALID_SHOWN))
    return "\n".join(lines)


def phones_report(t: Translator, phones: PhoneList, book_name: str | None = None) -> str:
    """What was taken from typed numbers, a file or a book, and what was left out."""
    if book_name is not None:
        name = esc(shorten(book_name, BOOK_NAME_SHOWN))
        lines = [t.plural("send.book_accepted", len(phones.valid), name=name)]
    else:
        lines = [t.plural("send.numbers_accepted", len(phones.valid))]
    if phones.duplicates:
        lines.append(t.plural("send.duplicates_dropped", phones.duplicates))
    if phones.invalid:
        lines.append(invalid_list(t, phones.invalid))
    if not phones.valid:
        lines.append(t("send.no_valid_numbers"))
    return "\n".join(lines)


def text_report(t: Translator, text: str) -> str:
    count = count_segments(text)
    lines = [
        t(
            "send.text_accepted",
            length=text_length(text),
            encoding=count.encoding.value,
            parts=t.plural("send.parts", count.segments),
            per_part=count.per_segment,
        )
    ]
    if count.ucs2_chars:
        shown = " ".join(
            f"<code>{esc(char)}</code>" for char in count.ucs2_chars[:UCS2_CHARS_SHOWN]
        )
        if len(count.ucs2_chars) > UCS2_CHARS_SHOWN:
            shown += " …"
        lines.append(t("send.ucs2_chars", chars=shown))
    return "\n".join(lines)


def text_refused(t: Translator, text: str) -> str:
    if not text.strip():
        return t("send.text_empty")
    return t("send.text_too_long", length=text_length(text), limit=TEXT_LIMIT)


def time_prompt(t: Translator, tz: ZoneInfo, now: datetime) -> str:
    return t("send.time_prompt", zone=esc(tz.key), now=_minute(now, tz))


def time_refused(t: Translator, problem: TimeProblem, tz: ZoneInfo, now: datetime) -> str:
    return t(f"send.time_{problem.value}", now=_minute(now, tz))


def _minute(now: datetime, tz: ZoneInfo) -> str:
    """The current time to the minute: seconds would only distract."""
    return format_moment(now.replace(second=0, microsecond=0), tz)


def send_time(t: Translator, moment: datetime | None, tz: ZoneInfo) -> str:
    if moment is None:
        return t("send.time_now")
    return format_moment(moment, tz)


def recipients_line(t: Translator, draft: Draft, counts: RecipientCounts) -> str:
    if draft.book_id is not None:
        name = esc(shorten(draft.book_name or str(draft.book_id), BOOK_NAME_SHOWN))
        return t("send.summary_book", name=name)
    return t("send.summary_numbers", numbers=t.plural("send.n_numbers", counts.valid))


def summary_text(
    t: Translator,
    draft: Draft,
    counts: RecipientCounts,
    tz: ZoneInfo,
    available: Decimal | None,
) -> str:
    segments = count_segments(draft.text)
    lines = [
        t("send.summary_title"),
        recipients_line(t, draft, counts),
        t("send.summary_counts", valid=counts.valid, invalid=counts.invalid),
        t(
            "send.summary_text",
            length=text_length(draft.text),
            encoding=segments.encoding.value,
        ),
        quote_block(draft.text, SUMMARY_PREVIEW),
        t(
            "send.summary_sms",
            parts=segments.segments,
            total=segments.segments * counts.valid,
        ),
        t("send.summary_time", time=send_time(t, draft.date_send, tz)),
    ]
    if available is not None:
        lines.append(t("send.summary_money", amount=format_money(available)))
    return "\n".join(lines)


def template_name(text: str, words: int = 5, limit: int = 40) -> str:
    """A template's name: the first words of its text, cut."""
    first = " ".join(text.split()[:words])
    return shorten(first, limit) or "…"
