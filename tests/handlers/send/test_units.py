"""The send feature's pure parts and its storage additions, without Telegram."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.phones import parse_phone_list
from handlers.common.formatting import MESSAGE_LIMIT, visible_length, zone_label
from handlers.common.i18n import translator
from handlers.send import render
from handlers.send.callbacks import CalendarCallback, CalendarKind, ConfirmCallback
from handlers.send.recipients import read_numbers_file
from handlers.send.states import SendForm
from handlers.send.timing import (
    TimeProblem,
    TimeRefused,
    hour_is_over,
    in_one_hour,
    month_after,
    parse_send_time,
    tomorrow_morning,
)
from storage import Draft, DraftState, Storage

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 10, 12, 0, 30, tzinfo=UTC)  # 15:00:30 in Moscow


def refused(text: str, tz: ZoneInfo = MOSCOW, now: datetime = NOW) -> TimeProblem:
    with pytest.raises(TimeRefused) as caught:
        parse_send_time(text, tz, now)
    return caught.value.problem


def test_typed_times_are_read_in_the_api_zone() -> None:
    assert parse_send_time("10.03.2026 15:01", MOSCOW, NOW) == datetime(
        2026, 3, 10, 15, 1, tzinfo=MOSCOW
    )
    assert parse_send_time(" 1.4.2026 9:05:07 ", MOSCOW, NOW) == datetime(
        2026, 4, 1, 9, 5, 7, tzinfo=MOSCOW
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("32.13.2026 25:00", TimeProblem.MALFORMED),
        ("tomorrow", TimeProblem.MALFORMED),
        ("10.03.26 15:00", TimeProblem.MALFORMED),
        ("10.03.2026 15:60", TimeProblem.MALFORMED),
        ("", TimeProblem.MALFORMED),
        ("31.02.2027 10:00", TimeProblem.NO_SUCH_DATE),
        ("31.04.2027 10:00", TimeProblem.NO_SUCH_DATE),
        ("10.03.2026 15:00", TimeProblem.PAST),
        ("10.03.2026 15:00:30", TimeProblem.PAST),  # exactly now is not the future
        ("01.01.2020 00:00", TimeProblem.PAST),
    ],
)
def test_bad_times_are_refused_with_their_reason(text: str, problem: TimeProblem) -> None:
    assert refused(text) is problem


def test_a_time_skipped_by_a_clock_change_does_not_exist() -> None:
    # Berlin jumps from 02:00 to 03:00 on 29 March 2026.
    assert refused("29.03.2026 02:30", BERLIN) is TimeProblem.NO_SUCH_DATE
    assert parse_send_time("29.03.2026 03:30", BERLIN, NOW).hour == 3


def test_quick_choices() -> None:
    assert in_one_hour(MOSCOW, NOW) == datetime(2026, 3, 10, 16, 0, tzinfo=MOSCOW)
    assert tomorrow_morning(MOSCOW, NOW) == datetime(2026, 3, 11, 9, 0, tzinfo=MOSCOW)
    late = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)  # already the 11th in Moscow
    assert tomorrow_morning(MOSCOW, late) == datetime(2026, 3, 12, 9, 0, tzinfo=MOSCOW)


def test_calendar_arithmetic() -> None:
    assert month_after(2026, 12, 1) == (2027, 1)
    assert month_after(2026, 1, -1) == (2025, 12)
    today = date(2026, 3, 10)
    assert hour_is_over(today, 14, MOSCOW, NOW)
    assert not hour_is_over(today, 15, MOSCOW, NOW)  # 15:15 is still ahead


def test_callback_data_stays_far_below_64_bytes() -> None:
    confirm = ConfirmCallback(draft_id="f" * 32).pack()
    calendar = CalendarCallback(
        draft="abcdef12", kind=CalendarKind.MINUTE, year=2026, month=12, day=31, hour=23, minute=45
    ).pack()
    assert len(confirm.encode()) <= 40 and len(calendar.encode()) <= 40


def test_numbers_files_in_utf8_or_windows_1251() -> None:
    assert read_numbers_file("Имя;380711112233".encode("cp1251"), "csv").valid == ["380711112233"]
    bom = read_numbers_file("\ufeffИмя\n0711112233".encode(), "txt")
    assert bom.valid == ["380711112233"] and [bad.raw for bad in bom.invalid] == ["Имя"]
    with pytest.raises(UnicodeDecodeError):
        read_numbers_file(b"\x89PNG\x00\x00", "csv")
    with pytest.raises(UnicodeDecodeError):
        read_numbers_file(bytes(range(0x80, 0x100)) * 10, "csv")  # no text in either encoding


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_summary_of_the_longest_text_fits_a_message(language: str) -> None:
    t = translator(language)
    draft = Draft(
        id="d" * 32,
        user_id=1,
        chat_id=1,
        book_id=3,
        book_name="<" * 300,
        phones=[],
        text="&" * 5000,
        date_send=NOW,
        state=DraftState.PENDING,
        dispatch_id=None,
        created_at=NOW,
        updated_at=NOW,
    )
    money = render.Money(Decimal(5), Decimal("1.5"))
    text = render.summary_text(t, draft, render.RecipientCounts(100_000, 7), MOSCOW, money)
    assert visible_length(text) < MESSAGE_LIMIT
    assert "&amp;" in text and "<<" not in text


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_wizard_with_a_report_of_many_invalid_numbers_fits_a_message(language: str) -> None:
    t = translator(language)
    typed = "\n".join("😀" * 60 + str(i) for i in range(1000))
    report = render.no_numbers(t, parse_phone_list(typed))
    draft = Draft(
        id="d" * 32, user_id=1, chat_id=1, book_id=3, book_name="😀" * 300, phones=[],
        text="", date_send=None, state=DraftState.PENDING, dispatch_id=None,
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    question = render.recipients_question(t, "x" * 300)
    text = render.wizard_text(
        t, draft, render.RecipientCounts(0, 0), SendForm.recipients, question, MOSCOW,
        note=report, error=report,
    )  # fmt: skip
    assert visible_length(text) < MESSAGE_LIMIT  # in UTF-16 units, as Telegram counts
    assert "990" in report  # "and 990 more"


def test_template_names_are_the_first_words_cut() -> None:
    assert render.template_name("Our shop opens at nine tomorrow") == "Our shop opens at nine"
    assert render.template_name("x" * 100) == "x" * 39 + "…"


async def test_by_dispatch_id_finds_only_the_draft_that_sent_it(store: Storage) -> None:
    sent = await store.drafts.create(7, 7, text="a", book_id=1, book_name="b")
    await store.drafts.claim_for_sending(sent.id)
    await store.drafts.mark_sent(sent.id, 42)
    unknown = await store.drafts.create(7, 7, text="b", phones=["380711112233"])
    await store.drafts.claim_for_sending(unknown.id)
    await store.drafts.mark_unknown(unknown.id)

    found = await store.drafts.by_dispatch_id(42)
    assert found is not None and found.id == sent.id
    assert await store.drafts.by_dispatch_id(43) is None


async def test_recent_book_ids_most_recent_first_per_user(tmp_path: Path) -> None:
    moments = iter(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n) for n in range(100))
    store = await Storage.open(tmp_path / "bot.sqlite3", clock=lambda: next(moments))
    try:
        for book_id in (3, 1, 3, 2):
            await store.drafts.create(7, 7, text="", book_id=book_id, book_name="b")
        await store.drafts.create(8, 8, text="", book_id=9, book_name="other user")
        await store.drafts.create(7, 7, text="", phones=["380711112233"])
        assert await store.drafts.recent_book_ids(7, 8) == [2, 3, 1]
        assert await store.drafts.recent_book_ids(7, 2) == [2, 3]
    finally:
        await store.close()


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/Moscow", "MSK"),
        ("Europe/Kaliningrad", "EET"),
        ("Asia/Yekaterinburg", "UTC+5"),  # the database knows only "+05"
        ("Asia/Kolkata", "IST"),
        ("Asia/Kathmandu", "UTC+5:45"),
        ("America/Sao_Paulo", "UTC−3"),
        ("UTC", "UTC"),
    ],
)
def test_a_zone_is_named_as_people_name_it_never_by_its_key(zone: str, expected: str) -> None:
    assert zone_label(ZoneInfo(zone), datetime(2026, 1, 15, 12, tzinfo=UTC)) == expected
