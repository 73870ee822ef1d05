"""How people and decisions of access requests are named to an admin, and what a request's
own message (as the bot sent them before the boards) shows once it is decided."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from handlers.common.formatting import esc, format_moment, shorten
from handlers.common.i18n import Translator
from storage import AccessRequest, RequestStatus, Role, User

NAME_LIMIT = 64  # Telegram allows 64 characters in a first name; longer is not a name


def display_name(profile: User | None, user_id: int) -> str:
    """Plain text (escape it before HTML): the first name, or the id when there is none."""
    if profile is not None and profile.first_name:
        return shorten(profile.first_name, NAME_LIMIT)
    return str(user_id)


def username_text(t: Translator, profile: User | None) -> str:
    """HTML-safe ``@name``, or a dash."""
    if profile is None or not profile.username:
        return t("access.no_username")
    return _at_username(profile.username)


def username_suffix(profile: User | None) -> str:
    """HTML-safe `` @name`` to follow a name, or nothing."""
    if profile is None or not profile.username:
        return ""
    return " " + _at_username(profile.username)


def _at_username(username: str) -> str:
    return esc("@" + shorten(username, NAME_LIMIT))


def role_name(t: Translator, role: Role | None) -> str:
    return t(f"access.role_{role.value}") if role is not None else t("access.role_none")


def request_text(t: Translator, request: AccessRequest, profile: User | None) -> str:
    language = profile.telegram_language if profile is not None else None
    return t(
        "access.admin_request",
        id=request.id,
        name=esc(display_name(profile, request.user_id)),
        username=username_text(t, profile),
        user_id=request.user_id,
        language=esc(shorten(language, 16)) if language else t("access.no_language"),
    )


def decision_line(t: Translator, request: AccessRequest, admin_name: str, tz: ZoneInfo) -> str:
    moment = format_moment(request.decided_at, tz)
    if request.status is RequestStatus.APPROVED:
        return t(
            "access.decided_approved",
            role=role_name(t, request.approved_role),
            admin=esc(admin_name),
            moment=moment,
        )
    return t("access.decided_denied", admin=esc(admin_name), moment=moment)
