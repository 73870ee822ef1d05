"""Access control: strangers ask for access, admins approve or deny.

The gate (``gate.py``) stops every update of a user without a role and answers it with
the access-request flow (``stranger.py``); this router carries the admins' decisions:
on a request's own message (``decisions.py``) and on the list of pending requests that
each admin's board and ``/users`` show (``pending.py``). The board (``board.py``) is
opened with the dispatcher and closed with it.
"""

from aiogram import Router

from handlers.access.board import close_board, open_board
from handlers.access.callbacks import AccessDecision, DenyAll, PendingDecision, PendingPage
from handlers.access.decisions import decide_request, decision_not_allowed
from handlers.access.pending import decide_from_list, deny_all, turn_pending_page
from handlers.common.roles import is_admin


def build_router() -> Router:
    router = Router(name="access")
    router.startup.register(open_board)
    router.shutdown.register(close_board)
    tap = router.callback_query.register
    tap(decide_request, AccessDecision.filter(), is_admin)
    tap(decide_from_list, PendingDecision.filter(), is_admin)
    tap(turn_pending_page, PendingPage.filter(), is_admin)
    tap(deny_all, DenyAll.filter(), is_admin)
    for data in (AccessDecision, PendingDecision, PendingPage, DenyAll):
        tap(decision_not_allowed, data.filter())
    return router
