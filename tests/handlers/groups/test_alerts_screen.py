"""/alerts in a group: an admin of the bot binds the group and chooses what it hears, on
one screen edited in place; the threshold is a reply to the bot's question; nobody else
changes anything, and the binding ends with the bot's removal and follows a supergroup."""

from __future__ import annotations

from decimal import Decimal

from handlers.common.i18n import translator
from testbed.standin import BotApiStandin, SimGroup, SimUser, StandinMessage
from tests.support.access import quiet_the_poller
from tests.support.groups import TEAM_ID, bind, calls_into, team_with_the_bot
from tests.support.harness import ADMIN_ID, BotUnderTest
from tests.support.texts import head
from tests.support.waiting import eventually, updates_handled

RU = translator("ru")
SCREEN = head(RU("group_alerts.title", title="Команда"))
FINAL = RU("group_alerts.button_final", mark=RU("alerts.mark_off"))
FINAL_ON = RU("group_alerts.button_final", mark=RU("alerts.mark_on"))
THRESHOLD = RU("group_alerts.button_threshold", threshold=RU.money(Decimal(0)))


def is_screen(message: StandinMessage) -> bool:
    return SCREEN in (message.text or "") and bool(message.inline_keyboard)


async def open_screen(team: SimGroup, admin: SimUser) -> StandinMessage:
    await team.send_text(admin, "/alerts")
    return await team.wait_for_reply(is_screen)


async def test_an_admin_binds_the_group_and_toggles_what_it_hears_in_one_message(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser, manager: SimUser
):
    team = await team_with_the_bot(bot, standin, admin, manager)
    await quiet_the_poller(bot)

    screen = await open_screen(team, admin)

    async def screen_kept() -> bool:
        alerts = await bot.store.group_alerts.get(TEAM_ID)
        return alerts is not None and alerts.screen_message_id == screen.message_id

    await eventually(screen_kept)
    alerts = await bot.store.group_alerts.get(TEAM_ID)
    assert alerts is not None and not alerts.hears_anything
    assert (alerts.bound_by, alerts.language) == (ADMIN_ID, "ru")
    assert RU("group_alerts.privacy").replace("<i>", "").replace("</i>", "") in screen.text
    assert FINAL in screen.button_texts() and THRESHOLD in screen.button_texts()

    await team.tap(admin, FINAL, screen)
    edited = await team.wait_for_reply(is_screen)
    assert edited.message_id == screen.message_id and FINAL_ON in edited.button_texts()
    await team.tap(admin, RU("group_alerts.button_outages", mark=RU("alerts.mark_off")), edited)
    await team.wait_for_reply(is_screen)

    alerts = await bot.store.group_alerts.get(TEAM_ID)
    assert alerts is not None and alerts.final_states and alerts.outages
    assert not alerts.low_balance and not alerts.not_enough_money
    assert [m.message_id for m in team.bot_messages()] == [screen.message_id]  # one message
    entries = [e for e in await bot.store.audit.recent(10) if e.action == "group.alerts"]
    assert [e.details for e in entries] == [
        {"chat_id": TEAM_ID, "outages": True},
        {"chat_id": TEAM_ID, "final_states": True},
    ]
    assert admin.messages == []  # nothing in private


async def test_someone_elses_alerts_command_binds_nothing_and_says_who_may(
    bot: BotUnderTest,
    standin: BotApiStandin,
    admin: SimUser,
    manager: SimUser,
    observer: SimUser,
    stranger: SimUser,
):
    team = await team_with_the_bot(bot, standin, admin, manager, observer, stranger)
    await quiet_the_poller(bot)
    for person in (manager, observer, stranger):
        await team.send_text(person, "/alerts@phoenix_sms_bot")
        said = await team.wait_for_reply()
        assert said.text == RU("group_alerts.admins_only")
        assert said.inline_keyboard is None

    await team.send_text(admin, "/alerts@some_other_bot")  # another bot's command
    await updates_handled(bot)
    assert await bot.store.group_alerts.get(TEAM_ID) is None
    assert len(team.bot_messages()) == 3
    assert bot.sms_requests() == []


