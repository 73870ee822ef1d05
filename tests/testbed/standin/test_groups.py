"""Group chats in the stand-in, as Telegram has them: members, the bot added and removed,
what the bot hears there (privacy mode), its messages, taps there and ``leaveChat``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update

from testbed.standin import BotApiStandin, SimGroup, SimUser
from testbed.standin.testing import bot_for

GROUP_ID = -4001


@pytest.fixture
async def bot(standin: BotApiStandin) -> AsyncIterator[Bot]:
    client = bot_for(standin)
    yield client
    await client.session.close()


@pytest.fixture
def people(standin: BotApiStandin) -> tuple[SimUser, SimUser, SimUser]:
    return (
        standin.user(11, "Alla"),
        standin.user(12, "Max"),
        standin.user(13, "Stan", language_code="en"),
    )


@pytest.fixture
def team(standin: BotApiStandin, people: tuple[SimUser, SimUser, SimUser]) -> SimGroup:
    return standin.group(GROUP_ID, "Sales team", people[:2])


def queued(standin: BotApiStandin, bot: Bot) -> list[Update]:
    """The updates waiting for getUpdates, as aiogram reads them (it refuses malformed ones)."""
    return [
        Update.model_validate(update, context={"bot": bot})
        for update in standin.state.updates.pending
    ]


def kinds(updates: list[Update]) -> list[str]:
    return [update.event_type for update in updates]


async def test_adding_the_bot_tells_it_who_did_it_and_shows_the_service_message(
    standin: BotApiStandin, bot: Bot, team: SimGroup, people: tuple[SimUser, ...]
):
    alla = people[0]
    await team.add_bot(by=alla)

    membership, service = queued(standin, bot)
    change = membership.my_chat_member
    assert change is not None
    assert (change.chat.id, change.chat.type, change.chat.title) == (
        GROUP_ID,
        "group",
        "Sales team",
    )
    assert change.from_user.id == alla.user_id
    assert change.old_chat_member.status == ChatMemberStatus.LEFT
    assert change.new_chat_member.status == ChatMemberStatus.MEMBER
    assert change.new_chat_member.user.id == bot.id
    assert service.message is not None and service.message.new_chat_members is not None
    assert [member.id for member in service.message.new_chat_members] == [bot.id]
    assert team.bot_status == "member"


async def test_an_administrator_bot_gets_a_full_chat_member_object(
    standin: BotApiStandin, bot: Bot, people: tuple[SimUser, ...]
):
    channel = standin.group(-1001234, "News", people[:1], chat_type="channel")
    await channel.add_bot(by=people[0], as_admin=True)
    [update] = queued(standin, bot)  # no service message in a channel
    assert update.my_chat_member is not None
    assert update.my_chat_member.chat.type == ChatType.CHANNEL
    assert update.my_chat_member.new_chat_member.status == ChatMemberStatus.ADMINISTRATOR

    await channel.post("Price list")
    post = queued(standin, bot)[-1]
    assert post.channel_post is not None and post.channel_post.from_user is None
    assert post.channel_post.sender_chat is not None
    assert post.channel_post.sender_chat.id == -1001234


async def test_with_privacy_mode_the_bot_hears_commands_and_mentions_only(
    standin: BotApiStandin, bot: Bot, team: SimGroup, people: tuple[SimUser, ...]
):
    alla, max_ = people[:2]
    await team.send_text(max_, "/balance")  # not in the group yet: heard by nobody
    assert queued(standin, bot) == []
    await team.add_bot(by=alla)
    standin.state.updates.drop_pending()

    await team.send_text(max_, "good morning, team")
    await team.send_text(max_, "/balance")
    await team.send_text(max_, "@phoenix_sms_bot what is the balance?")
    heard = [update.message for update in queued(standin, bot)]
    assert [message.text for message in heard if message] == [
        "/balance",
        "@phoenix_sms_bot what is the balance?",
    ]
    first = heard[0]
    assert first is not None and first.chat.type == ChatType.GROUP and first.chat.id < 0
    assert first.from_user is not None and first.from_user.id == max_.user_id
    assert [entity.type for entity in first.entities or []] == ["bot_command"]
    assert len(team.messages) == 5  # the one before, the service message, three more
    assert max_.messages == []  # their private chat with the bot saw nothing of it


async def test_an_administrator_bot_hears_everything(
    standin: BotApiStandin, bot: Bot, team: SimGroup, people: tuple[SimUser, ...]
):
    await team.add_bot(by=people[0], as_admin=True)
    standin.state.updates.drop_pending()
    await team.send_text(people[1], "good morning, team")
    assert kinds(queued(standin, bot)) == ["message"]


async def test_the_bot_writes_there_and_a_member_taps_its_button(
    standin: BotApiStandin, bot: Bot, team: SimGroup, people: tuple[SimUser, ...]
):
    await team.add_bot(by=people[0])
    standin.state.updates.drop_pending()
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Refresh", callback_data="dc:rf:1")]]
    )
    sent = await bot.send_message(
        GROUP_ID, "<b>Balance</b>", parse_mode="HTML", reply_markup=markup
    )
    assert sent.chat.id == GROUP_ID and sent.chat.type == ChatType.GROUP
    assert (await team.wait_for_reply()).text == "Balance"

    await team.tap(people[1], "Refresh")
    [tap] = queued(standin, bot)
    query = tap.callback_query
    assert query is not None and query.data == "dc:rf:1"
    assert query.from_user.id == people[1].user_id
    assert query.message is not None and query.message.chat.id == GROUP_ID

    with pytest.raises(LookupError):  # only members write or tap in a group
        await team.send_text(people[2], "/start")


async def test_removed_the_bot_hears_nothing_and_may_not_write(
    standin: BotApiStandin, bot: Bot, team: SimGroup, people: tuple[SimUser, ...]
):
    alla, max_ = people[:2]
    await team.add_bot(by=alla)
    await team.remove_bot(by=alla)
    change = queued(standin, bot)[-1].my_chat_member
    assert change is not None and change.new_chat_member.status == ChatMemberStatus.LEFT
    standin.state.updates.drop_pending()

    await team.send_text(max_, "/balance")
    assert queued(standin, bot) == []
    with pytest.raises(TelegramForbiddenError, match="not a member of the group chat"):
        await bot.send_message(GROUP_ID, "still here?")


async def test_a_supergroup_kicks_the_bot_out(
    standin: BotApiStandin, bot: Bot, people: tuple[SimUser, ...]
):
    crowd = standin.group(-1009876, "Everyone", people, chat_type="supergroup")
    await crowd.add_bot(by=people[0])
    await crowd.remove_bot(by=people[0])
    change = queued(standin, bot)[-1].my_chat_member
    assert change is not None and change.new_chat_member.status == ChatMemberStatus.KICKED
    with pytest.raises(TelegramForbiddenError, match="kicked from the supergroup chat"):
        await bot.send_message(-1009876, "hello")


async def test_leave_chat_takes_the_bot_out_and_tells_it_so(
    standin: BotApiStandin, bot: Bot, team: SimGroup, people: tuple[SimUser, ...]
):
    await team.add_bot(by=people[1])
    standin.state.updates.drop_pending()

    assert await bot.leave_chat(GROUP_ID) is True

    assert team.bot_status == "left"
    [update] = queued(standin, bot)
    change = update.my_chat_member
    assert change is not None and change.from_user.id == bot.id  # it left by itself
    assert change.new_chat_member.status == ChatMemberStatus.LEFT
    with pytest.raises(TelegramForbiddenError):
        await bot.leave_chat(GROUP_ID)  # no longer in it
    with pytest.raises(TelegramBadRequest, match="private chats"):
        await bot.leave_chat(people[0].user_id)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.leave_chat(-5)


@pytest.mark.parametrize(("chat_id", "chat_type"), [(5, "group"), (-5, "private"), (-6, "forum")])
def test_a_group_is_negative_and_of_a_known_type(
    standin: BotApiStandin, chat_id: int, chat_type: str
):
    with pytest.raises(ValueError):
        standin.group(chat_id, "Odd", chat_type=chat_type)


async def test_with_privacy_mode_the_bot_hears_replies_to_its_own_messages_only(
    standin: BotApiStandin, bot: Bot, team: SimGroup, people: tuple[SimUser, ...]
):
    alla, max_ = people[:2]
    await team.add_bot(by=alla)
    said = await bot.send_message(GROUP_ID, "How much?")
    chatter = await team.send_text(max_, "lunch?")
    standin.state.updates.drop_pending()

    await team.send_text(max_, "yes, at one", reply_to=chatter)  # to a person: not heard
    await team.send_text(alla, "150", reply_to=said.message_id)
    [update] = queued(standin, bot)
    reply = update.message
    assert reply is not None and reply.text == "150"
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.message_id == said.message_id
    assert reply.reply_to_message.from_user is not None and reply.reply_to_message.from_user.is_bot
    with pytest.raises(LookupError):
        await team.send_text(alla, "to nothing", reply_to=999)


async def test_an_upgrade_to_a_supergroup_moves_the_chat_to_a_new_id(
    standin: BotApiStandin, bot: Bot, team: SimGroup, people: tuple[SimUser, ...]
):
    alla, max_ = people[:2]
    await team.add_bot(by=alla)
    standin.state.updates.drop_pending()

    supergroup = await team.upgrade(by=alla, new_chat_id=-100777)

    gone, arrived = (update.message for update in queued(standin, bot))
    assert gone is not None and (gone.chat.id, gone.migrate_to_chat_id) == (GROUP_ID, -100777)
    assert arrived is not None and arrived.chat.type == ChatType.SUPERGROUP
    assert (arrived.chat.id, arrived.migrate_from_chat_id) == (-100777, GROUP_ID)
    assert standin.group(-100777) is supergroup and team.migrated_to == -100777
    assert [m["id"] for m in supergroup.members] == [alla.user_id, max_.user_id]
    assert supergroup.bot_status == "member"

    with pytest.raises(TelegramMigrateToChat) as moved:
        await bot.send_message(GROUP_ID, "to the old id")
    assert moved.value.migrate_to_chat_id == -100777
    with pytest.raises(LookupError):
        await team.send_text(max_, "/balance")  # nobody writes in the old group any more
    await bot.send_message(-100777, "here now")
    assert (await supergroup.wait_for_reply()).text == "here now"
    with pytest.raises(ValueError):
        await supergroup.upgrade(by=alla, new_chat_id=-100778)  # a supergroup already
