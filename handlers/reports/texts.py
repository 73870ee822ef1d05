"""A report in words: the period's name, the summary message, the chart's labels and the
table's columns, in the reader's language."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from core.reports import PeriodKind, Report
from core.reports.chart import ChartText
from core.reports.periods import Period
from core.reports.spreadsheet import Cell, Column, Sheet
from core.sms import DispatchStatus
from handlers.common.formatting import format_moment
from handlers.common.i18n import Translator
from storage import ReportDispatch

SHORT_DAY = "%d.%m"
FULL_DAY = "%d.%m.%Y"


def period_name(t: Translator, period: Period) -> str:
    first, last = period.first_day, period.last_day
    if period.kind is PeriodKind.TODAY:
        return t("reports.period_today", day=last.strftime(FULL_DAY))
    if period.kind is PeriodKind.MONTH:
        return t("reports.period_month", month=t(f"reports.month_{first.month}"), year=first.year)
    start = first.strftime(SHORT_DAY if first.year == last.year else FULL_DAY)
    key = {
        PeriodKind.LAST_7_DAYS: "reports.period_7",
        PeriodKind.LAST_30_DAYS: "reports.period_30",
        PeriodKind.WEEK: "reports.period_week",
    }[period.kind]
    return t(key, first=start, last=last.strftime(FULL_DAY))


def month_name(t: Translator, month: date) -> str:
    return t("reports.period_month", month=t(f"reports.month_{month.month}"), year=month.year)


def summary_text(
    t: Translator,
    report: Report,
    tz: ZoneInfo,
    *,
    failure: str | None = None,
    files_follow: bool = True,
) -> str:
    """The summary message (HTML; every piece of server or user text is escaped where it
    is made: ``failure`` comes from ``explain_failure``). Bounded: a few dozen lines."""
    totals = report.totals
    lines = [t("reports.title", period=period_name(t, report.period)), ""]
    if report.dispatches:
        lines += [
            t("reports.dispatches", count=t.number(totals.dispatches)),
            t("reports.parts", count=t.number(totals.parts)),
            t(
                "reports.delivery",
                sent=t.number(totals.sent),
                delivered=t.number(totals.delivered),
                rate=t.percent(totals.delivery_rate),
            ),
        ]
    else:
        lines.append(t("reports.empty"))
    lines += ["", t("reports.spent", amount=t.money(report.spent))]
    if report.credited:
        lines.append(t("reports.credited", amount=t.money(report.credited)))
    if report.balance_now is not None:
        lines.append(t("reports.balance_now", amount=t.money(report.balance_now)))
    if failure:
        lines.append(t("reports.sms_failed", reason=failure))
    lines += ["", "<i>" + "\n".join(notes(t, report, tz)) + "</i>"]
    if files_follow and not report.empty:
        lines += ["", t("reports.files_below")]
    return "\n".join(lines)


def notes(t: Translator, report: Report, tz: ZoneInfo) -> list[str]:
    """The footnote: where the figures come from and what "spent" means."""
    found = []
    if report.observed_at is not None:
        found.append(t("reports.as_of", moment=format_moment(report.observed_at, tz)))
    found += [t("reports.note_dispatches"), t("reports.note_money")]
    if report.balance_since is None:
        found.append(t("reports.note_money_none"))
    elif report.money_partial:
        found.append(t("reports.note_money_since", moment=format_moment(report.balance_since, tz)))
    return found


def chart_text(t: Translator, period: Period) -> ChartText:
    name = period_name(t, period)
    return ChartText(
        title=name[:1].upper() + name[1:],
        sent=t("reports.chart_sent"),
        delivered=t("reports.chart_delivered"),
        balance=t("reports.chart_balance"),
        parts_axis=t("reports.chart_parts_axis"),
        balance_axis=t("reports.chart_balance_axis"),
    )


def file_name(period: Period) -> str:
    return f"report-{period.first_day:%Y-%m-%d}_{period.last_day:%Y-%m-%d}.xlsx"


def sheets(t: Translator, report: Report, tz: ZoneInfo) -> list[Sheet]:
    footer = notes(t, report, tz)  # plain text: the notes carry no markup
    return [_dispatch_sheet(t, report, tz, footer), _day_sheet(t, report)]


def _dispatch_sheet(t: Translator, report: Report, tz: ZoneInfo, footer: list[str]) -> Sheet:
    columns = [
        Column(t("reports.col_id"), 9, "int"),
        Column(t("reports.col_sent_at"), 17, "moment"),
        Column(t("reports.col_creator"), 18),
        Column(t("reports.col_recipients"), 24),
        Column(t("reports.col_text"), 50),
        Column(t("reports.col_status"), 20),
        Column(t("reports.col_parts"), 12, "int"),
        Column(t("reports.col_sent"), 12, "int"),
        Column(t("reports.col_delivered"), 12, "int"),
        Column(t("reports.col_rate"), 14, "percent"),
    ]
    rows: list[list[Cell]] = [_dispatch_row(t, dispatch, tz) for dispatch in report.dispatches]
    return Sheet(t("reports.sheet_dispatches"), columns, rows, footer)


def _dispatch_row(t: Translator, dispatch: ReportDispatch, tz: ZoneInfo) -> list[Cell]:
    rate = None
    if dispatch.sent > 0:
        rate = (Decimal(dispatch.delivered * 100) / Decimal(dispatch.sent)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return [
        dispatch.dispatch_id,
        dispatch.sent_at.astimezone(tz).replace(tzinfo=None),
        dispatch.creator_name
        or (t("reports.made_elsewhere") if dispatch.creator_id is None else "—"),
        dispatch.recipients_desc,
        dispatch.text,
        plain_status(t, dispatch.status),
        dispatch.parts,
        dispatch.sent,
        dispatch.delivered,
        rate,
    ]


def _day_sheet(t: Translator, report: Report) -> Sheet:
    columns = [
        Column(t("reports.col_day"), 12, "day"),
        Column(t("reports.col_dispatches"), 11, "int"),
        Column(t("reports.col_parts"), 12, "int"),
        Column(t("reports.col_sent"), 12, "int"),
        Column(t("reports.col_delivered"), 12, "int"),
        Column(t("reports.col_spent"), 14, "money"),
        Column(t("reports.col_credited"), 14, "money"),
        Column(t("reports.col_balance"), 24, "money"),
    ]
    rows: list[list[Cell]] = [
        [
            day.day,
            day.totals.dispatches,
            day.totals.parts,
            day.totals.sent,
            day.totals.delivered,
            day.spent,
            day.credited,
            day.balance,
        ]
        for day in report.days
    ]
    totals = report.totals
    known = [day.balance for day in report.days if day.balance is not None]
    rows.append(
        [
            t("reports.total"),
            totals.dispatches,
            totals.parts,
            totals.sent,
            totals.delivered,
            report.spent,
            report.credited,
            known[-1] if known else None,
        ]
    )
    return Sheet(t("reports.sheet_days"), columns, rows)


def plain_status(t: Translator, status: str | None) -> str:
    """A status in words without an emoji (a table cell); a status the API added later
    by its own name."""
    if status is None:
        return t("reports.not_seen")
    known = DispatchStatus(status)
    if known is DispatchStatus.UNKNOWN and status != DispatchStatus.UNKNOWN:
        return status
    return t(f"status.{known.value}")
