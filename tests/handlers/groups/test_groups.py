"""The bot in group chats: private chats only. In a group it says once where to talk to
it and reveals nothing; it creates no access request there; it leaves a group that
someone other than an admin of the bot added it to, and forgets a group it is out of."""

from __future__ import annotations

import pytest

from handlers.common.callbacks import CardAction, CardCallback
from handlers.common.i18n import translator
from storage import Role
from testbed.standin import BotApiStandin, SimGroup, SimUser
from tests.support.access import boards_settled, messages_sent_to, quiet_the_poller
from tests.support.harness import ADMIN_ID, STRANGER_ID, BotUnderTest
from tests.support.waiting import eventually, updates_handled

RU, EN = translator("ru"), translator("en")
BOT = "@phoenix_sms_bot"
NOTICE = RU("groups.private_only", bot=BOT)
GROUP_ID = -5001


@pytest.fixture
def team(standin: BotApiStandin, admin: SimUser, manager: SimUser, stranger: SimUser) -> SimGroup:
    return standin.group(GROUP_ID, "Sales team", [admin, manager, stranger])


async def added_by_admin(bot: BotUnderTest, team: SimGroup, admin: SimUser) -> None:
    await team.add_bot(by=admin)

    async def recorded() -> bool:
        return await bot.store.group_chats.get(team.chat_id) is not None

    await eventually(recorded)


async def test_a_managers_balance_and_books_in_a_group_reveal_nothing(
    bot: BotUnderTest, team: SimGroup, admin: SimUser, manager: SimUser
):
    await added_by_admin(bot, team, admin)
    await quiet_the_poller(bot)

    await team.send_text(manager, "/balance")
    notice = await team.wait_for_reply()
    await team.send_text(manager, "/books@phoenix_sms_bot")
    await team.send_text(manager, "/send")
    await updates_handled(bot)

    assert notice.text == NOTICE
    assert [message.text for message in team.bot_messages()] == [NOTICE]  # nothing else
    assert notice.inline_keyboard is None
    assert bot.sms_requests() == []  # not even a read of the balance
    assert manager.messages == []  # and nothing in private either


async def test_a_stranger_writing_in_a_group_asks_nobody_for_anything(
    bot: BotUnderTest, standin: BotApiStandin, team: SimGroup, admin: SimUser, stranger: SimUser
):
    await added_by_admin(bot, team, admin)

    await team.send_text(stranger, "/start")
    notice = await team.wait_for_reply()
    await team.send_text(stranger, f"{BOT} let me in")
    await updates_handled(bot)
    await boards_settled(bot)

    assert notice.text == NOTICE
    assert await bot.store.access_requests.pending() == []
    assert await bot.store.users.get(STRANGER_ID) is None  # nothing kept of them
    assert messages_sent_to(standin, ADMIN_ID) == 0  # the admins hear nothing
    assert stranger.messages == []


async def test_the_notice_comes_once_per_group_in_the_writers_language(
    bot: BotUnderTest, standin: BotApiStandin, team: SimGroup, admin: SimUser, manager: SimUser
):
    await added_by_admin(bot, team, admin)
    for text in ("/balance", "/help", f"{BOT} hello?", "/start"):
        await team.send_text(manager, text)
    await updates_handled(bot)
    assert [m.text for m in team.bot_messages()] == [NOTICE]

    english = standin.user(2600, "Erin", language_code="en")
    support = standin.group(-5002, "Support", [admin, english])
    await support.add_bot(by=admin)
    await support.send_text(english, "/start")
    assert (await support.wait_for_reply()).text == EN("groups.private_only", bot=BOT)


async def test_chatter_not_meant_for_the_bot_gets_no_notice(
    bot: BotUnderTest, team: SimGroup, admin: SimUser, manager: SimUser
):
    await team.add_bot(by=admin, as_admin=True)  # an administrator sees every message
    await team.send_text(manager, "good morning, team")
    await team.send_text(manager, "/balance@some_other_bot")
    await updates_handled(bot)
    assert team.bot_messages() == []
    assert await bot.store.group_chats.get(GROUP_ID) is not None


async def test_added_by_someone_who_is_not_an_admin_it_says_so_and_leaves(
    bot: BotUnderTest, standin: BotApiStandin, team: SimGroup, manager: SimUser
):
    await team.add_bot(by=manager)

    said = await team.wait_for_reply()
    await standin.wait_for_call("leaveChat")
    await updates_handled(bot)  # the bot hears that it left

    assert said.text == RU("groups.leaving")
    assert team.bot_status == "left"
    assert await bot.store.group_chats.get(GROUP_ID) is None
    assert len(team.bot_messages()) == 1


async def test_added_by_a_stranger_it_leaves_too(
    bot: BotUnderTest, standin: BotApiStandin, team: SimGroup, stranger: SimUser
):
    await team.add_bot(by=stranger)
    await standin.wait_for_call("leaveChat")
    assert team.bot_status == "left"
    assert await bot.store.access_requests.pending() == []


async def test_added_by_an_admin_it_stays_quiet_and_is_forgotten_when_removed(
    bot: BotUnderTest, standin: BotApiStandin, team: SimGroup, admin: SimUser, manager: SimUser
):
    await added_by_admin(bot, team, admin)
    await updates_handled(bot)

    group = await bot.store.group_chats.get(GROUP_ID)
    assert group is not None and (group.added_by, group.title) == (ADMIN_ID, "Sales team")
    assert team.bot_messages() == []  # quiet
    assert standin.calls_to("leaveChat") == []

    await team.send_text(manager, "/start")
    await team.wait_for_reply()
    await team.remove_bot(by=admin)
    await updates_handled(bot)
    assert await bot.store.group_chats.get(GROUP_ID) is None

    # Back again, it says once more where to talk to it.
    await added_by_admin(bot, team, admin)
    await team.send_text(manager, "/start")
    assert (await team.wait_for_reply()).text == NOTICE
    assert len(team.bot_messages()) == 2


async def test_an_admin_by_stored_role_counts_as_an_admin(
    bot: BotUnderTest, standin: BotApiStandin, team: SimGroup
):
    boris = await bot.user(1500, None, first_name="Boris")
    await bot.store.users.set_role(boris.user_id, Role.ADMIN)
    team.join(boris)
    await team.add_bot(by=boris)

    async def recorded() -> bool:
        return await bot.store.group_chats.get(GROUP_ID) is not None

    await eventually(recorded)
    assert standin.calls_to("leaveChat") == []


async def test_a_tap_in_a_group_gets_a_toast_and_does_nothing(
    bot: BotUnderTest, standin: BotApiStandin, team: SimGroup, admin: SimUser, manager: SimUser
):
    await added_by_admin(bot, team, admin)
    await quiet_the_poller(bot)
    await team.send_text(manager, "/start")
    notice = await team.wait_for_reply()
    edits_before = len(standin.calls_to("editMessageText"))

    for data in (
        CardCallback(action=CardAction.REFRESH, dispatch_id=1).pack(),
        CardCallback(action=CardAction.CANCEL_CONFIRMED, dispatch_id=1).pack(),
        "ar:1:m",
        "whatever",
    ):
        update = await team.send_callback(manager, data, notice)
        answer = await manager.wait_for_callback_answer(update["callback_query"]["id"])
        assert answer.text == RU("groups.open_private", bot=BOT)
        assert not answer.show_alert

    await updates_handled(bot)
    assert bot.sms_requests() == []
    assert len(standin.calls_to("editMessageText")) == edits_before
    assert len(team.bot_messages()) == 1
    assert await bot.store.audit.count() == 0
