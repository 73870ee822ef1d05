"""Who may do what with schedules: managers and admins create them; a manager manages
their own, an admin everyone's; observers none (their router refuses them first).
Callback data can be forged, so every action asks here again."""

from __future__ import annotations

from handlers.common.context import Context
from storage import Role, Schedule

AUDIT_FORBIDDEN = "recurring.forbidden"


def sees_everyone(ctx: Context) -> bool:
    return ctx.role is Role.ADMIN


def may_manage(ctx: Context, schedule: Schedule) -> bool:
    if ctx.role is Role.ADMIN:
        return True
    return ctx.role is Role.MANAGER and schedule.owner_id == ctx.user_id


async def refuse(ctx: Context, schedule: Schedule, action: str) -> None:
    await ctx.store.audit.record(
        ctx.user_id,
        AUDIT_FORBIDDEN,
        details={"schedule": schedule.id, "action": action, "owner": schedule.owner_id},
    )
