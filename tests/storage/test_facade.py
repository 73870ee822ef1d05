"""The Storage facade: one open, every repository, one close."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiogram.fsm.storage.base import BaseStorage

from storage import (
    AccessBoardRepo,
    AccessRequestRepo,
    AlertSettingsRepo,
    ApprovalRepo,
    AuditRepo,
    BalanceHistoryRepo,
    ConfirmationRepo,
    Database,
    DatabaseClosedError,
    DigestRepo,
    DraftRepo,
    GroupChatRepo,
    OwnPhoneRepo,
    PermissionRepo,
    ReportRepo,
    StateRepo,
    StopListRepo,
    Storage,
    SubscriptionRepo,
    TemplateRepo,
    TrackedDispatchRepo,
    UserRepo,
)


async def test_open_exposes_every_repository_over_one_database(tmp_path: Path) -> None:
    storage = await Storage.open(str(tmp_path / "data" / "bot.sqlite3"))
    try:
        assert isinstance(storage.db, Database)
        expected = {
            "users": UserRepo,
            "access_requests": AccessRequestRepo,
            "drafts": DraftRepo,
            "dispatches": TrackedDispatchRepo,
            "subscriptions": SubscriptionRepo,
            "alerts": AlertSettingsRepo,
            "templates": TemplateRepo,
            "audit": AuditRepo,
            "state": StateRepo,
            "group_chats": GroupChatRepo,
            "access_boards": AccessBoardRepo,
            "confirmations": ConfirmationRepo,
            "permissions": PermissionRepo,
            "balance_history": BalanceHistoryRepo,
            "digests": DigestRepo,
            "reports": ReportRepo,
            "stop_list": StopListRepo,
            "own_phones": OwnPhoneRepo,
            "approvals": ApprovalRepo,
            "fsm": BaseStorage,
        }
        for name, kind in expected.items():
            repo = getattr(storage, name)
            assert isinstance(repo, kind), name
            assert repo._db is storage.db, name
    finally:
        await storage.close()


async def test_close_closes_the_database_and_may_be_repeated(tmp_path: Path) -> None:
    storage = await Storage.open(tmp_path / "bot.sqlite3")
    await storage.close()
    await storage.close()
    with pytest.raises(DatabaseClosedError):
        await storage.users.get(1)
