"""The set-up's steps: a new schedule (from /recurring, or from a send's summary), or a
change of one part of an existing one, and Save.

Save creates the schedule once per set-up, however often it is tapped: the set-up's key
is stored with the schedule, and a second Save finds it.
"""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from core.recurring import manage
from core.recurring.manage import Recipients
from core.recurring.rules import RuleRefused
from handlers.common.context import Context
from handlers.common.replies import answer
from handlers.recurring.callbacks import SetupAction, SetupCallback
from handlers.recurring.moves import current
from handlers.recurring.screens import card_screen
from handlers.recurring.states import RecurringForm, Setup, forget_setup, save_setup
from handlers.recurring.wizard import Wizard
from handlers.send.callbacks import SendCallback, draft_token
from handlers.send.states import DRAFT_ID, VALID, SendForm, abandon_draft
from storage import DraftState

# -- starting ------------------------------------------------------------------------


async def new_schedule(query: CallbackQuery, state: FSMContext, ctx: Context) -> None:
    await answer(query)
    prompt = query.message.message_id if isinstance(query.message, Message) else None
    setup = Setup(prompt_id=prompt)
    await save_setup(state, setup)
    await Wizard(ctx, state).show(RecurringForm.recipients, setup)


async def from_summary(
    query: CallbackQuery, callback_data: SendCallback, state: FSMContext, ctx: Context
) -> None:
    """The send summary's "Repeat on a schedule": its recipients and text go to a new
    schedule's set-up, which takes the summary's place; the one-off draft is dropped."""
    data = await state.get_data()
    draft_id = data.get(DRAFT_ID)
    draft = await ctx.store.drafts.get(draft_id) if isinstance(draft_id, str) else None
    if (
        draft is None
        or draft.state is not DraftState.PENDING
        or draft_token(draft.id) != callback_data.draft
        or await state.get_state() != SendForm.summary.state
        or not draft.text
    ):
        return await answer(query, ctx.t("recurring.from_summary_gone"), alert=True)
    await answer(query)
    valid = int(data.get(VALID, 0) or len(draft.phones))
    await abandon_draft(state, ctx.store)
    prompt = query.message.message_id if isinstance(query.message, Message) else None
    setup = Setup(
        book_id=draft.book_id,
        book_name=draft.book_name,
        source_draft=draft.id,
        numbers=valid,
        text=draft.text,
        prompt_id=prompt,
    )
    await save_setup(state, setup)
    await Wizard(ctx, state).show(
        RecurringForm.kind, setup, note=ctx.t("recurring.started_from_summary")
    )


# -- the summary -----------------------------------------------------------------------


async def late_toggled(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await current(query, callback_data, wizard)
    if setup is None:
        return
    await answer(query)
    await wizard.show(RecurringForm.summary, setup.but(send_late=bool(callback_data.value)))


CHANGES = {
    SetupAction.CHANGE_RULE: RecurringForm.kind,
    SetupAction.CHANGE_TIME: RecurringForm.time,
    SetupAction.CHANGE_PERIOD: RecurringForm.period,
}


async def change_from_summary(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await current(query, callback_data, wizard)
    if setup is None:
        return
    await answer(query)
    await wizard.show(CHANGES[callback_data.action], setup.but(to_summary=True))


async def save(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await wizard.setup()
    if setup is None or setup.key != callback_data.token:
        saved = await ctx.store.recurring.by_setup_key(callback_data.token)
        key = "recurring.already_saved" if saved is not None else "recurring.setup_gone"
        return await answer(query, ctx.t(key, id=saved.id if saved else 0))
    if await wizard.step() != RecurringForm.summary.state:
        return await answer(query, ctx.t("recurring.stale_button"), alert=True)
    recipients = await _recipients(ctx, setup)
    if recipients is None:
        return await answer(query, ctx.t("recurring.from_summary_gone"), alert=True)
    try:
        rule = setup.rule()
    except RuleRefused:
        return await answer(query, ctx.t("recurring.no_occurrence"), alert=True)
    schedule, added = await manage.create_schedule(
        ctx.store,
        setup.key,
        ctx.user_id,
        ctx.chat_id,
        recipients=recipients,
        text=setup.text,
        rule=rule,
        send_late=setup.send_late,
        now=ctx.now(),
        tz=ctx.tz,
    )
    await answer(
        query, ctx.t("recurring.saved" if added else "recurring.already_saved", id=schedule.id)
    )
    await forget_setup(state)
    screen = await card_screen(ctx, schedule, ctx.t("recurring.saved", id=schedule.id))
    await wizard.replace_with(setup, screen.text, screen.keyboard)


async def _recipients(ctx: Context, setup: Setup) -> Recipients | None:
    if setup.source_draft is not None:
        draft = await ctx.store.drafts.get(setup.source_draft)
        if draft is None or draft.user_id != ctx.user_id:
            return None
        return Recipients(draft.book_id, draft.book_name, tuple(draft.phones))
    if setup.book_id is None and not setup.phones:
        return None
    return Recipients(setup.book_id, setup.book_name, setup.phones)


async def cancel(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await current(query, callback_data, wizard)
    if setup is None:
        return
    await answer(query)
    await forget_setup(state)
    schedule = await ctx.store.recurring.get(setup.edit) if setup.edit else None
    if schedule is not None:
        screen = await card_screen(ctx, schedule)
        await wizard.replace_with(setup, screen.text, screen.keyboard)
        return
    await wizard.replace_with(setup, ctx.t("recurring.setup_cancelled"), None)


async def not_text(message: Message, ctx: Context) -> None:
    await message.answer(ctx.t("recurring.not_a_text_answer"))
