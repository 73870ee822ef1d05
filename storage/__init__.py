"""The bot's storage: one SQLite file, one shared connection, a repository per concern.

Open once at start with ``await Storage.open(path)``, hand ``storage.fsm`` to the
Dispatcher and the repositories to whoever needs them, ``await storage.close()`` last.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from storage.access_boards import AccessBoardRepo
from storage.access_requests import AccessRequest, AccessRequestRepo, RequestStatus
from storage.alerts import DEFAULT_THRESHOLD, AlertSettings, AlertSettingsRepo
from storage.approvals import ApprovalRepo, ApprovalRequest, ApprovalState
from storage.audit import AuditEntry, AuditRepo
from storage.balance_history import BalanceHistoryRepo, BalanceHour
from storage.confirmations import ConfirmationRepo
from storage.created import CreatedDispatch, CreatedRepo, PendingCreates, pending_creates_path
from storage.dates import Clock
from storage.db import Database, DatabaseClosedError
from storage.digests import DigestClaim, DigestRepo
from storage.dispatches import KnownState, TrackedDispatch, TrackedDispatchRepo
from storage.drafts import Draft, DraftRepo, DraftState
from storage.fsm import SQLiteStorage
from storage.group_alerts import GroupAlertRepo, GroupAlerts, GroupNotice
from storage.group_chats import GroupChat, GroupChatRepo
from storage.kv import StateRepo
from storage.lost_creates import LostCreate, LostCreateRepo, SearchState
from storage.migrations import LATEST_VERSION, SchemaTooNewError
from storage.notifications import Notice, NotificationStateRepo
from storage.own_phones import OwnPhoneRepo
from storage.permissions import Permission, PermissionRepo
from storage.recurring import (
    Occurrence,
    OccurrenceState,
    RecurringRepo,
    Schedule,
    ScheduleRule,
    ScheduleState,
)
from storage.reports import ReportDispatch, ReportRepo
from storage.stop_list import StopListRepo
from storage.subscriptions import Subscription, SubscriptionRepo
from storage.templates import Template, TemplateRepo
from storage.users import Role, User, UserRepo

__all__ = [
    "LATEST_VERSION",
    "AccessBoardRepo",
    "AccessRequest",
    "AccessRequestRepo",
    "AlertSettings",
    "AlertSettingsRepo",
    "ApprovalRepo",
    "ApprovalRequest",
    "ApprovalState",
    "AuditEntry",
    "AuditRepo",
    "BalanceHistoryRepo",
    "BalanceHour",
    "ConfirmationRepo",
    "CreatedDispatch",
    "CreatedRepo",
    "Database",
    "DatabaseClosedError",
    "DigestClaim",
    "DigestRepo",
    "Draft",
    "DraftRepo",
    "DraftState",
    "GroupAlertRepo",
    "GroupAlerts",
    "GroupChat",
    "GroupChatRepo",
    "GroupNotice",
    "KnownState",
    "LostCreate",
    "LostCreateRepo",
    "Notice",
    "NotificationStateRepo",
    "Occurrence",
    "OccurrenceState",
    "OwnPhoneRepo",
    "PendingCreates",
    "Permission",
    "PermissionRepo",
    "RecurringRepo",
    "ReportDispatch",
    "ReportRepo",
    "RequestStatus",
    "Role",
    "SQLiteStorage",
    "Schedule",
    "ScheduleRule",
    "ScheduleState",
    "SchemaTooNewError",
    "SearchState",
    "StateRepo",
    "StopListRepo",
    "Storage",
    "Subscription",
    "SubscriptionRepo",
    "Template",
    "TemplateRepo",
    "TrackedDispatch",
    "TrackedDispatchRepo",
    "User",
    "UserRepo",
]


@dataclass(frozen=True)
class Storage:
    """Every repository over one Database. Whoever opens it closes it."""

    db: Database
    users: UserRepo
    access_requests: AccessRequestRepo
    drafts: DraftRepo
    dispatches: TrackedDispatchRepo
    subscriptions: SubscriptionRepo
    alerts: AlertSettingsRepo
    templates: TemplateRepo
    audit: AuditRepo
    notices: NotificationStateRepo
    lost_creates: LostCreateRepo
    state: StateRepo
    group_chats: GroupChatRepo
    access_boards: AccessBoardRepo
    confirmations: ConfirmationRepo
    permissions: PermissionRepo
    stop_list: StopListRepo
    own_phones: OwnPhoneRepo
    approvals: ApprovalRepo
    group_alerts: GroupAlertRepo
    balance_history: BalanceHistoryRepo
    digests: DigestRepo
    reports: ReportRepo
    recurring: RecurringRepo
    created: CreatedRepo
    pending_creates: PendingCreates  # creates the database could not take yet
    fsm: SQLiteStorage

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        balance_threshold: Decimal = DEFAULT_THRESHOLD,
        clock: Clock | None = None,
    ) -> Storage:
        """Open (and migrate) the file. ``balance_threshold`` is BALANCE_THRESHOLD: the
        low-balance threshold of everyone who has not chosen their own."""
        db = await Database.open(path, clock=clock)
        return cls(
            db=db,
            users=UserRepo(db),
            access_requests=AccessRequestRepo(db),
            drafts=DraftRepo(db),
            dispatches=TrackedDispatchRepo(db),
            subscriptions=SubscriptionRepo(db),
            alerts=AlertSettingsRepo(db, balance_threshold),
            templates=TemplateRepo(db),
            audit=AuditRepo(db),
            notices=NotificationStateRepo(db),
            lost_creates=LostCreateRepo(db),
            state=StateRepo(db),
            group_chats=GroupChatRepo(db),
            access_boards=AccessBoardRepo(db),
            confirmations=ConfirmationRepo(db),
            permissions=PermissionRepo(db),
            stop_list=StopListRepo(db),
            own_phones=OwnPhoneRepo(db),
            approvals=ApprovalRepo(db),
            group_alerts=GroupAlertRepo(db, balance_threshold),
            balance_history=BalanceHistoryRepo(db),
            digests=DigestRepo(db),
            reports=ReportRepo(db),
            recurring=RecurringRepo(db),
            created=CreatedRepo(db),
            pending_creates=PendingCreates(pending_creates_path(db.path)),
            fsm=SQLiteStorage(db),
        )

    async def close(self) -> None:
        """Close the database (the FSM storage's own close() deliberately does not)."""
        await self.db.close()
