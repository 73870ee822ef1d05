"""The texts of /recurring: HTML, escaped, bounded far below 4096 characters.

A rule is described the way people say it ("по будням в 09:00", "every Monday and
Thursday at 18:30"), and a monthly rule on a day some months lack says what happens
then (the month's last day).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.recurring.rules import Kind, Rule
from handlers.access.render import display_name
from handlers.common.formatting import esc, format_moment, quote_block, shorten
from handlers.common.i18n import Translator
from handlers.recurring.states import RecurringForm, Setup
from storage import Occurrence, Schedule, ScheduleState, User

BOOK_NAME_SHOWN = 60
CARD_TEXT_SHOWN = 1500
LIST_RULE_SHOWN = 60
NAME_SHOWN = 32
DATE_FORMAT = "%d.%m.%Y"

MARKS = {
    ScheduleState.ACTIVE: "recurring.mark_active",
    ScheduleState.PAUSED: "recurring.mark_paused",
    ScheduleState.ENDED: "recurring.mark_ended",
    ScheduleState.DELETED: "recurring.mark_ended",
}


# -- rules and periods -------------------------------------------------------------


def clock_time(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def describe_rule(t: Translator, rule: Rule, zone: str | None = None) -> str:
    at = rule.at.strftime("%H:%M") + (f" ({zone})" if zone else "")
    if rule.kind is Kind.DAILY:
        return t("recurring.rule_daily", time=at)
    if rule.kind is Kind.WEEKDAYS:
        return t("recurring.rule_weekdays", time=at)
    if rule.kind is Kind.WEEKLY:
        names = [t(f"recurring.weekday_dative.d{day}") for day in sorted(rule.weekdays)]
        days = (
            names[0]
            if len(names) == 1
            else f"{', '.join(names[:-1])} {t('recurring.and')} {names[-1]}"
        )
        return t("recurring.rule_weekly", days=days, time=at)
    text = t("recurring.rule_monthly", day=rule.month_day, time=at)
    if rule.clamps_month_end:
        text += f" ({t('recurring.rule_monthly_clamped')})"
    return text


def day_text(day: date) -> str:
    return day.strftime(DATE_FORMAT)


def describe_period(t: Translator, rule: Rule) -> str:
    start = t("recurring.period_from", start=day_text(rule.starts_on)) if rule.starts_on else None
    end = t("recurring.period_until", end=day_text(rule.ends_on)) if rule.ends_on else None
    if start and end:
        return f"{start} {end}"
    if end:
        return end
    open_end = t("recurring.period_open")
    return f"{start}, {open_end}" if start else open_end


def zone_name(tz: ZoneInfo, now: datetime) -> str:
    return now.astimezone(tz).tzname() or str(tz)


def recipients_text(t: Translator, book_name: str | None, numbers: int) -> str:
    if book_name is not None:
        return "📒 " + esc(shorten(book_name, BOOK_NAME_SHOWN))
    return t.plural("send.n_numbers", numbers)


# -- the list ----------------------------------------------------------------------


def mark(t: Translator, schedule: Schedule) -> str:
    return t(MARKS[schedule.state])


def next_text(t: Translator, schedule: Schedule, tz: ZoneInfo) -> str:
    if schedule.state is not ScheduleState.ACTIVE or schedule.next_due is None:
        return t(f"recurring.state_{schedule.state.value}")
    return "⏭ " + format_moment(schedule.next_due, tz)


def list_text(
    t: Translator,
    schedules: Sequence[Schedule],
    owners: Mapping[int, User | None] | None,
    page: int,
    pages: int,
    tz: ZoneInfo,
) -> str:
    """``owners`` for an admin's list of everyone's schedules; None for one's own."""
    lines = [t("recurring.list_title_all" if owners is not None else "recurring.list_title")]
    if pages > 1:
        lines.append(t("recurring.list_page", page=page + 1, pages=pages))
    if not schedules:
        return "\n".join([*lines, "", t("recurring.list_empty")])
    for schedule in schedules:
        rule = Rule.from_stored(schedule.rule)
        line = t(
            "recurring.list_line",
            mark=mark(t, schedule),
            id=schedule.id,
            rule=esc(shorten(describe_rule(t, rule), LIST_RULE_SHOWN)),
            recipients=recipients_text(t, schedule.book_name, len(schedule.phones)),
            next=next_text(t, schedule, tz),
        )
        if owners is not None:
            name = display_name(owners.get(schedule.owner_id), schedule.owner_id)
            line += t("recurring.list_owner", name=esc(shorten(name, NAME_SHOWN)))
        lines += ["", line]
    lines += ["", t("recurring.list_hint")]
    return "\n".join(lines)


# -- a schedule --------------------------------------------------------------------


