"""Group chats: the bot serves private chats only.

The access gate sends every update from a group, supergroup or channel to ``refusal``
before anything else (no profile is written, no access request made, nothing read from
the SMS API); only the bot's own membership changes (``my_chat_member``) come on to this
router. A later feature that binds alert channels to groups starts from the groups kept
here (``storage.group_chats``).
"""

from aiogram import F, Router

from handlers.common.filters import InLoop
from handlers.groups.chats import SHARED_CHATS
from handlers.groups.membership import bot_added, bot_removed, entered, left


def build_router() -> Router:
    router = Router(name="groups")
    in_a_group = InLoop(F.chat.type.in_(SHARED_CHATS))
    router.my_chat_member.register(bot_added, in_a_group, entered)
    router.my_chat_member.register(bot_removed, in_a_group, left)
    return router
