"""Recurring dispatches (/recurring): the list, a schedule's card and actions, the set-up
wizard (also opened from a send summary's "Repeat on a schedule").

Managers and admins only; observers are told they can only read. A manager manages
their own schedules, an admin everyone's (``authority.py``). The set-up's typed answers
are plain text only: commands and menu buttons go on to their own features.
"""

from aiogram import F, Router
from aiogram.filters import Command, StateFilter

from handlers.common.filters import InLoop
from handlers.common.menu import ALL_LABELS, RECURRING, menu_button, typed_text
from handlers.common.roles import can_send
from handlers.recurring import readonly, screens, setup, steps
from handlers.recurring.callbacks import (
    ScheduleAction,
    ScheduleCallback,
    SetupAction,
    SetupCallback,
)
from handlers.recurring.states import RecurringForm
from handlers.send.callbacks import SendAction, SendCallback

# The send summary's button that hands its draft to a new schedule.
FROM_SUMMARY = SendCallback.filter(F.action == SendAction.REPEAT_ON_SCHEDULE)


def build_router() -> Router:
    router = Router(name="recurring")
    router.include_routers(_readers(), _managers())
    return router


def _readers() -> Router:
    router = Router(name="recurring.readonly")
    router.message.filter(~can_send)
    router.callback_query.filter(~can_send)
    router.message.register(readonly.refused, Command("recurring"))
    router.message.register(readonly.refused, menu_button(RECURRING))
    for data in (ScheduleCallback.filter(), SetupCallback.filter(), FROM_SUMMARY):
        router.callback_query.register(readonly.button_refused, data)
    return router


def _managers() -> Router:
    router = Router(name="recurring.managers")
    router.message.filter(can_send)
    router.callback_query.filter(can_send)
    message, tap = router.message.register, router.callback_query.register

    message(screens.show_list, Command("recurring"))
    message(screens.show_list, menu_button(RECURRING))

    def screen(handler, *actions: ScheduleAction) -> None:  # type: ignore[no-untyped-def]
        tap(handler, ScheduleCallback.filter(F.action.in_(set(actions))))

    screen(screens.turn_page, ScheduleAction.LIST)
    screen(screens.open_card, ScheduleAction.OPEN)
    screen(setup.new_schedule, ScheduleAction.NEW)
    screen(screens.pause, ScheduleAction.PAUSE)
    screen(screens.resume, ScheduleAction.RESUME)
    screen(screens.set_late, ScheduleAction.LATE)
    screen(screens.ask_delete, ScheduleAction.DELETE)
    screen(screens.delete, ScheduleAction.DELETE_YES)
    screen(screens.start_edit, *screens.EDITS)

    tap(setup.from_summary, FROM_SUMMARY)

    def step(handler, *actions: SetupAction) -> None:  # type: ignore[no-untyped-def]
        tap(handler, SetupCallback.filter(F.action.in_(set(actions))))

    step(steps.books_again, SetupAction.BOOKS_AGAIN)
    step(steps.book_picked, SetupAction.BOOK)
    step(steps.kind_picked, SetupAction.KIND)
    step(steps.day_toggled, SetupAction.DAY)
    step(steps.days_done, SetupAction.DAYS_DONE)
    step(steps.month_day_picked, SetupAction.MONTH_DAY)
    step(steps.back_to_kinds, SetupAction.BACK)
    step(steps.time_picked, SetupAction.TIME)
    step(steps.no_bounds, SetupAction.NO_BOUNDS)
    step(setup.late_toggled, SetupAction.LATE)
    step(setup.change_from_summary, *setup.CHANGES)
    step(setup.save, SetupAction.SAVE)
    step(setup.cancel, SetupAction.CANCEL)

    message(steps.numbers_typed, StateFilter(RecurringForm.recipients), typed_text)
    message(steps.text_typed, StateFilter(RecurringForm.text), typed_text)
    message(steps.month_day_typed, StateFilter(RecurringForm.month_day), typed_text)
    message(steps.time_typed, StateFilter(RecurringForm.time), typed_text)
    message(steps.period_typed, StateFilter(RecurringForm.period), typed_text)
    # A sticker, a photo, or text where only a button answers: the question stays.
    message(
        setup.not_text,
        StateFilter(RecurringForm),
        ~InLoop(F.text.startswith("/") | F.text.in_(ALL_LABELS)),
    )
    return router
