"""A stranger's most recent access request, whatever its status.

The storage layer offers the pending request only (``create_if_absent``); the cool-down
after a denial needs the latest one, so it is looked up here by id and then read through
the repository.
"""

from __future__ import annotations

from datetime import timedelta

from storage import AccessRequest, RequestStatus, Storage

# A denied stranger may ask again this long after the denial (the texts say "24 hours").
DENIAL_COOLDOWN = timedelta(hours=24)


async def latest_request(store: Storage, user_id: int) -> AccessRequest | None:
    row = await store.db.fetchone(
        "SELECT id FROM access_requests WHERE user_id = ? ORDER BY id DESC LIMIT 1", (user_id,)
    )
    return None if row is None else await store.access_requests.get(int(row["id"]))


async def denial_in_force(store: Storage, user_id: int) -> AccessRequest | None:
    """The denial that still stands (less than DENIAL_COOLDOWN old), if any."""
    latest = await latest_request(store, user_id)
    if latest is None or latest.status is not RequestStatus.DENIED or latest.decided_at is None:
        return None
    return latest if store.db.now() < latest.decided_at + DENIAL_COOLDOWN else None
