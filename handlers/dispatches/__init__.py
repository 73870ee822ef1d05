"""Dispatches: ``/status``, ``/track``, ``/dispatches`` and the card's buttons.

Every reader role may look and follow; cancelling and re-running need ``can_send``.
"""

from aiogram import Router

from handlers.common.roles import can_read
from handlers.dispatches import actions, listing, lookup
from handlers.dispatches.desk import DeskMiddleware

router = Router(name="dispatches")
router.message.filter(can_read)
router.callback_query.filter(can_read)
router.message.middleware(DeskMiddleware())
router.callback_query.middleware(DeskMiddleware())
router.include_routers(lookup.router, listing.router, actions.router)

__all__ = ["router"]
