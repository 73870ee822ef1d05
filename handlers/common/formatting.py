"""Small pieces every screen uses: escaping, dates with their zone, money, cutting to size.

Every piece of user or server text goes through :func:`esc` before it meets HTML markup.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

MESSAGE_LIMIT = 4096
DATE_FORMAT = "%d.%m.%Y %H:%M"
_TAG = re.compile(r"<[^>]+>")


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def format_moment(moment: datetime | None, tz: ZoneInfo, *, with_zone: bool = True) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(tz)
    text = local.strftime(DATE_FORMAT)
    if local.second:
        text = local.strftime(DATE_FORMAT + ":%S")
    return f"{text} ({local.tzname()})" if with_zone else text


def zone_label(tz: ZoneInfo, at: datetime) -> str:
    """A time zone as people name it: its abbreviation ("MSK"), or the offset ("UTC+3")
    where the zone has only a numeric one, never the database key ("Europe/Moscow")."""
    local = at.astimezone(tz)
    name = local.tzname() or ""
    if name.isalpha():
        return name
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "") if minutes else "UTC"


def shorten(text: str, limit: int) -> str:
    """Cut plain text to ``limit`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def quote_block(text: str, limit: int = 1000, *, expandable: bool = False) -> str:
    """User text shown inside a message: escaped, cut, in a blockquote (folded to a few
    lines until tapped, when ``expandable``)."""
    tag = "blockquote expandable" if expandable else "blockquote"
    return f"<{tag}>{esc(shorten(text, limit))}</blockquote>"


def visible_length(html_text: str) -> int:
    """Length as Telegram counts it against its 4096 limit: UTF-16 code units of the text
    after entity parsing (tags gone, entities one character)."""
    return len(html.unescape(_TAG.sub("", html_text)).encode("utf-16-le")) // 2
