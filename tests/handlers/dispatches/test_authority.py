"""Who may cancel and re-run: the creator and admins; other managers only while an admin
allows it; a dispatch made elsewhere, admins only. A "yes" works once, with the token its
question was asked with; the creator hears when someone else changed their dispatch."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from handlers.admin.callbacks import PermissionChoice, PermissionsAction
from handlers.common.callbacks import CardAction, CardCallback
from handlers.common.i18n import translator
from handlers.dispatches.confirmation import Command, ConfirmedCommand
from storage import Permission, Role
from testbed.emulator import RunningEmulator
from testbed.emulator.validation import NewDispatch
from testbed.standin import BotApiStandin, SimUser, StandinMessage
from tests.support.access import forge_callback
from tests.support.harness import ADMIN_ID, BotUnderTest
from tests.support.texts import plain

RU, EN = translator("ru"), translator("en")
CANCEL, YES_CANCEL = "❌ Отменить", "✅ Да, отменить"


@pytest.fixture
async def colleague(bot: BotUnderTest) -> SimUser:
    """Another manager, who did not create the dispatches."""
    return await bot.user(2100, Role.MANAGER, first_name="Nina")


def elsewhere(emulator: RunningEmulator) -> int:
    """A dispatch made in the web interface: the bot knows no creator."""
    when = emulator.clock.now() + timedelta(hours=1)
    return emulator.state.create_dispatch(NewDispatch("Sale", ["380710000001"], when))


async def made_by(bot: BotUnderTest, emulator: RunningEmulator, creator: SimUser) -> int:
    dispatch_id = elsewhere(emulator)
    await bot.store.dispatches.track(dispatch_id, creator.user_id, "Clients", "Sale", None)
    return dispatch_id


async def open_card(user: SimUser, dispatch_id: int) -> StandinMessage:
    await user.send_text(f"/status {dispatch_id}")
    return await user.wait_for_reply(lambda m: f"№{dispatch_id}" in (m.text or ""))


def cancels(bot: BotUnderTest) -> list[dict[str, Any]]:
    return [e for e in bot.sms_requests("/cancel") if e["method"] == "POST"]


async def cancel_from_card(user: SimUser, dispatch_id: int) -> StandinMessage:
    await open_card(user, dispatch_id)
    await user.tap(CANCEL)
    question = await user.wait_for_reply()
    await user.tap(YES_CANCEL, question)
    return await user.wait_for_reply(lambda m: "отменена" in (m.text or ""))


async def test_another_manager_sees_no_cancel_and_a_forged_one_does_nothing(
    bot: BotUnderTest,
    standin: BotApiStandin,
    emulator: RunningEmulator,
    manager: SimUser,
    colleague: SimUser,
):
    dispatch_id = await made_by(bot, emulator, manager)
    assert CANCEL in (await open_card(manager, dispatch_id)).button_texts()
    card = await open_card(colleague, dispatch_id)
    assert CANCEL not in card.button_texts() and "🔄 Обновить" in card.button_texts()

    ask = CardCallback(action=CardAction.CANCEL, dispatch_id=dispatch_id).pack()
    answer = await colleague.wait_for_callback_answer(await forge_callback(standin, colleague, ask))
    assert answer.text == RU("dispatches.not_yours") and answer.show_alert
    yes = ConfirmedCommand(command=Command.CANCEL, dispatch_id=dispatch_id, token="AAAAAAAA")
    answer = await colleague.wait_for_callback_answer(
        await forge_callback(standin, colleague, yes.pack())
    )
    assert answer.text == RU("dispatches.not_yours")

    assert cancels(bot) == []
    [entry] = await bot.store.audit.recent(5)
    assert (entry.actor_id, entry.action, entry.dispatch_id) == (
        colleague.user_id,
        "dispatch.cancel",
        dispatch_id,
    )
    assert entry.details == {"outcome": "forbidden", "role": "manager"}


async def test_an_admin_cancels_a_managers_dispatch_and_the_creator_hears_who(
    bot: BotUnderTest, emulator: RunningEmulator, admin: SimUser
):
    creator = await bot.user(2200, Role.MANAGER, language="en", first_name="Eve")
    dispatch_id = await made_by(bot, emulator, creator)

    await cancel_from_card(admin, dispatch_id)
    told = await creator.wait_for_reply()

    assert told.text == EN(
        "dispatches.told_creator_cancel", id=dispatch_id, who="Alla", role=EN("access.role_admin")
    )
    assert [entry["body"] for entry in cancels(bot)] == [{"idDispatch": dispatch_id}]


async def test_the_creator_cancelling_their_own_is_not_told_about_it(
    bot: BotUnderTest, emulator: RunningEmulator, manager: SimUser
):
    dispatch_id = await made_by(bot, emulator, manager)
    done = await cancel_from_card(manager, dispatch_id)
    assert done.message_id == manager.messages[-1].message_id  # nothing came after it
    assert not any("Вашу рассылку" in (m.text or "") for m in manager.messages)


async def test_a_dispatch_made_elsewhere_is_for_admins_only(
    bot: BotUnderTest,
    standin: BotApiStandin,
    emulator: RunningEmulator,
    admin: SimUser,
    manager: SimUser,
):
    dispatch_id = elsewhere(emulator)
    assert CANCEL not in (await open_card(manager, dispatch_id)).button_texts()
    ask = CardCallback(action=CardAction.CANCEL, dispatch_id=dispatch_id).pack()
    answer = await manager.wait_for_callback_answer(await forge_callback(standin, manager, ask))
    assert answer.text == RU("dispatches.not_yours")

    await cancel_from_card(admin, dispatch_id)
    assert len(cancels(bot)) == 1
    assert [m for m in manager.messages if "Вашу рассылку" in (m.text or "")] == []


async def test_when_an_admin_allows_it_other_managers_may_and_the_creator_hears(
    bot: BotUnderTest,
    standin: BotApiStandin,
    emulator: RunningEmulator,
    admin: SimUser,
    manager: SimUser,
    colleague: SimUser,
):
    theirs = await made_by(bot, emulator, manager)
    web = elsewhere(emulator)

    await admin.send_text("/users")
    await admin.wait_for_reply(lambda m: (m.text or "").startswith("👥"))
    await admin.tap(RU("admin.button_permissions"))
    screen = await admin.wait_for_reply(lambda m: "Отмена и перезапуск" in (m.text or ""))
    assert plain(RU("admin.permissions_others_off")) in (screen.text or "")
    await admin.tap(RU("admin.button_allow_others"), screen)
    allowed = await admin.wait_for_reply(lambda m: m.message_id == screen.message_id)
    assert plain(RU("admin.permissions_others_on")) in (allowed.text or "")
    assert await bot.store.permissions.allowed(Permission.OTHERS_DISPATCHES)
    [entry] = await bot.store.audit.recent(5)
    assert (entry.actor_id, entry.action, entry.details) == (
        ADMIN_ID,
        "permissions.others_dispatches",
        {"allowed": True},
    )

    await cancel_from_card(colleague, theirs)
    told = await manager.wait_for_reply(lambda m: "Вашу рассылку" in (m.text or ""))
    assert told.text == RU(
        "dispatches.told_creator_cancel", id=theirs, who="Nina", role=RU("access.role_manager")
    )
    assert CANCEL in (await open_card(colleague, web)).button_texts()

    await admin.tap(RU("admin.button_forbid_others"), allowed)
    await admin.wait_for_reply(lambda m: m.message_id == screen.message_id)
    assert CANCEL not in (await open_card(colleague, web)).button_texts()
    assert [e.details for e in await bot.store.audit.recent(5) if e.action.startswith("perm")] == [
        {"allowed": False},
        {"allowed": True},
    ]


async def test_a_manager_cannot_change_the_permissions(
    bot: BotUnderTest, standin: BotApiStandin, manager: SimUser
):
    await manager.send_text("/start")
    await manager.wait_for_reply()
    forged = PermissionsAction(choice=PermissionChoice.ALLOW).pack()
    answer = await manager.wait_for_callback_answer(await forge_callback(standin, manager, forged))
    assert answer.text == RU("admin.not_allowed")
    assert not await bot.store.permissions.allowed(Permission.OTHERS_DISPATCHES)
    assert await bot.store.audit.count() == 0


async def test_a_yes_without_a_token_does_nothing(
    bot: BotUnderTest, standin: BotApiStandin, emulator: RunningEmulator, manager: SimUser
):
    dispatch_id = await made_by(bot, emulator, manager)
    card = await open_card(manager, dispatch_id)
    old_yes = CardCallback(action=CardAction.CANCEL_CONFIRMED, dispatch_id=dispatch_id).pack()
    made_up = ConfirmedCommand(command=Command.CANCEL, dispatch_id=dispatch_id, token="ZZZZZZZZ")

    for data in (old_yes, made_up.pack()):
        update = await manager.send_callback(data, card)
        answer = await manager.wait_for_callback_answer(update["callback_query"]["id"])
        assert answer.text == RU("dispatches.ask_again") and answer.show_alert

    assert cancels(bot) == []
    entries = await bot.store.audit.recent(5)
    assert [e.details["outcome"] for e in entries] == ["unconfirmed", "unconfirmed"]


async def test_a_replayed_yes_does_nothing_the_second_time(
    bot: BotUnderTest, emulator: RunningEmulator, manager: SimUser
):
    dispatch_id = await made_by(bot, emulator, manager)
    await open_card(manager, dispatch_id)
    await manager.tap(CANCEL)
    question = await manager.wait_for_reply()
    yes = question.find_button(YES_CANCEL)
    assert yes is not None and len(yes["callback_data"].encode()) <= 24
    await manager.tap(YES_CANCEL, question)
    done = await manager.wait_for_reply(lambda m: "отменена" in (m.text or ""))

    update = await manager.send_callback(yes["callback_data"], done)
    answer = await manager.wait_for_callback_answer(update["callback_query"]["id"])

    assert answer.text == RU("dispatches.ask_again")
    assert len(cancels(bot)) == 1


async def test_someone_elses_token_does_nothing(
    bot: BotUnderTest, emulator: RunningEmulator, manager: SimUser, colleague: SimUser
):
    await bot.store.permissions.set(Permission.OTHERS_DISPATCHES, True, ADMIN_ID)
    dispatch_id = await made_by(bot, emulator, manager)
    await open_card(manager, dispatch_id)
    await manager.tap(CANCEL)
    question = await manager.wait_for_reply()
    yes = question.find_button(YES_CANCEL)
    assert yes is not None

    card = await open_card(colleague, dispatch_id)
    update = await colleague.send_callback(yes["callback_data"], card)
    answer = await colleague.wait_for_callback_answer(update["callback_query"]["id"])

    assert answer.text == RU("dispatches.ask_again")
    assert cancels(bot) == []
    await manager.tap(YES_CANCEL, question)  # still good for the one it was given to
    await manager.wait_for_reply(lambda m: "отменена" in (m.text or ""))
    assert len(cancels(bot)) == 1


def test_the_yes_of_the_largest_dispatch_number_fits_in_callback_data():
    yes = ConfirmedCommand(command=Command.RUN, dispatch_id=2**63 - 1, token="A" * 8)
    assert len(yes.pack().encode()) < 64


async def test_an_admin_re_runs_a_managers_dispatch_and_the_creator_hears_who(
    bot: BotUnderTest, emulator: RunningEmulator, admin: SimUser, manager: SimUser
):
    emulator.state.set_balance(Decimal(0))
    dispatch_id = await made_by(bot, emulator, manager)
    emulator.state.advance_clock(3700)  # its time came: not enough money
    emulator.state.add_balance(Decimal(100))

    await open_card(admin, dispatch_id)
    await admin.tap("▶️ Перезапустить")
    question = await admin.wait_for_reply()
    await admin.tap("✅ Да, перезапустить", question)
    await admin.wait_for_reply(lambda m: "перезапущена" in (m.text or ""))
    told = await manager.wait_for_reply(lambda m: "Вашу рассылку" in (m.text or ""))

    assert told.text == RU(
        "dispatches.told_creator_run", id=dispatch_id, who="Alla", role=RU("access.role_admin")
    )
    assert [e["body"] for e in bot.sms_requests("/run") if e["method"] == "POST"] == [
        {"idDispatch": dispatch_id}
    ]
