"""What an approval request looks like: to the admins (the request with its buttons, and
what became of it), and to its requester (their summary, waiting, then closed).

HTML, escaped, bounded by construction: the text is shown cut as on the summary, names
are cut, and the rest are numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.approval_rules import ApprovalRule
from core.segments import Encoding, count_segments
from core.send_settings import Limit
from handlers.access.render import display_name
from handlers.approval.callbacks import ApprovalAction, ApprovalCallback, RejectReason
from handlers.common.formatting import esc, format_moment, quote_block, shorten
from handlers.common.i18n import Translator
from handlers.send import render as send_render
from storage import ApprovalRequest, Draft, User

BOOK_NAME_SHOWN = 60


def request_text(
    t: Translator,
    request: ApprovalRequest,
    draft: Draft,
    requester: User | None,
    tz: ZoneInfo,
    rule: ApprovalRule | None,
) -> str:
    """The request as the admins see it: who asks, to whom, what, when, how much, and
    which limit it goes above."""
    segments = count_segments(draft.text).segments
    lines = [
        t("approval.title", id=request.id),
        t("approval.from", name=esc(display_name(requester, request.requester_id))),
        "",
        _recipients(t, request, draft),
        t("send.summary_text", length=send_render.text_length(draft.text),
          encoding=t(_encoding(draft.text))),
        quote_block(draft.text, send_render.SUMMARY_PREVIEW, expandable=True),
        t("send.summary_sms", parts=segments, valid=request.recipients, total=request.parts),
        t("send.summary_time", time=send_render.send_time(t, draft.date_send, tz)),
    ]  # fmt: skip
    if request.cost is not None:
        lines.append(t("approval.cost", cost=t.money(request.cost)))
    above = _above(t, request, rule)
    if above:
        lines.append(t("approval.above", limits=above))
    lines.append(t("approval.expires", moment=format_moment(request.expires_at, tz)))
    return "\n".join(lines)


def _encoding(text: str) -> str:
    gsm = count_segments(text).encoding is Encoding.GSM7
    return "send.encoding_gsm" if gsm else "send.encoding_ucs2"


def _recipients(t: Translator, request: ApprovalRequest, draft: Draft) -> str:
    numbers = t.plural("send.n_numbers", request.recipients)
    if request.stopped:
        numbers += " " + t("send.progress_stopped", stopped=request.stopped)
    if draft.book_id is not None:
        name = esc(shorten(draft.book_name or str(draft.book_id), BOOK_NAME_SHOWN))
        return t("send.progress_recipients_book", name=name, numbers=numbers)
    return t("send.progress_recipients_numbers", numbers=numbers)


def _above(t: Translator, request: ApprovalRequest, rule: ApprovalRule | None) -> str:
    if rule is None:
        return ""
    limits = rule.limits
    above: Sequence[Limit] = rule.exceeded(request.recipients, request.parts)
    shown = {
        Limit.RECIPIENTS: lambda: t("approval.above_recipients", limit=limits.recipients),
        Limit.PARTS: lambda: t("approval.above_parts", limit=limits.parts),
        Limit.COST: lambda: t("approval.above_cost", limit=t.money(limits.cost)),
    }
    return ", ".join(shown[limit]() for limit in above)


def request_keyboard(t: Translator, request_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("approval.button_approve"),
        callback_data=ApprovalCallback(action=ApprovalAction.APPROVE, request=request_id),
    )
    builder.button(
        text=t("approval.button_reject"),
        callback_data=ApprovalCallback(action=ApprovalAction.REJECT, request=request_id),
    )
    builder.adjust(2)
    return builder.as_markup()


def reasons_keyboard(t: Translator, request_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for reason in RejectReason:
        builder.button(
            text=t(f"approval.reason_button_{reason.value}"),
            callback_data=ApprovalCallback(
                action=ApprovalAction.REASON, request=request_id, reason=reason.value
            ),
        )
    builder.button(
        text=t("approval.button_back"),
        callback_data=ApprovalCallback(action=ApprovalAction.BACK, request=request_id),
    )
    builder.adjust(1)
    return builder.as_markup()


def reason_text(t: Translator, reason: str | None) -> str:
    known = reason in {item.value for item in RejectReason}
    return t(f"approval.reason_{reason if known else RejectReason.NONE.value}")


# -- what became of it, for the admins ----------------------------------------------------


def approved_line(t: Translator, admin: str, dispatch_id: int | None) -> str:
    if dispatch_id is None:
        return t("approval.approved_unnumbered", admin=esc(admin))
    return t("approval.approved", admin=esc(admin), id=dispatch_id)


def unknown_line(t: Translator, admin: str) -> str:
    return t("approval.approved_unknown", admin=esc(admin))


def rejected_line(t: Translator, admin: str, reason: str | None) -> str:
    return t("approval.rejected", admin=esc(admin), reason=reason_text(t, reason))


def expired_line(t: Translator) -> str:
    return t("approval.expired")


# -- for the requester --------------------------------------------------------------------


def waiting_line(t: Translator, request: ApprovalRequest, tz: ZoneInfo) -> str:
    """Under the requester's summary while the admins decide."""
    return t("approval.waiting", id=request.id, moment=format_moment(request.expires_at, tz))


def requester_summary(
    t: Translator, draft: Draft, request: ApprovalRequest, tz: ZoneInfo, line: str
) -> str:
    """The requester's summary, drawn again in their language, with what became of it."""
    counts = send_render.RecipientCounts(request.recipients, 0, request.stopped)
    summary = send_render.summary_text(t, draft, counts, tz, send_render.Money(None, None))
    return f"{summary}\n\n{line}"


def approved_notice(t: Translator, admin: str) -> str:
    return t("approval.told_approved", admin=esc(admin))


def created_line(
    t: Translator, dispatch_id: int, date_send: datetime, now: datetime, tz: ZoneInfo
) -> str:
    """ "Scheduled for ..." for a dispatch that waits for its time, "sent" when it is."""
    if date_send > now:
        return t("send.scheduled_line", id=dispatch_id, moment=format_moment(date_send, tz))
    return t("send.sent_line", id=dispatch_id)
