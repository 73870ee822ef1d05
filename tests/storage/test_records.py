"""Templates, the audit log and process-wide state."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import Storage
from tests.support.storage import START, ManualClock


async def test_templates_are_shared_and_listed_by_name(storage: Storage) -> None:
    reminder = await storage.templates.add(7, "reminder", "Не забудьте оплатить счёт")
    assert (reminder.owner_id, reminder.name, reminder.text) == (
        7,
        "reminder",
        "Не забудьте оплатить счёт",
    )
    assert reminder.created_at == START
    await storage.templates.add(8, "Greeting", "Hello")
    await storage.templates.add(7, "action", "Sale today")

    names = [t.name for t in await storage.templates.list(10)]
    assert names == ["action", "Greeting", "reminder"]
    assert [t.name for t in await storage.templates.list(1, offset=1)] == ["Greeting"]
    assert await storage.templates.count() == 3
    assert await storage.templates.get(reminder.id) == reminder


async def test_deleting_a_template(storage: Storage) -> None:
    template = await storage.templates.add(7, "old", "text")
    assert await storage.templates.delete(template.id)
    assert not await storage.templates.delete(template.id)
    assert await storage.templates.get(template.id) is None
    assert await storage.templates.list(10) == []


async def test_audit_records_newest_first(storage: Storage, clock: ManualClock) -> None:
    first = await storage.audit.record(1, "role.set", details={"user_id": 7, "role": "manager"})
    clock.advance(minutes=1)
    second = await storage.audit.record(
        7, "dispatch.create", dispatch_id=501, draft_id="abc", details={"numbers": 12}
    )
    await storage.audit.record(None, "dispatch.unknown", draft_id="def")

    assert first.details == {"user_id": 7, "role": "manager"} and first.created_at == START
    assert (second.actor_id, second.dispatch_id, second.draft_id) == (7, 501, "abc")
    assert second.created_at == clock()

    recent = await storage.audit.recent(2)
    assert [e.action for e in recent] == ["dispatch.unknown", "dispatch.create"]
    assert recent[0].actor_id is None and recent[0].details == {}
    assert await storage.audit.recent(2, offset=2) == [first]
    assert await storage.audit.count() == 3


async def test_audit_refuses_details_that_are_not_json(storage: Storage) -> None:
    with pytest.raises(TypeError):
        await storage.audit.record(1, "x", details={"when": object()})
    assert await storage.audit.count() == 0


async def test_state_get_set_delete(storage: Storage) -> None:
    assert await storage.state.get("sms_api_down_since") is None
    await storage.state.set("sms_api_down_since", "2025-03-01T09:00:00+00:00")
    await storage.state.set("sms_api_down_since", "2025-03-01T09:05:00+00:00")
    assert await storage.state.get("sms_api_down_since") == "2025-03-01T09:05:00+00:00"
    assert await storage.state.delete("sms_api_down_since")
    assert not await storage.state.delete("sms_api_down_since")
    assert await storage.state.get("sms_api_down_since") is None


def test_pending_creates_survive_a_reopen_privately(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from storage import CreatedDispatch, PendingCreates

    path = tmp_path / "bot.sqlite3.pending-creates.json"
    kept = CreatedDispatch("d1", 7, 501, "Clients", "Hello", datetime(2026, 1, 2, tzinfo=UTC))
    PendingCreates(path).add(kept)
    assert path.stat().st_mode & 0o777 == 0o600
    reopened = PendingCreates(path)
    assert reopened.items() == [kept]
    reopened.remove("d1")
    assert not path.exists() and PendingCreates(path).items() == []
    path.write_text("not json")
    assert PendingCreates(path).items() == []  # unreadable: logged, not a crash
