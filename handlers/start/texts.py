"""The greeting and the help text, which depend on what the role may do."""

from __future__ import annotations

from handlers.common.formatting import esc, shorten
from handlers.common.i18n import Translator
from handlers.common.roles import CAN_READ, CAN_SEND
from storage import Role

NAME_LIMIT = 64


def greeting(t: Translator, role: Role, first_name: str | None, pending_requests: int) -> str:
    name = esc(shorten(first_name, NAME_LIMIT)) if first_name else t("start.no_name")
    text = t(f"start.greeting_{role.value}", name=name)
    if role is Role.ADMIN and pending_requests:
        text += "\n\n" + t.plural("start.pending_requests", pending_requests)
    return text


def help_text(t: Translator, role: Role) -> str:
    sections = [t("start.help_title", role=t(f"access.role_{role.value}"))]
    if role in CAN_SEND:
        sections.append(
            t("start.help_send") + "\n" + t("start.help_recurring") + "\n" + t("start.help_report")
        )
    elif role in CAN_READ:
        sections.append(t("start.help_read_only"))
    if role in CAN_READ:
        sections.append(t("start.help_read"))
    if role is Role.ADMIN:
        sections.append(t("start.help_admin"))
    sections.append(t("start.help_common"))
    return "\n\n".join(sections)
