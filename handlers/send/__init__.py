"""The send conversation (/send): recipients, text, time, summary, exactly one dispatch.

One wizard message walks through the steps. Observers are answered by ``readonly``;
everyone who may send goes through the steps, and ``hints`` (last) answers what no step
could use. Any other command or menu button in the middle of a send parks the draft and
goes on to its own feature (``entry.step_aside``); /send offers the draft back. A step's
button carries the ``draft`` flag (the step it belongs to): :class:`FlowMiddleware` hands
such a handler the draft, or answers an out-of-date button itself.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.dispatcher.event.handler import CallbackType
from aiogram.filters import Command, StateFilter
from aiogram.fsm.state import State

from handlers.common.callbacks import CardAction, CardCallback
from handlers.common.filters import InLoop
from handlers.common.i18n import LANGUAGES, translator
from handlers.common.menu import ALL_LABELS, SEND, menu_button, menu_labels, typed_text
from handlers.common.roles import can_send
from handlers.send import (
    calendar,
    confirm,
    entry,
    hints,
    readonly,
    recipients,
    repeat,
    schedule,
    summary,
    text_step,
    to_myself,
)
from handlers.send.callbacks import CalendarCallback, ConfirmCallback, SendAction, SendCallback
from handlers.send.flow import DRAFT_FLAG, FlowMiddleware
from handlers.send.recovery import recover_interrupted_sends
from handlers.send.states import SendForm

# A command or a menu button other than /send's own: it steps aside from the draft.
stepping_aside = InLoop(
    (F.text.startswith("/") & ~F.text.regexp(r"^/send(@\w+)?(\s|$)"))
    | F.text.in_(ALL_LABELS - menu_labels(SEND))
)
# "Not now" under the contact button, in every language.
not_now = InLoop(
    F.text.in_({translator(language)("send.button_not_now") for language in LANGUAGES})
)


def build_router() -> Router:
    router = Router(name="send")
    router.message.middleware(FlowMiddleware())
    router.callback_query.middleware(FlowMiddleware())
    router.startup.register(recover_interrupted_sends)
    router.shutdown.register(text_step.cancel_waits)
    router.include_routers(_readers(), _senders())
    return router


def _readers() -> Router:
    router = Router(name="send.readonly")
    router.message.filter(~can_send)
    router.callback_query.filter(~can_send)
    router.message.register(readonly.send_refused, Command("send"))
    router.message.register(readonly.send_refused, menu_button(SEND))
    router.message.register(readonly.draft_of_a_former_sender, StateFilter(SendForm))
    for data in (SendCallback.filter(), ConfirmCallback.filter(), CalendarCallback.filter()):
        router.callback_query.register(readonly.button_refused, data)
    router.callback_query.register(
        readonly.button_refused, CardCallback.filter(F.action == CardAction.REPEAT)
    )
    return router


def _senders() -> Router:
    router = Router(name="send.senders")
    router.message.filter(can_send)
    router.callback_query.filter(can_send)
    message = router.message.register

    def button(handler: CallbackType, *actions: SendAction, step: State | bool = True) -> None:
        router.callback_query.register(
            handler, SendCallback.filter(F.action.in_(set(actions))), flags={DRAFT_FLAG: step}
        )

    # A contact shared for "test to me" (whatever step the draft is at, or none).
    message(to_myself.contact_shared, InLoop(F.contact))
    message(to_myself.not_now, not_now)

    message(entry.new_dispatch, Command("send"))
    message(entry.new_dispatch, menu_button(SEND))
    message(entry.step_aside, StateFilter(SendForm), stepping_aside)
    button(entry.resume, SendAction.RESUME)
    button(entry.discard, SendAction.DISCARD)
    button(entry.cancel_button, SendAction.CANCEL)
    button(entry.step_back, SendAction.STEP_BACK)

    recipients_step = SendForm.recipients
    button(recipients.books_page, SendAction.BOOKS_PAGE, step=recipients_step)
    button(recipients.book_picked, SendAction.BOOK, step=recipients_step)
    message(recipients.numbers_typed, StateFilter(recipients_step), typed_text)
    message(recipients.numbers_file, StateFilter(recipients_step), InLoop(F.document))

    message(text_step.text_typed, StateFilter(SendForm.text), typed_text)
    message(text_step.text_file, StateFilter(SendForm.text), InLoop(F.document))
    button(text_step.templates_list, SendAction.TEMPLATES, step=SendForm.text)
    button(text_step.templates_closed, SendAction.TEXT_BACK, step=SendForm.text)
    button(text_step.template_picked, SendAction.TEMPLATE, step=SendForm.text)
    button(text_step.paste_accepted, SendAction.PASTE_YES, step=SendForm.paste)
    button(text_step.paste_refused, SendAction.PASTE_NO, step=SendForm.paste)
    # Saving a template is offered on the summary.
    router.callback_query.register(
        text_step.save_as_template, SendCallback.filter(F.action == SendAction.SAVE_TEMPLATE)
    )

    button(schedule.quick_time, *schedule.QUICK, step=SendForm.time)
    button(schedule.back_to_quick_choices, SendAction.TIME_BACK, step=SendForm.time)
    button(calendar.calendar_opened, SendAction.CALENDAR, step=SendForm.time)
    router.callback_query.register(
        calendar.calendar_tapped, CalendarCallback.filter(), flags={DRAFT_FLAG: SendForm.time}
    )
    message(schedule.time_typed, StateFilter(SendForm.time), typed_text)

    button(summary.edit_menu, SendAction.EDIT, SendAction.SUMMARY_BACK, step=SendForm.summary)
    button(summary.edit_step, *summary.EDITS, step=SendForm.summary)
    button(to_myself.test_tapped, SendAction.TEST_TO_ME, step=SendForm.summary)
    router.callback_query.register(confirm.confirmed, ConfirmCallback.filter())
    router.callback_query.register(
        repeat.repeat_dispatch, CardCallback.filter(F.action == CardAction.REPEAT)
    )

    # Last: what no step could use (commands and menu buttons have stepped aside).
    message(hints.unexpected_input, StateFilter(SendForm), ~stepping_aside)
    return router
