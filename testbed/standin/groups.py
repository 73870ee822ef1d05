"""Group chats as Telegram has them: several members, the bot added and removed by one of
them, messages from members, taps on the bot's buttons there, and the bot leaving.

    team = standin.group(-1001, "Sales team", members=[alla, max])
    await team.add_bot(by=alla)            # my_chat_member, and the service message
    await team.send_text(max, "/balance")  # from a member, chat.type "group"
    reply = await team.wait_for_reply()
    await team.send_text(alla, "150", reply_to=reply)  # a reply to the bot: heard
    super_team = await team.upgrade(by=alla, new_chat_id=-1001001)  # now a supergroup

What the bot hears follows Telegram: with privacy mode on (a bot's default) only
commands, mentions of the bot, replies to its messages and service messages reach it,
unless it is an administrator of the group; nothing reaches it once it is out. A group
upgraded to a supergroup lives on under a new id: both chats get a service message
(``migrate_to_chat_id``, ``migrate_from_chat_id``) and a write to the old id is refused
with 400 and ``parameters.migrate_to_chat_id``.
"""

from __future__ import annotations

import re
from typing import Any

from .client import DEFAULT_WAIT, MessagePredicate, SimUser, command_entities, next_bot_message
from .serialize import chat_member, chat_object, message_object
from .state import GroupChat, StandinMessage, StandinState, unix_now

COMMAND_START = re.compile(r"^/[A-Za-z0-9_]")


