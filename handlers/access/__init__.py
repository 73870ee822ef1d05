"""Access control: strangers ask for access, admins approve or deny.

``handle_stranger`` is called by the access middleware for every update of a user without
a role; ``router`` carries the admins' decision buttons.
"""

from aiogram import Router

from handlers.access import decisions
from handlers.access.stranger import handle_stranger

router = Router(name="access")
router.include_router(decisions.router)

__all__ = ["handle_stranger", "router"]
