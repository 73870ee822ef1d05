"""Who may cancel and re-run a dispatch (docs/architecture.md, "Who may cancel and re-run").

Admins may, always. A manager may cancel and re-run their own dispatches (the bot knows
who created one it sent), and others' (another manager's, or one made elsewhere, which
has no creator) only while an admin allows it (``/users`` → permissions). Observers
never may.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.common.context import Context
from storage import Permission, Role, Storage


@dataclass(frozen=True)
class Authority:
    allowed: bool
    creator_id: int | None  # None: made elsewhere, or the bot does not know who made it


async def creator_of(store: Storage, dispatch_id: int) -> int | None:
    tracked = await store.dispatches.get(dispatch_id)
    if tracked is not None and tracked.creator_id is not None:
        return tracked.creator_id
    # Sent from a draft whose tracking was not written: the draft still names its author.
    draft = await store.drafts.by_dispatch_id(dispatch_id)
    return draft.user_id if draft is not None else None


async def authority_over(ctx: Context, dispatch_id: int) -> Authority:
    """Whether this user may cancel and re-run the dispatch, and who created it."""
    creator = await creator_of(ctx.store, dispatch_id)
    if ctx.role is Role.ADMIN:
        allowed = True
    elif ctx.role is not Role.MANAGER:
        allowed = False
    elif creator == ctx.user_id:
        allowed = True
    else:
        allowed = await ctx.store.permissions.allowed(Permission.OTHERS_DISPATCHES)
    return Authority(allowed, creator)
