"""Access control: strangers ask for access, admins approve or deny.

The gate (``gate.py``) stops every update of a user without a role and answers it with
the access-request flow (``stranger.py``); this router carries the admins' decisions.
"""

from aiogram import Router

from handlers.access.callbacks import AccessDecision
from handlers.access.decisions import decide_request, decision_not_allowed
from handlers.common.roles import is_admin


def build_router() -> Router:
    router = Router(name="access")
    router.callback_query.register(decide_request, AccessDecision.filter(), is_admin)
    router.callback_query.register(decision_not_allowed, AccessDecision.filter())
    return router