def card_text(
    t: Translator,
    schedule: Schedule,
    upcoming: Occurrence | None,
    owner: User | None,
    tz: ZoneInfo,
    now: datetime,
    *,
    show_owner: bool,
    note: str | None = None,
) -> str:
    rule = Rule.from_stored(schedule.rule)
    state = t(f"recurring.state_{schedule.state.value}")
    lines = [t("recurring.card_title", id=schedule.id, state=state)]
    if show_owner:
        name = esc(shorten(display_name(owner, schedule.owner_id), NAME_SHOWN))
        lines.append(t("recurring.card_owner", name=name))
    if schedule.book_name is not None:
        book = esc(shorten(schedule.book_name, BOOK_NAME_SHOWN))
        lines.append(t("recurring.card_recipients_book", name=book))
    else:
        numbers = t.plural("send.n_numbers", len(schedule.phones))
        lines.append(t("recurring.card_recipients_numbers", numbers=numbers))
    lines.append(t("recurring.card_text"))
    lines.append(quote_block(schedule.text, CARD_TEXT_SHOWN, expandable=True))
    lines.append(t("recurring.card_rule", rule=esc(describe_rule(t, rule, zone_name(tz, now)))))
    lines.append(t("recurring.card_period", period=describe_period(t, rule)))
    lines.append(t("recurring.card_late_on" if schedule.send_late else "recurring.card_late_off"))
    lines.append(next_line(t, schedule, upcoming, tz))
    if note:
        lines += ["", note]
    lines += ["", t("recurring.card_how")]
    return "\n".join(lines)


def next_line(t: Translator, schedule: Schedule, upcoming: Occurrence | None, tz: ZoneInfo) -> str:
    if schedule.state is not ScheduleState.ACTIVE or schedule.next_due is None:
        return t("recurring.card_next_none")
    moment = format_moment(schedule.next_due, tz)
    if upcoming is not None and upcoming.created:
        if upcoming.dispatch_id is None:
            return t("recurring.card_next_created_unnumbered", moment=moment)
        return t("recurring.card_next_created", moment=moment, id=upcoming.dispatch_id)
    return t("recurring.card_next_pending", moment=moment)


# -- the set-up wizard -------------------------------------------------------------


def progress(t: Translator, setup: Setup, step: str, tz: ZoneInfo, now: datetime) -> list[str]:
    """The title and what was chosen so far."""
    title = t("recurring.edit_title", id=setup.edit) if setup.edit else t("recurring.setup_title")
    lines = [title]
    if setup.has_recipients and step != RecurringForm.recipients.state:
        if setup.book_name is not None:
            book = esc(shorten(setup.book_name, BOOK_NAME_SHOWN))
            lines.append(t("recurring.progress_recipients_book", name=book))
        else:
            numbers = t.plural("send.n_numbers", setup.numbers)
            lines.append(t("recurring.progress_recipients_numbers", numbers=numbers))
    if setup.text and step not in (RecurringForm.recipients.state, RecurringForm.text.state):
        lines.append(t("recurring.progress_text", length=len(setup.text.encode("utf-16-le")) // 2))
    rule = _rule_so_far(setup)
    if rule is not None and step in (RecurringForm.period.state, RecurringForm.summary.state):
        lines.append(
            t("recurring.progress_rule", rule=esc(describe_rule(t, rule, zone_name(tz, now))))
        )
        if step == RecurringForm.summary.state:
            lines.append(t("recurring.progress_period", period=describe_period(t, rule)))
    return lines


def _rule_so_far(setup: Setup) -> Rule | None:
    if setup.kind is None or setup.at_minute is None:
        return None
    try:
        return setup.rule()
    except ValueError:
        return None


def wizard_text(
    t: Translator,
    setup: Setup,
    step: str,
    question: str,
    tz: ZoneInfo,
    now: datetime,
    *,
    note: str | None = None,
    error: str | None = None,
) -> str:
    lines = progress(t, setup, step, tz, now)
    if note:
        lines += ["", note]
    lines += ["", question]
    if error:
        lines += ["", "❗️ " + error]
    return "\n".join(lines)


def summary_question(t: Translator, setup: Setup, first: datetime | None, tz: ZoneInfo) -> str:
    lines = [
        t("recurring.card_late_on" if setup.send_late else "recurring.card_late_off"),
        t("recurring.summary_first", moment=format_moment(first, tz))
        if first is not None
        else t("recurring.summary_none"),
        "",
        t("recurring.summary_question"),
    ]
    return "\n".join(lines)


def moments_text(moments: Sequence[datetime], tz: ZoneInfo, shown: int, more: str) -> str:
    text = ", ".join(format_moment(moment, tz) for moment in moments[:shown])
    return text + (f", {more}" if len(moments) > shown else "")
