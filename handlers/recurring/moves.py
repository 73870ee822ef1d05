"""The set-up's shared moves: which step a button belongs to, on to the next step,
and a change of one part of an existing schedule applied (replacing its pending
occurrence at the SMS API)."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message

from core.recurring import manage
from core.recurring.manage import first_due
from core.recurring.rules import RuleProblem, RuleRefused
from handlers.common.context import Context
from handlers.common.formatting import esc, shorten
from handlers.common.replies import answer
from handlers.recurring.callbacks import SetupAction, SetupCallback
from handlers.recurring.screens import card_screen, tell_owner, withdrawal_lines
from handlers.recurring.states import RecurringForm, Setup, forget_setup
from handlers.recurring.wizard import Wizard

TYPED_SHOWN = 40

# The step each set-up button belongs to: a button of another step is out of date.
ACTION_STEPS: dict[SetupAction, tuple[State, ...]] = {
    SetupAction.BOOK: (RecurringForm.recipients,),
    SetupAction.BOOKS_AGAIN: (RecurringForm.recipients,),
    SetupAction.KIND: (RecurringForm.kind,),
    SetupAction.DAY: (RecurringForm.weekdays,),
    SetupAction.DAYS_DONE: (RecurringForm.weekdays,),
    SetupAction.MONTH_DAY: (RecurringForm.month_day,),
    SetupAction.BACK: (RecurringForm.weekdays, RecurringForm.month_day),
    SetupAction.TIME: (RecurringForm.time,),
    SetupAction.NO_BOUNDS: (RecurringForm.period,),
    SetupAction.LATE: (RecurringForm.summary,),
    SetupAction.CHANGE_RULE: (RecurringForm.summary,),
    SetupAction.CHANGE_TIME: (RecurringForm.summary,),
    SetupAction.CHANGE_PERIOD: (RecurringForm.summary,),
}


async def current(
    query: CallbackQuery, callback_data: SetupCallback, wizard: Wizard
) -> Setup | None:
    """The set-up the button belongs to, at the step it belongs to (answered otherwise)."""
    setup = await wizard.setup()
    steps = ACTION_STEPS.get(callback_data.action)
    step = await wizard.step()
    if (
        setup is None
        or setup.token != callback_data.token
        or (steps is not None and step not in {s.state for s in steps})
    ):
        await answer(query, wizard.t("recurring.stale_button"), alert=True)
        return None
    return setup


async def done(
    wizard: Wizard, setup: Setup, step: State, *, new: bool, note: str | None = None
) -> None:
    """``step`` is answered: on to the next one, or the set-up is complete."""
    following = wizard.next_step(setup, step)
    if following is not None:
        # Back at the summary, a later step goes on in order again.
        back = setup.to_summary and following != RecurringForm.summary
        await wizard.show(following, setup.but(to_summary=back), new=new, note=note)
        return
    await apply_change(wizard, setup, step, new=new)


# -- a change of an existing schedule ----------------------------------------------------


async def apply_change(wizard: Wizard, setup: Setup, step: State, *, new: bool) -> None:
    """A change of one part is complete: it replaces the pending occurrence."""
    ctx = wizard.ctx
    if not setup.edit:
        await wizard.show(RecurringForm.summary, setup, new=new)
        return
    try:
        rule = setup.rule()
    except RuleRefused as refused:
        error = ctx.t(
            "recurring.no_weekdays"
            if refused.problem is RuleProblem.NO_WEEKDAYS
            else "recurring.no_occurrence"
        )
        return await wizard.show(step, setup, new=new, error=error)
    if first_due(rule, ctx.now(), ctx.tz) is None:
        return await wizard.show(step, setup, new=new, error=ctx.t("recurring.no_occurrence"))
    current = await ctx.store.recurring.get(setup.edit)
    changes: dict[str, object] = {}
    if current is not None and setup.text != current.text:
        changes["text"] = setup.text
    if current is not None and rule.stored() != current.rule:
        changes["rule"] = rule
    changed = None
    if changes:
        changed = await manage.edit(
            ctx.store,
            ctx.sms,
            setup.edit,
            ctx.user_id,
            ctx.now(),
            ctx.tz,
            **changes,  # type: ignore[arg-type]
        )
    await forget_setup(wizard.state)
    schedule = changed.schedule if changed is not None else current
    if schedule is None:
        await wizard.replace_with(setup, ctx.t("recurring.card_gone"), None)
        return
    lines = [ctx.t("recurring.edited")]
    if changed is not None:
        lines += withdrawal_lines(ctx, changed.withdrawals)
        if changed.withdrawals:
            lines.append(ctx.t("recurring.replaced"))
    screen = await card_screen(ctx, schedule, "\n".join(lines))
    if new:
        await wizard.close_prompt(setup)
        await ctx.bot.send_message(ctx.chat_id, screen.text, reply_markup=screen.keyboard)
    else:
        await wizard.replace_with(setup, screen.text, screen.keyboard)
    if changed is not None:
        await tell_owner(ctx, schedule, "recurring.told_owner_edited")


# -- anything else ---------------------------------------------------------------------


def typed(message: Message) -> str:
    return esc(shorten((message.text or "").strip(), TYPED_SHOWN))


async def gone(message: Message, state: FSMContext, ctx: Context) -> None:
    await forget_setup(state)
    await message.answer(ctx.t("recurring.setup_gone"))
