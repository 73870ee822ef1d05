"""The admins' tools: ``/users`` (roles, revoking, pending requests) and ``/audit``.

The guard comes last: whoever is not an admin and reaches it gets "only for admins".
"""

from aiogram import Router

from handlers.admin import audit, guard, users

router = Router(name="admin")
router.include_routers(users.router, audit.router, guard.router)

__all__ = ["router"]
