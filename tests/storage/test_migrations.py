"""Schema migrations: from nothing, from every earlier version, and re-opening."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from storage.db import Database
from storage.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    Migration,
    SchemaTooNewError,
    split_statements,
)


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


async def _tables(db: Database) -> set[str]:
    rows = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {row["name"] for row in rows}


async def _seed_v1(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO users (user_id, role, first_name, created_at, updated_at) "
            "VALUES (7, 'manager', 'Olga', '2024-01-01T00:00:00.000000+00:00', "
            "'2024-01-01T00:00:00.000000+00:00')"
        )
        await conn.execute(
            "INSERT INTO drafts (id, user_id, chat_id, phones, text, created_at, updated_at) "
            "VALUES ('d1', 7, 7, '[\"380711234567\"]', 'Hello', "
            "'2024-01-01T00:00:00.000000+00:00', '2024-01-01T00:00:00.000000+00:00')"
        )
        await conn.execute(
            "INSERT INTO fsm_records (storage_key, bot_id, chat_id, user_id, destiny, state, "
            "data, updated_at) VALUES ('k', 1, 7, 7, 'default', 'Send:text', '{\"a\": 1}', "
            "'2024-01-01T00:00:00.000000+00:00')"
        )


async def _check_v1_rows(db: Database) -> None:
    user = await db.fetchone("SELECT role, first_name FROM users WHERE user_id = 7")
    assert user is not None and tuple(user) == ("manager", "Olga")
    draft = await db.fetchone("SELECT phones, text, state FROM drafts WHERE id = 'd1'")
    assert draft is not None and tuple(draft) == ('["380711234567"]', "Hello", "pending")
    fsm = await db.fetchone("SELECT state, data FROM fsm_records WHERE storage_key = 'k'")
    assert fsm is not None and tuple(fsm) == ("Send:text", '{"a": 1}')


async def _seed_v2(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO tracked_dispatches (dispatch_id, creator_id, recipients_desc, text, "
            "last_status, messages_count, created_at, updated_at) VALUES (501, 7, 'Clients', "
            "'Hello', 'ACTIVE', 12, '2024-01-01T00:00:00.000000+00:00', "
            "'2024-01-01T00:00:00.000000+00:00')"
        )
        await conn.execute(
            "INSERT INTO dispatch_subscriptions (dispatch_id, user_id, message_id, rendered_key, "
            "created_at) VALUES (501, 7, 9001, 'ACTIVE:0/0/12', "
            "'2024-01-01T00:00:00.000000+00:00')"
        )
        await conn.execute(
            "INSERT INTO alert_settings (user_id, low_balance, threshold, armed, updated_at) "
            "VALUES (7, 1, '55.5', 0, '2024-01-01T00:00:00.000000+00:00')"
        )


async def _check_v2_rows(db: Database) -> None:
    dispatch = await db.fetchone(
        "SELECT last_status, messages_count FROM tracked_dispatches WHERE dispatch_id = 501"
    )
    assert dispatch is not None and tuple(dispatch) == ("ACTIVE", 12)
    subscription = await db.fetchone(
        "SELECT message_id, rendered_key FROM dispatch_subscriptions "
        "WHERE dispatch_id = 501 AND user_id = 7"
    )
    assert subscription is not None and tuple(subscription) == (9001, "ACTIVE:0/0/12")
    alert = await db.fetchone("SELECT low_balance, threshold, armed FROM alert_settings")
    assert alert is not None and tuple(alert) == (1, "55.5", 0)


async def _seed_v3(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO dispatch_notices (dispatch_id, user_id, message_id, rendered_key, "
            "nem_alerted, final_sent, updated_at) VALUES (501, 7, 9002, 'k', 1, 0, "
            "'2024-01-02T00:00:00.000000+00:00')"
        )


async def _check_v3_rows(db: Database) -> None:
    notice = await db.fetchone(
        "SELECT message_id, rendered_key, nem_alerted FROM dispatch_notices "
        "WHERE dispatch_id = 501 AND user_id = 7"
    )
    assert notice is not None and tuple(notice) == (9002, "k", 1)


async def _seed_v4(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO lost_creates (draft_id, user_id, chat_id, text, segments, posted_at, "
            "next_try_at, created_at, updated_at) VALUES ('d1', 7, 7, 'Hello', 1, "
            "'2024-01-03T00:00:00.000000+00:00', '2024-01-03T00:01:00.000000+00:00', "
            "'2024-01-03T00:00:00.000000+00:00', '2024-01-03T00:00:00.000000+00:00')"
        )


async def _check_v4_rows(db: Database) -> None:
    lost = await db.fetchone("SELECT user_id, text, state FROM lost_creates WHERE draft_id = 'd1'")
    assert lost is not None and tuple(lost) == (7, "Hello", "searching")


async def _seed_v5(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO group_chats (chat_id, chat_type, title, added_by, created_at, "
            "updated_at) VALUES (-100500, 'supergroup', 'Sales', 1000, "
            "'2024-01-04T00:00:00.000000+00:00', '2024-01-04T00:00:00.000000+00:00')"
        )
        await conn.execute(
            "INSERT INTO access_boards (admin_id, message_id, updated_at) VALUES (1000, 77, "
            "'2024-01-04T00:00:00.000000+00:00')"
        )
        await conn.execute(
            "INSERT INTO confirmations (token, user_id, purpose, subject_id, expires_at) "
            "VALUES ('tok12345', 7, 'dispatch.cancel', 501, '2024-01-04T00:10:00.000000+00:00')"
        )
        await conn.execute(
            "INSERT INTO permissions (name, allowed, changed_by, changed_at) VALUES "
            "('others_dispatches', 1, 1000, '2024-01-04T00:00:00.000000+00:00')"
        )


async def _check_v5_rows(db: Database) -> None:
    group = await db.fetchone("SELECT chat_type, title FROM group_chats WHERE chat_id = -100500")
    assert group is not None and tuple(group) == ("supergroup", "Sales")
    board = await db.fetchone("SELECT message_id FROM access_boards WHERE admin_id = 1000")
    assert board is not None and board[0] == 77
    token = await db.fetchone("SELECT purpose, subject_id FROM confirmations")
    assert token is not None and tuple(token) == ("dispatch.cancel", 501)
    allowed = await db.fetchone("SELECT allowed FROM permissions WHERE name = 'others_dispatches'")
    assert allowed is not None and allowed[0] == 1


async def _seed_v6(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE tracked_dispatches SET known_status = 'DELIVERING', known_count = 12, "
            "known_sent = 12, known_delivered = 5, "
            "known_at = '2024-01-05T00:00:00.000000+00:00' WHERE dispatch_id = 501"
        )


async def _check_v6_rows(db: Database) -> None:
    known = await db.fetchone(
        "SELECT last_status, known_status, known_delivered FROM tracked_dispatches "
        "WHERE dispatch_id = 501"
    )
    assert known is not None and tuple(known) == ("ACTIVE", "DELIVERING", 5)


async def _seed_v7(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO recurring_schedules (setup_key, owner_id, chat_id, phones, text, kind, "
            "at_minute, weekdays, created_at, updated_at) VALUES ('k1', 7, 7, "
            "'[\"79990000001\"]', 'Morning', 'weekdays', 540, 31, "
            "'2024-01-05T00:00:00.000000+00:00', '2024-01-05T00:00:00.000000+00:00')"
        )


async def _check_v7_rows(db: Database) -> None:
    schedule = await db.fetchone("SELECT kind, at_minute, state FROM recurring_schedules")
    assert schedule is not None and tuple(schedule) == ("weekdays", 540, "active")


async def _seed_v8(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO balance_hours (hour, opening, closing, spent, credited, updated_at) "
            "VALUES ('2024-01-05T09:00:00.000000+00:00', '100', '80.5', '19.5', '0', "
            "'2024-01-05T09:10:00.000000+00:00')"
        )
        await conn.execute(
            "INSERT INTO report_digests (user_id, enabled, sent_week, updated_at) "
            "VALUES (7, 1, '2024-W01', '2024-01-05T09:00:00.000000+00:00')"
        )


async def _check_v8_rows(db: Database) -> None:
    hour = await db.fetchone("SELECT closing, spent FROM balance_hours")
    assert hour is not None and tuple(hour) == ("80.5", "19.5")
    digest = await db.fetchone("SELECT enabled, sent_week FROM report_digests WHERE user_id = 7")
    assert digest is not None and tuple(digest) == (1, "2024-W01")


async def _seed_v9(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO group_alerts (chat_id, final_states, threshold, language, bound_by, "
            "created_at, updated_at) VALUES (-100500, 1, '75', 'en', 7, "
            "'2024-01-05T00:00:00.000000+00:00', '2024-01-05T00:00:00.000000+00:00')"
        )
        await conn.execute(
            "INSERT INTO group_alert_notices (dispatch_id, chat_id, final_sent, updated_at) "
            "VALUES (501, -100500, 1, '2024-01-05T00:00:00.000000+00:00')"
        )


async def _check_v9_rows(db: Database) -> None:
    bound = await db.fetchone(
        "SELECT final_states, low_balance, threshold, language FROM group_alerts "
        "WHERE chat_id = -100500"
    )
    assert bound is not None and tuple(bound) == (1, 0, "75", "en")
    told = await db.fetchone(
        "SELECT nem_alerted, final_sent FROM group_alert_notices "
        "WHERE dispatch_id = 501 AND chat_id = -100500"
    )
    assert told is not None and tuple(told) == (0, 1)


async def _seed_v10(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO stop_list (phone, added_by, added_at) VALUES ('380711234567', 7, "
            "'2024-01-05T00:00:00.000000+00:00')"
        )
        await conn.execute(
            "INSERT INTO own_phones (user_id, phone, shared_at) VALUES (7, '+380710000007', "
            "'2024-01-05T00:00:00.000000+00:00')"
        )
        await conn.execute(
            "INSERT INTO approval_requests (id, draft_id, requester_id, chat_id, message_id, "
            "recipients, parts, cost, expires_at, created_at, updated_at) VALUES (3, 'd1', 7, "
            "7, 42, 1200, 2400, '840.00', '2024-01-05T08:00:00.000000+00:00', "
            "'2024-01-05T00:00:00.000000+00:00', '2024-01-05T00:00:00.000000+00:00')"
        )
        await conn.execute(
            "INSERT INTO approval_messages (request_id, admin_id, message_id) VALUES (3, 1, 9)"
        )


async def _check_v10_rows(db: Database) -> None:
    stopped = await db.fetchone("SELECT added_by FROM stop_list WHERE phone = '380711234567'")
    assert stopped is not None and stopped[0] == 7
    phone = await db.fetchone("SELECT phone FROM own_phones WHERE user_id = 7")
    assert phone is not None and phone[0] == "+380710000007"
    request = await db.fetchone(
        "SELECT draft_id, recipients, cost, state FROM approval_requests WHERE id = 3"
    )
    assert request is not None and tuple(request) == ("d1", 1200, "840.00", "waiting")
    message = await db.fetchone("SELECT message_id FROM approval_messages WHERE request_id = 3")
    assert message is not None and message[0] == 9


# For every version before the latest: rows to write at that version, and their check.
SEEDS: dict[
    int, tuple[Callable[[Database], Awaitable[None]], Callable[[Database], Awaitable[None]]]
]
SEEDS = {
    1: (_seed_v1, _check_v1_rows),
    2: (_seed_v2, _check_v2_rows),
    3: (_seed_v3, _check_v3_rows),
    4: (_seed_v4, _check_v4_rows),
    5: (_seed_v5, _check_v5_rows),
    6: (_seed_v6, _check_v6_rows),
    7: (_seed_v7, _check_v7_rows),
    8: (_seed_v8, _check_v8_rows),
    9: (_seed_v9, _check_v9_rows),
    10: (_seed_v10, _check_v10_rows),
}


def test_migrations_are_numbered_from_one_without_gaps() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))
    assert [m.name for m in MIGRATIONS[:2]] == ["core", "notifications"]


def test_every_earlier_version_has_seed_rows_for_the_upgrade_test() -> None:
    assert set(range(1, LATEST_VERSION)) <= set(SEEDS)


async def test_empty_file_is_migrated_to_the_latest_version(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        assert await db.schema_version() == LATEST_VERSION
        assert {
            "users",
            "access_requests",
            "drafts",
            "templates",
            "audit_log",
            "kv_state",
            "fsm_records",
            "tracked_dispatches",
            "dispatch_subscriptions",
            "alert_settings",
            "group_chats",
            "access_boards",
            "confirmations",
            "permissions",
            "recurring_schedules",
            "recurring_occurrences",
            "balance_hours",
            "report_digests",
            "group_alerts",
            "group_alert_notices",
            "stop_list",
            "own_phones",
            "approval_requests",
            "approval_messages",
        } <= await _tables(db)
    finally:
        await db.close()


@pytest.mark.parametrize("version", range(1, LATEST_VERSION))
async def test_upgrade_from_an_earlier_version_keeps_the_rows(tmp_path: Path, version: int) -> None:
    path = tmp_path / "bot.sqlite3"
    old = await Database.open(path, migrations=MIGRATIONS[:version])
    try:
        assert await old.schema_version() == version
        for seed_version in range(1, version + 1):
            await SEEDS[seed_version][0](old)
    finally:
        await old.close()

    db = await Database.open(path)
    try:
        assert await db.schema_version() == LATEST_VERSION
        for seed_version in range(1, version + 1):
            await SEEDS[seed_version][1](db)
    finally:
        await db.close()


async def test_before_an_upgrade_the_file_is_copied_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    old = await Database.open(path, migrations=MIGRATIONS[:1])
    try:
        await _seed_v1(old)
    finally:
        await old.close()

    db = await Database.open(path)
    await db.close()

    copy = tmp_path / f"bot.sqlite3.before-v{LATEST_VERSION}"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    kept = await Database.open(copy, migrations=MIGRATIONS[:1])
    try:
        assert await kept.schema_version() == 1
        await _check_v1_rows(kept)
    finally:
        await kept.close()


async def test_a_new_file_and_an_up_to_date_one_are_not_copied(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    for _ in range(2):
        db = await Database.open(path)
        await db.close()
    assert not [name for name in _names(tmp_path) if ".before-v" in name]


async def test_reopening_an_up_to_date_file_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await _seed_v1(db)
    schema = await db.fetchall("SELECT type, name, sql FROM sqlite_master ORDER BY name")
    await db.close()

    # Every migration creates its tables without IF NOT EXISTS: a second run would fail.
    db = await Database.open(path)
    try:
        assert await db.schema_version() == LATEST_VERSION
        assert [
            tuple(r)
            for r in await db.fetchall("SELECT type, name, sql FROM sqlite_master ORDER BY name")
        ] == [tuple(r) for r in schema]
        await _check_v1_rows(db)
    finally:
        await db.close()


async def test_a_failing_migration_leaves_the_previous_version_intact(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    broken = Migration(
        LATEST_VERSION + 1,
        "broken",
        "CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);",
    )
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        await Database.open(path, migrations=(*MIGRATIONS, broken))

    db = await Database.open(path)
    try:
        assert await db.schema_version() == LATEST_VERSION
        assert "half_done" not in await _tables(db)
    finally:
        await db.close()


async def test_a_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError):
        await Database.open(path)


async def test_two_databases_opening_one_new_file_both_succeed(tmp_path: Path) -> None:
    """Two processes starting at once on a new file: one migrates, neither fails.

    Repeated, because the race (switching the new file to WAL) is lost only sometimes.
    """
    for attempt in range(20):
        path = tmp_path / str(attempt) / "bot.sqlite3"
        first, second = await asyncio.gather(Database.open(path), Database.open(path))
        try:
            assert await first.schema_version() == LATEST_VERSION
            assert await second.schema_version() == LATEST_VERSION
        finally:
            await first.close()
            await second.close()


def test_split_statements_respects_strings_comments_and_triggers() -> None:
    script = """
    -- a comment; with a semicolon
    CREATE TABLE t (x TEXT DEFAULT 'a;b');
    CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN
        UPDATE t SET x = 'c;d' WHERE rowid = new.rowid;
    END;
    INSERT INTO t VALUES ('e'); -- trailing comment
    """
    statements = split_statements(script)
    assert len(statements) == 3
    assert statements[0].endswith("DEFAULT 'a;b');")
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
    assert statements[2] == "INSERT INTO t VALUES ('e');"


def test_split_statements_refuses_an_unterminated_statement() -> None:
    with pytest.raises(ValueError, match="unterminated"):
        split_statements("CREATE TABLE t (x INTEGER);\nINSERT INTO t VALUES (1)")


def test_shipped_migrations_split_cleanly() -> None:
    for migration in MIGRATIONS:
        statements = migration.statements()
        assert statements, migration.name
        for statement in statements:
            assert sqlite3.complete_statement(statement)
