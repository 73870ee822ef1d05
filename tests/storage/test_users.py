"""Users and roles; access requests and their single decision."""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage import Role, Storage
from storage.access_requests import RequestStatus
from tests.support.storage import START, ManualClock


async def test_first_sight_creates_a_user_without_a_role(storage: Storage) -> None:
    user = await storage.users.upsert_seen(42, "Олег", "oleg", "ru")
    assert user.user_id == 42
    assert user.role is None
    assert (user.first_name, user.username, user.telegram_language) == ("Олег", "oleg", "ru")
    assert user.language is None and user.active is True
    assert user.created_at == START
    assert await storage.users.get(42) == user
    assert await storage.users.get(43) is None


async def test_seeing_a_user_again_refreshes_the_profile_but_keeps_role_and_language(
    storage: Storage, clock: ManualClock
) -> None:
    await storage.users.upsert_seen(42, "Oleg", "oleg", "ru")
    await storage.users.set_role(42, Role.MANAGER)
    await storage.users.set_language(42, "en")
    await storage.users.set_active(42, False)
    clock.advance(days=1)

    user = await storage.users.upsert_seen(42, "Oleg P.", None, "uk")

    assert user.role is Role.MANAGER
    assert user.language == "en"
    assert (user.first_name, user.username, user.telegram_language) == ("Oleg P.", None, "uk")
    assert user.active is True  # they wrote to the bot, so it can write to them
    assert user.created_at == START


async def test_set_role_grants_and_revokes(storage: Storage) -> None:
    await storage.users.upsert_seen(1, "A", None, None)
    assert (await storage.users.set_role(1, Role.OBSERVER)).role is Role.OBSERVER
    assert (await storage.users.set_role(1, None)).role is None
    stored = await storage.users.get(1)
    assert stored is not None and stored.role is None


async def test_set_role_for_an_unseen_id_creates_a_bare_profile(storage: Storage) -> None:
    user = await storage.users.set_role(5, Role.MANAGER)
    assert user.role is Role.MANAGER and user.first_name is None


async def test_language_override_and_active_flag(storage: Storage) -> None:
    await storage.users.upsert_seen(1, "A", None, "ru")
    assert await storage.users.set_language(1, "en")
    assert await storage.users.set_active(1, False)
    user = await storage.users.get(1)
    assert user is not None and user.language == "en" and user.active is False
    assert await storage.users.set_language(1, None)
    user = await storage.users.get(1)
    assert user is not None and user.language is None
    assert not await storage.users.set_language(999, "en")
    assert not await storage.users.set_active(999, False)


async def test_listing_by_role(storage: Storage) -> None:
    for user_id, role in [(3, Role.MANAGER), (1, Role.OBSERVER), (2, Role.MANAGER), (4, None)]:
        await storage.users.upsert_seen(user_id, f"u{user_id}", None, None)
        await storage.users.set_role(user_id, role)

    with_roles = await storage.users.list_with_roles()
    assert {u.user_id for u in with_roles} == {1, 2, 3}
    assert [u.user_id for u in await storage.users.list_by_role(Role.MANAGER)] == [2, 3]
    assert await storage.users.list_by_role(Role.ADMIN) == []


async def test_ensure_admins_matches_admin_ids_exactly(storage: Storage) -> None:
    await storage.users.upsert_seen(1, "Former admin", None, None)
    await storage.users.set_role(1, Role.ADMIN)
    await storage.users.upsert_seen(2, "Manager promoted", None, None)
    await storage.users.set_role(2, Role.MANAGER)
    await storage.users.upsert_seen(3, "Manager kept", None, None)
    await storage.users.set_role(3, Role.MANAGER)

    await storage.users.ensure_admins([2, 10])

    roles = {u.user_id: u.role for u in await storage.users.list_with_roles()}
    assert roles == {2: Role.ADMIN, 3: Role.MANAGER, 10: Role.ADMIN}
    former = await storage.users.get(1)
    assert former is not None and former.role is None
    promoted = await storage.users.get(2)
    assert promoted is not None and promoted.first_name == "Manager promoted"


async def test_ensure_admins_with_no_ids_revokes_every_admin(storage: Storage) -> None:
    await storage.users.set_role(1, Role.ADMIN)
    await storage.users.ensure_admins([])
    assert await storage.users.list_by_role(Role.ADMIN) == []


async def test_one_pending_access_request_per_user(storage: Storage) -> None:
    first, created = await storage.access_requests.create_if_absent(42)
    again, created_again = await storage.access_requests.create_if_absent(42)
    assert created and not created_again
    assert again == first
    assert first.status is RequestStatus.PENDING and first.decided_by is None
    assert await storage.access_requests.pending() == [first]
    assert await storage.access_requests.get(first.id) == first
    assert await storage.access_requests.get(first.id + 1) is None


