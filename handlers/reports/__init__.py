"""Reports: ``/report`` for managers and admins (a period, the summary, a chart and an
.xlsx table) and the admins' weekly digest (switched on in ``/alerts``).

Managers see the whole company's figures, as admins do: every reader already sees every
dispatch (``/dispatches``) and the balance, and a team's report should read the same for
each of its members; the table has a "sent by" column for anyone who wants their own.
"""

from aiogram import Dispatcher, F, Router
from aiogram.filters import Command

from handlers.common.roles import CAN_READ, CAN_SEND, RoleFilter, can_send
from handlers.reports.callbacks import ReportCallback, ReportChoice
from handlers.reports.making import (
    REPORT_JOBS,
    another_report,
    back_to_periods,
    make_report,
    refused,
    refused_tap,
    show_months,
    show_periods,
)

PERIODS = {ReportChoice.TODAY, ReportChoice.LAST_7_DAYS, ReportChoice.LAST_30_DAYS}
read_only = RoleFilter(CAN_READ - CAN_SEND)


async def _open_jobs(dispatcher: Dispatcher) -> None:
    dispatcher[REPORT_JOBS] = set()


def build_router() -> Router:
    router = Router(name="reports")
    router.startup.register(_open_jobs)
    message, tap = router.message.register, router.callback_query.register

    message(show_periods, Command("report"), can_send)
    message(refused, Command("report"), read_only)
    choice = ReportCallback.filter
    tap(make_report, choice(F.choice.in_(PERIODS | {ReportChoice.MONTH})), can_send)
    tap(show_months, choice(F.choice == ReportChoice.MONTHS), can_send)
    tap(back_to_periods, choice(F.choice == ReportChoice.BACK), can_send)
    tap(another_report, choice(F.choice == ReportChoice.AGAIN), can_send)
    tap(refused_tap, choice(), read_only)
    return router
