"""Approval of big sends: a manager's send above the admins' limits waits for an admin
(``handlers/send/confirm.py`` holds it and asks them through ``board.py``). Admins
approve (it goes out once, and the manager's summary becomes the card), reject with a
reason, or let it expire (``expiry.py`` sweeps). Included after the send feature: its
start-up hook settles approvals a crash cut short once the drafts are recovered.
"""

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackQueryFilter

from handlers.approval import decisions
from handlers.approval.callbacks import ApprovalAction, ApprovalCallback
from handlers.approval.expiry import close_sweeper, open_sweeper
from handlers.common.roles import is_admin


def build_router() -> Router:
    router = Router(name="approval")
    router.startup.register(open_sweeper)
    router.shutdown.register(close_sweeper)
    tap = router.callback_query.register

    def on(action: ApprovalAction) -> CallbackQueryFilter:
        return ApprovalCallback.filter(F.action == action)

    tap(decisions.approve_tapped, on(ApprovalAction.APPROVE), is_admin)
    tap(decisions.reject_tapped, on(ApprovalAction.REJECT), is_admin)
    tap(decisions.reason_tapped, on(ApprovalAction.REASON), is_admin)
    tap(decisions.back_tapped, on(ApprovalAction.BACK), is_admin)
    # Anyone else (the buttons can be forged): only admins decide.
    tap(decisions.not_allowed, ApprovalCallback.filter())
    return router
