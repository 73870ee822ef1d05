"""Group chats: the bot serves private chats, and alerts to a team's group.

The access gate sends every update from a group, supergroup or channel to ``refusal``
before anything else (no profile is written, no access request made, nothing read from
the SMS API), but for what ``routing`` lets through to this router: the bot's own
membership changes (``membership``), the group becoming a supergroup, ``/alerts`` from
an admin of the bot and the answer to its threshold question (``alerts``), and taps on
the bot's group buttons, checked against the presser's role (``alerts``, ``rerun``).
What a bound group hears is the poller's (``core/watch/channels.py``), worded by
``handlers/notify/groups.py``.
"""

from aiogram import F, Router
from aiogram.filters import Command

from handlers.common.filters import InLoop
from handlers.common.roles import is_admin
from handlers.groups import alerts, rerun
from handlers.groups.callbacks import GroupAlertsAction, GroupAlertsCallback, GroupRerunCallback
from handlers.groups.chats import SHARED_CHATS
from handlers.groups.membership import bot_added, bot_removed, entered, left, moved
from handlers.groups.screen import TOGGLES


def build_router() -> Router:
    router = Router(name="groups")
    in_a_group = InLoop(F.chat.type.in_(SHARED_CHATS))
    router.my_chat_member.register(bot_added, in_a_group, entered)
    router.my_chat_member.register(bot_removed, in_a_group, left)

    message = router.message.register
    message(moved, in_a_group, InLoop(F.migrate_to_chat_id | F.migrate_from_chat_id))
    message(alerts.open_screen, in_a_group, Command("alerts"), is_admin)
    message(alerts.threshold_replied, in_a_group, is_admin, InLoop(F.reply_to_message))
    message(alerts.ignore, in_a_group)  # nothing from a group goes on to other features

    tap = router.callback_query.register
    tapped_in_a_group = InLoop(F.message.chat.type.in_(SHARED_CHATS))
    screen = GroupAlertsCallback.filter
    tap(alerts.refuse_tap, tapped_in_a_group, screen(), ~is_admin)
    tap(alerts.toggle, tapped_in_a_group, screen(F.action.in_(set(TOGGLES))))
    tap(alerts.ask_threshold, tapped_in_a_group, screen(F.action == GroupAlertsAction.THRESHOLD))
    tap(rerun.rerun_tapped, tapped_in_a_group, GroupRerunCallback.filter())
    return router