async def test_only_an_admin_may_tap_the_groups_screen(
    bot: BotUnderTest,
    standin: BotApiStandin,
    admin: SimUser,
    manager: SimUser,
    observer: SimUser,
    stranger: SimUser,
):
    team = await team_with_the_bot(bot, standin, admin, manager, observer, stranger)
    await quiet_the_poller(bot)
    screen = await open_screen(team, admin)
    calls_before = len(calls_into(standin, TEAM_ID))

    for person in (manager, observer, stranger):
        for button in (FINAL, THRESHOLD):
            update = await team.tap(person, button, screen)
            toast = await person.wait_for_callback_answer(update["callback_query"]["id"])
            assert toast.text == RU("group_alerts.admins_only_tap") and toast.show_alert

    await updates_handled(bot)
    alerts = await bot.store.group_alerts.get(TEAM_ID)
    assert alerts is not None and not alerts.hears_anything and alerts.prompt_message_id is None
    assert len(calls_into(standin, TEAM_ID)) == calls_before  # nothing written or edited
    assert await bot.store.users.get(stranger.user_id) is None  # nothing kept of them


async def test_the_threshold_is_a_reply_to_the_bots_question(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser, manager: SimUser
):
    team = await team_with_the_bot(bot, standin, admin, manager)
    await quiet_the_poller(bot)
    screen = await open_screen(team, admin)

    await team.tap(admin, THRESHOLD, screen)
    question = await team.wait_for_reply(lambda m: "ответьте на это сообщение" in (m.text or ""))
    assert question.reply_keyboard == {"force_reply": True}
    assert "Alla" in question.text  # it names who is to answer
    [asked] = [
        c.params["reply_markup"]
        for c in standin.calls_to("sendMessage")
        if "force_reply" in c.params.get("reply_markup", {})
    ]
    assert asked["selective"] is True  # the reply field opens for the admin named only

    await team.send_text(manager, "5", reply_to=question)  # not an admin: not the answer
    await team.send_text(admin, "сто рублей", reply_to=question)
    again = await team.wait_for_reply(lambda m: m.message_id == question.message_id)
    assert "это не сумма" in again.text
    alerts = await bot.store.group_alerts.get(TEAM_ID)
    assert alerts is not None and alerts.threshold == Decimal(0)

    await team.send_text(admin, "150,50", reply_to=question)
    saved = await team.wait_for_reply(
        lambda m: m.message_id == question.message_id and "✅" in (m.text or "")
    )
    assert saved.text == RU("group_alerts.threshold_saved", threshold=RU.money(Decimal("150.50")))
    redrawn = await team.wait_for_reply(lambda m: m.message_id == screen.message_id)
    assert RU("group_alerts.button_threshold", threshold=RU.money(Decimal("150.50"))) in (
        redrawn.button_texts()
    )
    alerts = await bot.store.group_alerts.get(TEAM_ID)
    assert alerts is not None and alerts.threshold == Decimal("150.50")
    assert alerts.prompt_message_id is None

    # The question is closed: a later reply to it is no threshold.
    await team.send_text(admin, "10", reply_to=question)
    await updates_handled(bot)
    alerts = await bot.store.group_alerts.get(TEAM_ID)
    assert alerts is not None and alerts.threshold == Decimal("150.50")


async def test_removing_the_bot_ends_the_binding(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser, manager: SimUser
):
    team = await team_with_the_bot(bot, standin, admin, manager)
    await bind(bot, final_states=True, outages=True)

    await team.remove_bot(by=admin)

    async def ended() -> bool:
        return await bot.store.group_alerts.get(TEAM_ID) is None

    await eventually(ended)
    assert await bot.store.group_alerts.listening() == []
    # Added back, it hears nothing until an admin chooses again.
    await team_with_the_bot(bot, standin, admin, manager)
    await updates_handled(bot)
    assert await bot.store.group_alerts.get(TEAM_ID) is None


async def test_a_supergroup_upgrade_takes_the_binding_to_the_new_id(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser, manager: SimUser
):
    team = await team_with_the_bot(bot, standin, admin, manager)
    await bind(bot, final_states=True, threshold=Decimal(77))
    await quiet_the_poller(bot)

    supergroup = await team.upgrade(by=admin, new_chat_id=-1007001)

    async def moved() -> bool:
        return await bot.store.group_alerts.get(-1007001) is not None

    await eventually(moved)
    alerts = await bot.store.group_alerts.get(-1007001)
    assert alerts is not None and alerts.final_states and alerts.threshold == Decimal(77)
    assert await bot.store.group_alerts.get(TEAM_ID) is None
    group = await bot.store.group_chats.get(-1007001)
    assert group is not None and group.chat_type == "supergroup"

    # /alerts in the supergroup shows the binding it brought along.
    await supergroup.send_text(admin, "/alerts")
    screen = await supergroup.wait_for_reply(is_screen)
    assert FINAL_ON in screen.button_texts()
    assert team.bot_messages() == []  # nothing said about it in either chat
