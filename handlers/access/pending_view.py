"""The list of pending access requests, newest first, a page at a time: what an admin's
board (``board.py``) and ``/users`` show, with a row of buttons per request and "deny all".

Every line is bounded (names and usernames cut), so a page stays far below Telegram's
4096 characters whatever the strangers called themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.access.callbacks import (
    Decision,
    DenyAll,
    DenyAllStep,
    PendingDecision,
    PendingPage,
)
from handlers.access.render import decision_line, display_name
from handlers.common.formatting import esc, format_moment, shorten
from handlers.common.i18n import Translator
from handlers.common.paging import clamp_page, page_count
from handlers.common.replies import Screen
from storage import AccessRequest, Storage, User

PAGE_SIZE = 8
NAME_LIMIT = 32
USERNAME_LIMIT = 32
LANGUAGE_LIMIT = 8
BUTTONS = (
    (Decision.MANAGER, "access.button_list_manager"),
    (Decision.OBSERVER, "access.button_list_observer"),
    (Decision.DENY, "access.button_list_deny"),
)


@dataclass(frozen=True)
class PendingList:
    """One page of the pending requests and what is needed to show it."""

    requests: Sequence[AccessRequest]
    profiles: Mapping[int, User | None]
    total: int
    page: int
    pages: int
    newest_id: int | None  # "deny all" covers up to here


async def load_pending(store: Storage, page: int) -> PendingList:
    total = await store.access_requests.pending_count()
    pages = page_count(total, PAGE_SIZE)
    page = clamp_page(page, pages)
    requests = await store.access_requests.pending_newest(PAGE_SIZE, page * PAGE_SIZE)
    newest = requests if page == 0 else await store.access_requests.pending_newest(1)
    profiles = {request.user_id: await store.users.get(request.user_id) for request in requests}
    return PendingList(requests, profiles, total, page, pages, newest[0].id if newest else None)


def pending_screen(t: Translator, listed: PendingList, tz: ZoneInfo, *, board: bool) -> Screen:
    """A page of the list; the board is always the first page and sends to /users for
    the rest, /users turns pages."""
    return Screen(_text(t, listed, tz, board=board), _keyboard(t, listed, board=board))


def _text(t: Translator, listed: PendingList, tz: ZoneInfo, *, board: bool) -> str:
    lines = [t.plural("access.pending_title", listed.total)]
    if listed.total == 0:
        lines.append(t("access.pending_none"))
        return "\n".join(lines)
    if not board and listed.pages > 1:
        lines.append(t("access.pending_page", page=listed.page + 1, pages=listed.pages))
    lines.append(t("access.pending_legend"))
    lines.append("")
    lines.extend(
        _line(t, request, listed.profiles.get(request.user_id), tz) for request in listed.requests
    )
    shown_until = listed.page * PAGE_SIZE + len(listed.requests)
    if board and listed.total > shown_until:
        lines.append(t("access.pending_more", more=listed.total - shown_until))
    return "\n".join(lines)


def _line(t: Translator, request: AccessRequest, profile: User | None, tz: ZoneInfo) -> str:
    username = profile.username if profile is not None else None
    language = profile.telegram_language if profile is not None else None
    return t(
        "access.pending_line",
        id=request.id,
        name=esc(shorten(display_name(profile, request.user_id), NAME_LIMIT)),
        username=esc("@" + shorten(username, USERNAME_LIMIT)) if username else "",
        user_id=request.user_id,
        language=esc(shorten(language, LANGUAGE_LIMIT)) if language else "—",
        moment=format_moment(request.created_at, tz),
    )


def _keyboard(t: Translator, listed: PendingList, *, board: bool) -> InlineKeyboardMarkup | None:
    if listed.total == 0:
        return None
    builder = InlineKeyboardBuilder()
    sizes: list[int] = []
    for request in listed.requests:
        for decision, label in BUTTONS:
            builder.button(
                text=t(label, id=request.id),
                callback_data=PendingDecision(
                    request_id=request.id, decision=decision, page=listed.page
                ),
            )
        sizes.append(len(BUTTONS))
    turns = [] if board else _turns(t, listed)
    for label, target in turns:
        builder.button(text=label, callback_data=PendingPage(page=target))
    if turns:
        sizes.append(len(turns))
    if listed.newest_id is not None:
        builder.button(
            text=t("access.button_deny_all", n=listed.total),
            callback_data=DenyAll(step=DenyAllStep.ASK, up_to=listed.newest_id),
        )
        sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def _turns(t: Translator, listed: PendingList) -> list[tuple[str, int]]:
    turns = []
    if listed.page > 0:
        turns.append((t("access.button_newer"), listed.page - 1))
    if listed.page < listed.pages - 1:
        turns.append((t("access.button_older"), listed.page + 1))
    return turns


def closed_board_text(
    t: Translator,
    last: AccessRequest | None,
    profile: User | None,
    decider: User | None,
    tz: ZoneInfo,
) -> str:
    """The board once nothing waits: it says so, and what was decided last."""
    text = t("access.board_closed")
    if last is None or last.decided_by is None:
        return text
    outcome = decision_line(t, last, display_name(decider, last.decided_by), tz)
    name = esc(shorten(display_name(profile, last.user_id), NAME_LIMIT))
    return f"{text}\n{t('access.board_last', id=last.id, name=name, outcome=outcome)}"