async def test_concurrent_requests_from_one_user_create_one(storage: Storage) -> None:
    results = await asyncio.gather(
        *(storage.access_requests.create_if_absent(42) for _ in range(10))
    )
    assert sum(created for _, created in results) == 1
    assert len({request.id for request, _ in results}) == 1


async def test_approval_decides_once_and_grants_the_role(
    storage: Storage, clock: ManualClock
) -> None:
    await storage.users.upsert_seen(42, "Stranger", None, "ru")
    request, _ = await storage.access_requests.create_if_absent(42)
    clock.advance(minutes=5)

    decided = await storage.access_requests.decide(request.id, 1, Role.MANAGER)

    assert decided is not None
    assert decided.status is RequestStatus.APPROVED
    assert (decided.decided_by, decided.approved_role) == (1, Role.MANAGER)
    assert decided.decided_at == clock()
    user = await storage.users.get(42)
    assert user is not None and user.role is Role.MANAGER
    assert await storage.access_requests.pending() == []


async def test_a_denial_leaves_the_user_without_access(storage: Storage) -> None:
    request, _ = await storage.access_requests.create_if_absent(42)
    decided = await storage.access_requests.decide(request.id, 1, None)
    assert decided is not None and decided.status is RequestStatus.DENIED
    user = await storage.users.get(42)
    assert user is not None and user.role is None
    # A denied user may ask again later: that is a new request.
    again, created = await storage.access_requests.create_if_absent(42)
    assert created and again.id != request.id


async def test_two_admins_tapping_at_once_decide_once(storage: Storage) -> None:
    request, _ = await storage.access_requests.create_if_absent(42)

    results = await asyncio.gather(
        storage.access_requests.decide(request.id, 1, Role.MANAGER),
        storage.access_requests.decide(request.id, 2, None),
    )

    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    stored = await storage.access_requests.get(request.id)
    assert stored == winners[0]
    user = await storage.users.get(42)
    assert user is not None
    assert user.role == (Role.MANAGER if winners[0].decided_by == 1 else None)


async def test_a_decided_request_cannot_be_decided_again(storage: Storage) -> None:
    request, _ = await storage.access_requests.create_if_absent(42)
    assert await storage.access_requests.decide(request.id, 1, None) is not None
    assert await storage.access_requests.decide(request.id, 2, Role.ADMIN) is None
    user = await storage.users.get(42)
    assert user is not None and user.role is None
    assert await storage.access_requests.decide(9999, 1, Role.MANAGER) is None


async def test_two_processes_deciding_one_request_decide_once(tmp_path: Path) -> None:
    """Two Storage instances on one file stand for two bot processes."""
    path = tmp_path / "bot.sqlite3"
    first, second = await Storage.open(path), await Storage.open(path)
    try:
        request, _ = await first.access_requests.create_if_absent(42)
        results = await asyncio.gather(
            *(
                (first if i % 2 else second).access_requests.decide(request.id, i, Role.OBSERVER)
                for i in range(10)
            )
        )
        assert sum(result is not None for result in results) == 1
    finally:
        await first.close()
        await second.close()


async def test_pending_requests_are_counted_and_paged_newest_first(storage: Storage) -> None:
    ids = [(await storage.access_requests.create_if_absent(user))[0].id for user in range(1, 6)]
    assert await storage.access_requests.pending_count() == 5
    assert await storage.access_requests.pending_count(up_to_id=ids[2]) == 3
    page = await storage.access_requests.pending_newest(2, offset=1)
    assert [request.id for request in page] == [ids[3], ids[2]]
    assert await storage.access_requests.last_decided() is None


async def test_deny_pending_denies_each_request_once_and_none_above_the_bound(
    storage: Storage,
) -> None:
    ids = [(await storage.access_requests.create_if_absent(user))[0].id for user in range(1, 5)]
    await storage.access_requests.decide(ids[0], 900, Role.MANAGER)  # decided one by one first

    first, second = await asyncio.gather(
        storage.access_requests.deny_pending(900, ids[2]),
        storage.access_requests.deny_pending(901, ids[2]),
    )

    denied = first or second
    assert (first == []) != (second == [])  # one "deny all" wins, the other finds nothing
    assert [request.id for request in denied] == ids[1:3]
    assert all(request.status is RequestStatus.DENIED for request in denied)
    assert [request.id for request in await storage.access_requests.pending()] == [ids[3]]
    assert (await storage.access_requests.get(ids[0])).status is RequestStatus.APPROVED
    last = await storage.access_requests.last_decided()
    assert last is not None and last.id in ids[1:3]
