"""``/alerts`` in a group: an admin of the bot chooses what the group hears.

One screen message, edited in place as its toggles are tapped. The threshold is typed as
a reply to the bot's question: with privacy mode on (a bot's default) the bot sees in a
group only commands, mentions and replies to its own messages, so the question asks for
a reply (Telegram opens one at once for the admin it names) and only a reply to that
question, from an admin of the bot, is read as the amount. Everything the bot writes in
the group goes through the outbox, which keeps the group's limit of 20 a minute.
"""

from __future__ import annotations

from aiogram.types import CallbackQuery, ForceReply, Message, User

from core.watch import Outcome
from handlers.alerts.parsing import MAX_THRESHOLD, parse_threshold
from handlers.common.context import Context
from handlers.common.formatting import esc, shorten
from handlers.common.replies import Screen, answer, tapped_message
from handlers.groups.callbacks import GroupAlertsCallback
from handlers.groups.screen import TOGGLES, group_screen
from storage import GroupAlerts

NAME_SHOWN = 64


async def open_screen(message: Message, ctx: Context) -> None:
    chat = message.chat
    alerts = await ctx.store.group_alerts.bind(
        chat.id, chat.type, chat.title, ctx.user_id, ctx.t.language
    )
    # The group hears in the language of the admin who last set it up.
    alerts = await ctx.store.group_alerts.update(chat.id, language=ctx.t.language) or alerts
    await _send_screen(ctx, alerts, chat.title)


async def toggle(query: CallbackQuery, callback_data: GroupAlertsCallback, ctx: Context) -> None:
    kind = TOGGLES[callback_data.action]
    alerts = await ctx.store.group_alerts.toggle(ctx.chat_id, kind)
    if alerts is None:
        await answer(query, ctx.t("group_alerts.gone"), alert=True)
        return
    await answer(query)
    await _audit(ctx, {kind: getattr(alerts, kind)})
    await _show_in(query, ctx, alerts)


async def ask_threshold(query: CallbackQuery, ctx: Context) -> None:
    alerts = await ctx.store.group_alerts.get(ctx.chat_id)
    if alerts is None:
        await answer(query, ctx.t("group_alerts.gone"), alert=True)
        return
    await answer(query)
    text = ctx.t(
        "group_alerts.ask_threshold",
        admin=_mention(query.from_user),
        threshold=ctx.t.money(alerts.threshold),
    )
    # Selective: the reply field opens for the admin named in the question only.
    asked = await ctx.outbox.send(
        ctx.chat_id, text, keyboard=ForceReply(selective=True, input_field_placeholder="150")
    )
    if asked.outcome is Outcome.SENT:
        await ctx.store.group_alerts.update(ctx.chat_id, prompt_message_id=asked.message_id)


async def threshold_replied(message: Message, ctx: Context) -> None:
    """An admin's reply to the open threshold question (the gate checked which)."""
    replied = message.reply_to_message
    assert replied is not None
    amount = parse_threshold(message.text or "")
    if amount is None:
        # The same question, saying what went wrong: the admin replies to it again.
        text = ctx.t(
            "group_alerts.bad_threshold",
            admin=_mention(message.from_user),
            max=ctx.t.money(MAX_THRESHOLD),
        )
        await ctx.outbox.edit(ctx.chat_id, replied.message_id, text)
        return
    alerts = await ctx.store.group_alerts.update(
        ctx.chat_id, threshold=amount, prompt_message_id=None
    )
    if alerts is None:
        return  # the binding ended meanwhile
    await _audit(ctx, {"threshold": str(amount)})
    await ctx.outbox.edit(
        ctx.chat_id,
        replied.message_id,
        ctx.t("group_alerts.threshold_saved", threshold=ctx.t.money(amount)),
    )
    screen = group_screen(ctx.t, alerts, message.chat.title)
    if alerts.screen_message_id is not None:
        shown = await ctx.outbox.edit(
            ctx.chat_id, alerts.screen_message_id, screen.text, keyboard=screen.keyboard
        )
        if shown.outcome is not Outcome.GONE:
            return
    await _send_screen(ctx, alerts, message.chat.title)


async def refuse_tap(query: CallbackQuery, ctx: Context) -> None:
    """A tap on the group's screen by someone who is not an admin of the bot."""
    await answer(query, ctx.t("group_alerts.admins_only_tap"), alert=True)


async def ignore(event: object) -> None:
    """Whatever else the gate let through from a group (another bot's /alerts): nothing."""


async def _send_screen(ctx: Context, alerts: GroupAlerts, title: str | None) -> None:
    screen = group_screen(ctx.t, alerts, title)
    sent = await ctx.outbox.send(ctx.chat_id, screen.text, keyboard=screen.keyboard)
    if sent.outcome is Outcome.SENT:
        await ctx.store.group_alerts.update(ctx.chat_id, screen_message_id=sent.message_id)


async def _show_in(query: CallbackQuery, ctx: Context, alerts: GroupAlerts) -> None:
    message = tapped_message(query)
    title = message.chat.title if message is not None else None
    screen: Screen = group_screen(ctx.t, alerts, title)
    if message is None:
        await _send_screen(ctx, alerts, title)
        return
    await ctx.outbox.edit(ctx.chat_id, message.message_id, screen.text, keyboard=screen.keyboard)
    if alerts.screen_message_id != message.message_id:
        await ctx.store.group_alerts.update(ctx.chat_id, screen_message_id=message.message_id)


async def _audit(ctx: Context, change: dict[str, object]) -> None:
    # Who changed what a group hears: the group is shared, so the change is everyone's.
    await ctx.store.audit.record(
        ctx.user_id, "group.alerts", details={"chat_id": ctx.chat_id, **change}
    )


def _mention(person: User | None) -> str:
    """The admin by their name in Telegram, as a mention Telegram links to them (no
    username needed; the stored profile of an admin may have no name yet)."""
    if person is None:
        return ""
    name = shorten(person.first_name or str(person.id), NAME_SHOWN)
    return f'<a href="tg://user?id={person.id}">{esc(name)}</a>'