class SimGroup:
    """One group (or supergroup, or channel) with the bot's status in it."""

    def __init__(
        self, state: StandinState, chat: GroupChat, registry: dict[int, SimGroup] | None = None
    ) -> None:
        self._state = state
        self._chat = chat
        self._cursor = state.seq
        # The stand-in's groups by id: an upgrade registers the supergroup it makes there.
        self._registry = registry if registry is not None else {}

    @property
    def chat_id(self) -> int:
        return self._chat.id

    @property
    def chat(self) -> dict[str, Any]:
        """The Telegram Chat object of this group."""
        return chat_object(self._chat)

    @property
    def title(self) -> str:
        return self._chat.title

    @property
    def members(self) -> list[dict[str, Any]]:
        """The members' User objects, in the order they joined."""
        return list(self._chat.members.values())

    @property
    def migrated_to(self) -> int | None:
        """The supergroup this group became, if it did."""
        return self._chat.migrated_to

    @property
    def bot_status(self) -> str:
        """member, administrator, left or kicked."""
        return self._chat.bot_status

    @property
    def messages(self) -> list[StandinMessage]:
        return self._chat.visible()

    def bot_messages(self) -> list[StandinMessage]:
        return [message for message in self.messages if message.from_bot]

    def join(self, *users: SimUser) -> None:
        for user in users:
            self._chat.members[user.user_id] = user.user

    # -- the bot's membership ----------------------------------------------------

    async def add_bot(self, by: SimUser, *, as_admin: bool = False) -> dict[str, Any]:
        """A member adds the bot (as an administrator, or as a plain member): the bot gets
        ``my_chat_member`` and, in a group, the service message everyone sees."""
        self._ensure_member(by)
        update = await self._bot_status_changes("administrator" if as_admin else "member", by.user)
        if self._chat.chat_type != "channel":
            await self._post(by.user, new_chat_members=[self._state.bot_user], deliver=True)
        return update

    async def remove_bot(self, by: SimUser) -> dict[str, Any]:
        """A member removes the bot: it is out ("left" in a basic group, "kicked" in a
        supergroup or channel) and hears nothing more from here."""
        self._ensure_member(by)
        status = "left" if self._chat.chat_type == "group" else "kicked"
        return await self._bot_status_changes(status, by.user)

    async def bot_left(self) -> dict[str, Any]:
        """The bot left by itself (``leaveChat``): Telegram tells it so, from itself."""
        return await self._bot_status_changes("left", self._state.bot_user)

    async def upgrade(self, by: SimUser, new_chat_id: int) -> SimGroup:
        """A member turns the group into a supergroup (as Telegram's apps do, for more
        members or a public link): the same members and bot, a new id. The bot hears a
        service message in each chat; the old id is out of use from now on."""
        self._ensure_member(by)
        if self._chat.chat_type != "group":
            raise ValueError("only a basic group is upgraded to a supergroup")
        if new_chat_id in self._state.groups or new_chat_id >= 0:
            raise ValueError(f"{new_chat_id} is not a free supergroup id")
        supergroup = GroupChat(
            chat_id=new_chat_id,
            title=self._chat.title,
            chat_type="supergroup",
            members=dict(self._chat.members),
            bot_status=self._chat.bot_status,
        )
        self._state.groups[new_chat_id] = supergroup
        upgraded = self._registry[new_chat_id] = SimGroup(self._state, supergroup, self._registry)
        present = self._chat.bot_present
        # The old chat's last message says where it went; the new one's first, where from.
        await self._post(by.user, migrate_to_chat_id=new_chat_id, deliver=present)
        self._chat.migrated_to = new_chat_id
        await upgraded._post(by.user, migrate_from_chat_id=self._chat.id, deliver=present)
        return upgraded

    async def _bot_status_changes(self, status: str, by: dict[str, Any]) -> dict[str, Any]:
        bot = self._state.bot_user
        old = chat_member(bot, self._chat.bot_status)
        self._chat.bot_status = status
        update = await self._state.updates.put(
            {
                "my_chat_member": {
                    "chat": chat_object(self._chat),
                    "from": by,
                    "date": unix_now(),
                    "old_chat_member": old,
                    "new_chat_member": chat_member(bot, status),
                }
            }
        )
        await self._state.notify()
        return update

    # -- members writing and tapping ------------------------------------------------

    async def send_text(
        self, member: SimUser, text: str, *, reply_to: StandinMessage | int | None = None
    ) -> StandinMessage:
        """A member writes in the group, perhaps in reply to a message there; whether the
        bot hears it is Telegram's rule."""
        self._ensure_member(member)
        entities = command_entities(text)
        replied = self._target(reply_to) if reply_to is not None else None
        return await self._post(
            member.user,
            text=text,
            entities=entities or None,
            reply_to_message_id=replied.message_id if replied else None,
            deliver=self._bot_hears(text, replied),
        )

    async def post(self, text: str) -> StandinMessage:
        """A post in a channel: no sender, only the channel (``sender_chat``)."""
        if self._chat.chat_type != "channel":
            raise ValueError("only a channel has posts; members send_text in a group")
        message = self._state.add_message(self._chat, {}, text=text)
        if self._chat.bot_present:
            body = message_object(message, self._chat)
            body.pop("from")
            body["sender_chat"] = chat_object(self._chat)
            await self._state.updates.put({"channel_post": body})
        await self._state.notify()
        return message.snapshot()

    async def tap(
        self, member: SimUser, button: str, message: StandinMessage | int | None = None
    ) -> dict[str, Any]:
        """A member presses an inline button (by text, else by callback_data) of a bot
        message here, the latest with a keyboard by default."""
        target = self._target(message)
        found = target.find_button(button)
        if found is None or "callback_data" not in found:
            raise LookupError(f"no callback button {button!r}; buttons: {target.button_texts()}")
        return await self.send_callback(member, found["callback_data"], target)

    async def send_callback(
        self, member: SimUser, data: str, message: StandinMessage | int | None = None
    ) -> dict[str, Any]:
        """A callback query with any data on a message here, as a modified client could."""
        self._ensure_member(member)
        target = self._target(message)
        record = self._state.new_callback_query(target, data)
        self._cursor = self._state.seq
        return await self._state.updates.put(
            {
                "callback_query": {
                    "id": record.query_id,
                    "from": member.user,
                    "message": message_object(target, self._chat),
                    "chat_instance": f"instance{self.chat_id}",
                    "data": data,
                }
            }
        )

    # -- waiting -------------------------------------------------------------

    async def wait_for_reply(
        self,
        predicate: MessagePredicate | None = None,
        timeout: float = DEFAULT_WAIT,  # noqa: ASYNC109 - a waiting helper
    ) -> StandinMessage:
        """The next bot message here, new or edited, after the last member action."""

        try:
            event = await self._state.wait_for(
                lambda: next_bot_message(self._chat.events, self._cursor, predicate), timeout
            )
        except TimeoutError:
            seen = [m.text for m in self.messages[-5:]]
            raise TimeoutError(
                f"no bot message in group {self.chat_id} within {timeout}s; it ends with {seen}"
            ) from None
        self._cursor = event.seq
        return event.message

    # -- inside ----------------------------------------------------------------

    def _bot_hears(self, text: str, replied: StandinMessage | None = None) -> bool:
        if not self._chat.bot_present:
            return False
        if self._chat.bot_status == "administrator":
            return True
        if replied is not None and replied.from_bot:
            return True  # a reply to the bot's message is meant for it
        username = self._state.bot_user.get("username", "")
        return bool(COMMAND_START.match(text)) or f"@{username}".lower() in text.lower()

    def _ensure_member(self, user: SimUser) -> None:
        if self._chat.migrated_to is not None:
            raise LookupError(
                f"group {self.chat_id} became supergroup {self._chat.migrated_to}; act there"
            )
        if user.user_id not in self._chat.members:
            raise LookupError(f"user {user.user_id} is not a member of group {self.chat_id}")

    def _target(self, message: StandinMessage | int | None) -> StandinMessage:
        if message is None:
            with_keyboard = [m for m in self.messages if m.from_bot and m.inline_keyboard]
            if not with_keyboard:
                raise LookupError("no bot message with an inline keyboard in this group")
            return with_keyboard[-1]
        message_id = message if isinstance(message, int) else message.message_id
        live = self._chat.find(message_id)
        if live is None:
            raise LookupError(f"message {message_id} is not in the group")
        return live

    async def _post(
        self, sender: dict[str, Any], *, deliver: bool, **content: Any
    ) -> StandinMessage:
        content = {key: value for key, value in content.items() if value is not None}
        message = self._state.add_message(self._chat, sender, **content)
        self._cursor = self._state.seq
        if deliver:
            await self._state.updates.put({"message": message_object(message, self._chat)})
        await self._state.notify()
        return message.snapshot()
