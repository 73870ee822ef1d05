"""Groups bound as alert channels: the binding, its settings, its armed low-balance alert,
what it was told about each dispatch, its end with the group and its move to a
supergroup."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storage import GroupAlertRepo, GroupNotice, Storage

GROUP = -5001
SUPERGROUP = -1005001


async def bound(storage: Storage, chat_id: int = GROUP):
    return await storage.group_alerts.bind(chat_id, "group", "Sales", 7, "ru")


async def test_the_facade_has_the_repository(storage: Storage) -> None:
    assert isinstance(storage.group_alerts, GroupAlertRepo)
    assert storage.group_alerts._db is storage.db


async def test_a_new_binding_hears_nothing_with_the_configured_threshold(storage: Storage) -> None:
    alerts = await bound(storage)
    assert not alerts.hears_anything
    assert (alerts.threshold, alerts.armed, alerts.language, alerts.bound_by) == (
        Decimal("250.50"),
        True,
        "ru",
        7,
    )
    group = await storage.group_chats.get(GROUP)
    assert group is not None and group.title == "Sales"  # remembered with it
    assert await storage.group_alerts.listening() == []


async def test_binding_again_keeps_what_was_chosen(storage: Storage) -> None:
    await bound(storage)
    await storage.group_alerts.update(GROUP, final_states=True, threshold=Decimal(75))
    again = await storage.group_alerts.bind(GROUP, "group", "Sales", 9, "en")
    assert again.final_states and again.threshold == Decimal(75)
    assert (again.bound_by, again.language) == (7, "ru")


async def test_toggles_flip_in_one_statement_and_listening_lists_who_hears(
    storage: Storage,
) -> None:
    await bound(storage)
    await bound(storage, -5002)
    on = await storage.group_alerts.toggle(GROUP, "outages")
    assert on is not None and on.outages and on.hears_anything
    assert [g.chat_id for g in await storage.group_alerts.listening()] == [GROUP]
    off = await storage.group_alerts.toggle(GROUP, "outages")
    assert off is not None and not off.outages
    assert await storage.group_alerts.toggle(-9999, "outages") is None  # not bound
    with pytest.raises(ValueError):
        await storage.group_alerts.toggle(GROUP, "armed")


@pytest.mark.parametrize(
    "fields",
    [
        {"final_states": 1},
        {"threshold": 1.5},
        {"threshold": "12"},
        {"language": ""},
        {"screen_message_id": "12"},
        {"prompt_message_id": True},
        {"chat_id": -1},
    ],
)
async def test_bad_settings_are_refused(storage: Storage, fields: dict) -> None:
    await bound(storage)
    with pytest.raises(TypeError):
        await storage.group_alerts.update(GROUP, **fields)


@pytest.mark.parametrize("threshold", [Decimal(-1), Decimal("NaN"), Decimal("Infinity")])
async def test_a_threshold_below_zero_or_not_finite_is_refused(
    storage: Storage, threshold: Decimal
) -> None:
    await bound(storage)
    with pytest.raises(ValueError):
        await storage.group_alerts.update(GROUP, threshold=threshold)


async def test_updating_a_group_that_is_not_bound_changes_nothing(storage: Storage) -> None:
    assert await storage.group_alerts.update(GROUP, final_states=True) is None
    assert await storage.group_alerts.get(GROUP) is None


async def test_the_low_balance_alert_is_disarmed_once(storage: Storage) -> None:
    await bound(storage)
    assert await storage.group_alerts.set_armed(GROUP, False)
    assert not await storage.group_alerts.set_armed(GROUP, False)  # someone else took it
    assert await storage.group_alerts.set_armed(GROUP, True)
    assert not await storage.group_alerts.set_armed(GROUP, True)


async def track(storage: Storage, dispatch_id: int = 501) -> None:
    await storage.dispatches.track(dispatch_id, None, "3 numbers", "Hello", None)


async def test_notices_are_kept_per_dispatch_and_group(storage: Storage) -> None:
    await bound(storage)
    await track(storage)
    assert await storage.group_alerts.notices(501) == {}
    assert await storage.group_alerts.save_notice(GroupNotice(501, GROUP, final_sent=True))
    assert await storage.group_alerts.save_notice(GroupNotice(501, GROUP, True, True))
    assert await storage.group_alerts.notices(501) == {GROUP: GroupNotice(501, GROUP, True, True)}


async def test_a_notice_for_a_group_no_longer_bound_is_not_kept(storage: Storage) -> None:
    await track(storage)
    assert not await storage.group_alerts.save_notice(GroupNotice(501, GROUP, final_sent=True))


async def test_the_binding_ends_with_the_group(storage: Storage) -> None:
    await bound(storage)
    await track(storage)
    await storage.group_alerts.save_notice(GroupNotice(501, GROUP, final_sent=True))
    assert await storage.group_chats.forget(GROUP)
    assert await storage.group_alerts.get(GROUP) is None
    assert await storage.group_alerts.notices(501) == {}


async def test_a_supergroup_takes_the_binding_and_what_it_was_told(storage: Storage) -> None:
    await bound(storage)
    await track(storage)
    await storage.group_alerts.update(GROUP, final_states=True, threshold=Decimal(80))
    await storage.group_alerts.save_notice(GroupNotice(501, GROUP, final_sent=True))

    assert await storage.group_alerts.move(GROUP, SUPERGROUP)

    assert await storage.group_alerts.get(GROUP) is None
    assert await storage.group_chats.get(GROUP) is None
    moved = await storage.group_alerts.get(SUPERGROUP)
    assert moved is not None and moved.final_states and moved.threshold == Decimal(80)
    group = await storage.group_chats.get(SUPERGROUP)
    assert group is not None and (group.chat_type, group.title) == ("supergroup", "Sales")
    assert await storage.group_alerts.notices(501) == {
        SUPERGROUP: GroupNotice(501, SUPERGROUP, final_sent=True)
    }
    # The same news again (the other chat's service message, or a 400 on a send) moves nothing.
    assert not await storage.group_alerts.move(GROUP, SUPERGROUP)
    assert await storage.group_alerts.get(SUPERGROUP) == moved


async def test_a_binding_already_made_in_the_supergroup_is_kept(storage: Storage) -> None:
    await bound(storage)
    await storage.group_alerts.update(GROUP, final_states=True)
    await storage.group_alerts.bind(SUPERGROUP, "supergroup", "Sales", 7, "en")
    assert not await storage.group_alerts.move(GROUP, SUPERGROUP)
    kept = await storage.group_alerts.get(SUPERGROUP)
    assert kept is not None and not kept.final_states and kept.language == "en"
    assert await storage.group_alerts.get(GROUP) is None


async def test_moving_a_group_that_was_never_bound_or_to_itself_does_nothing(
    storage: Storage,
) -> None:
    await storage.group_chats.record(GROUP, "group", "Sales", 7)
    assert not await storage.group_alerts.move(GROUP, SUPERGROUP)
    group = await storage.group_chats.get(SUPERGROUP)
    assert group is not None and group.added_by == 7  # the group itself moved
    await bound(storage, SUPERGROUP)
    assert not await storage.group_alerts.move(SUPERGROUP, SUPERGROUP)
    assert await storage.group_alerts.get(SUPERGROUP) is not None
