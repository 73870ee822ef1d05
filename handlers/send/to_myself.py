""" "📱 Test to me" on the summary: the draft's text, once, to the sender's own number.

The number is the one the user shared with Telegram's contact button (their own contact
only: a contact card of someone else is refused). Each summary's button carries a key
of its own; the test is a draft under an id made of the draft's and that key, so a
double tap creates one test, and the next summary's button the next one. The test goes
through :func:`core.sending.send_draft` like any send (the stop list, the audit, the
dispatch list), and the user is back at the same summary, edited in place.
"""

from __future__ import annotations

from aiogram.types import CallbackQuery, KeyboardButton, Message, ReplyKeyboardMarkup

from core.phones import PhoneProblem, classify
from core.sending import (
    AccessRejected,
    AlreadyHandled,
    NoRecipients,
    OutcomeUnknown,
    Refused,
    SendOutcome,
    Sent,
    ServiceDown,
    send_draft,
)
from handlers.common.context import Context
from handlers.common.formatting import esc, shorten
from handlers.common.i18n import Translator
from handlers.common.menu import main_menu
from handlers.common.replies import answer, tell_admins_token_rejected
from handlers.common.sms_errors import describe_sms_error
from handlers.send.callbacks import SendCallback
from handlers.send.flow import SendFlow
from handlers.send.states import SendForm
from storage import Draft, DraftState

AUDIT_PHONE_SHARED = "user.phone_shared"
PHONE_SHOWN = 20


def test_draft_id(draft_id: str, key: int) -> str:
    return f"{draft_id}.test.{key}"


def share_keyboard(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=t("send.button_share_phone"), request_contact=True)],
            [KeyboardButton(text=t("send.button_not_now"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def shown_phone(phone: str) -> str:
    return esc(shorten(phone if phone.startswith("+") else f"+{phone}", PHONE_SHOWN))


async def test_tapped(
    query: CallbackQuery, callback_data: SendCallback, flow: SendFlow, draft: Draft
) -> None:
    t, ctx = flow.t, flow.ctx
    shared = await flow.store.own_phones.get(ctx.user_id)
    if shared is None:
        await answer(query, t("send.test_share_first"))
        await flow.say(t("send.test_share_prompt"), share_keyboard(t))
        return
    number = classify(shared)
    if isinstance(number, PhoneProblem):
        return await answer(
            query, t("send.test_not_phoenix", phone=shown_phone(shared)), alert=True
        )
    key = test_draft_id(draft.id, callback_data.value)
    test = await flow.store.drafts.create_with_id(
        key, ctx.user_id, ctx.chat_id, text=draft.text, phones=[number]
    )
    if test is None:  # this button's test was made already: a double tap
        made = await flow.store.drafts.get(key)
        return await answer(query, _already(t, made))
    await answer(query, t("send.test_sending"))
    outcome = await send_draft(
        flow.store, flow.sms, test.id, actor_id=ctx.user_id,
        describe_numbers=lambda _: t("send.test_recipients"), clock=ctx.clock,
        audit_details={"test": "to self", "of_draft": draft.id},
        repeat_confirmed=True,  # each tap is its own test; a double tap is caught by the key
    )  # fmt: skip
    note, error = await _said(ctx, outcome, number)
    await flow.show(SendForm.summary, draft, note=note, error=error)


def _already(t: Translator, made: Draft | None) -> str:
    if made is not None and made.state is DraftState.SENT and made.dispatch_id is not None:
        return t("send.test_already", id=made.dispatch_id)
    return t("send.test_already_sending")


async def _said(ctx: Context, outcome: SendOutcome, number: str) -> tuple[str | None, str | None]:
    """The line the summary shows after the test: (a note, or an error)."""
    t = ctx.t
    match outcome:
        case Sent(dispatch_id=int() as dispatch_id):
            return t("send.test_sent", id=dispatch_id, phone=shown_phone(number)), None
        case Sent():
            return t("send.test_sent_unnumbered", phone=shown_phone(number)), None
        case OutcomeUnknown():
            return t("send.test_unknown"), None
        case NoRecipients(stopped=stopped) if stopped:
            return None, t("send.test_stopped", phone=shown_phone(number))
        case AccessRejected(error=error):
            await tell_admins_token_rejected(ctx)
            return None, describe_sms_error(error, t)
        case ServiceDown(error=error) | Refused(error=error):
            return None, describe_sms_error(error, t)
        case AlreadyHandled():
            return None, t("send.test_already_sending")
    return None, t("send.test_failed")


# -- sharing the number ------------------------------------------------------------------


async def contact_shared(message: Message, ctx: Context) -> None:
    """A contact from the keyboard's button: kept if it is the sender's own."""
    contact = message.contact
    assert contact is not None  # the filter says so
    t = ctx.t
    if contact.user_id != ctx.user_id:
        await message.answer(t("send.contact_not_yours"), reply_markup=share_keyboard(t))
        return
    await ctx.store.own_phones.set(ctx.user_id, contact.phone_number)
    # That a number was shared, not which: the audit log is read by every admin.
    await ctx.store.audit.record(ctx.user_id, AUDIT_PHONE_SHARED)
    phone = shown_phone(contact.phone_number)
    usable = not isinstance(classify(contact.phone_number), PhoneProblem)
    text = t("send.contact_saved" if usable else "send.contact_not_phoenix", phone=phone)
    await message.answer(text, reply_markup=main_menu(t, ctx.role))


async def not_now(message: Message, ctx: Context) -> None:
    """ "Not now" under the contact button: the menu comes back."""
    await message.answer(ctx.t("send.contact_not_now"), reply_markup=main_menu(ctx.t, ctx.role))
