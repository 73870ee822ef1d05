"""Step 2: the SMS text, typed, pasted, sent as a .txt file or picked from the templates.

Telegram's apps split a text longer than 4,096 characters into several messages sent one
after another. A message that long may have more behind it: its parts are kept, and when
no part came for ``PASTE_QUIET_SECONDS`` (or a shorter one ends the paste) the user is
asked to accept them as one text, with its total length. The API takes 5,000 characters;
nothing is ever cut without the user seeing it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Hashable

from aiogram.types import CallbackQuery, Message

from handlers.common.replies import answer, edit_quietly, tapped_message
from handlers.send import keyboards, render
from handlers.send.callbacks import SendCallback, draft_token
from handlers.send.flow import SendFlow
from handlers.send.recipients import download
from handlers.send.states import PARTS, PASTE_ROUND, PROMPT_ID, SendForm
from storage import Draft

log = logging.getLogger(__name__)

# Telegram splits at 4,096 characters, at a space or a line break near it: a message
# at least this long may be the first part of a longer paste.
MAY_CONTINUE = 3500
PASTE_QUIET_SECONDS = 1.0
MAX_TEXT_FILE_BYTES = 64 * 1024

# The wait for a paste's next part, per chat: a running bot's only state outside SQLite,
# and nothing is lost with it (the parts are in the FSM data).
_waits: dict[Hashable, asyncio.Task[None]] = {}


async def text_typed(message: Message, flow: SendFlow) -> None:
    text = message.text or ""
    parts = list((await flow.data()).get(PARTS) or [])
    if parts or render.text_length(text) >= MAY_CONTINUE:
        await _collect(flow, [*parts, text], last=render.text_length(text) < MAY_CONTINUE)
        return
    await use_text(flow, text, new=True)


async def _collect(flow: SendFlow, parts: list[str], *, last: bool) -> None:
    key = (flow.ctx.chat_id, flow.ctx.user_id)
    waiting = _waits.pop(key, None)
    if waiting is not None:
        waiting.cancel()
    paste_round = int((await flow.data()).get(PASTE_ROUND, 0)) + 1
    await flow.state.update_data({PARTS: parts, PASTE_ROUND: paste_round})
    if last:
        await _settle(flow, paste_round)
        return
    task = asyncio.create_task(_settle_later(flow, paste_round), name="send-paste-wait")
    _waits[key] = task
    task.add_done_callback(lambda done: _waits.pop(key, None) if _waits.get(key) is done else None)


async def _settle_later(flow: SendFlow, paste_round: int) -> None:
    await asyncio.sleep(PASTE_QUIET_SECONDS)
    try:
        await _settle(flow, paste_round)
    except Exception:
        log.exception("A pasted text was not settled")


async def _settle(flow: SendFlow, paste_round: int) -> None:
    """No more parts are coming: one part is an ordinary text, several are asked about."""
    data = await flow.data()
    if data.get(PASTE_ROUND) != paste_round:
        return  # a later part took over
    parts = list(data.get(PARTS) or [])
    draft = await flow.draft()
    if draft is None or not parts:
        return
    if len(parts) == 1:
        await flow.state.update_data({PARTS: None})
        await use_text(flow, parts[0], new=True)
        return
    whole = render.join_pasted(parts)
    if not render.acceptable(whole):
        await flow.state.update_data({PARTS: None})
        await flow.refuse(SendForm.text, draft, render.text_refused(flow.t, whole))
        return
    await flow.close_prompt()
    await flow.state.set_state(SendForm.paste)
    question = render.wizard_text(
        flow.t, draft, await flow.counts(), SendForm.paste, render.paste_question(flow.t, parts),
        flow.ctx.tz,
    )  # fmt: skip
    sent = await flow.say(question, keyboards.paste_keyboard(flow.t, draft_token(draft.id)))
    await flow.state.update_data({PROMPT_ID: sent.message_id})


async def paste_accepted(query: CallbackQuery, flow: SendFlow, draft: Draft) -> None:
    parts = list((await flow.data()).get(PARTS) or [])
    if not parts:
        return await answer(query, flow.t("send.stale_button"), alert=True)
    await answer(query)
    await flow.state.update_data({PARTS: None})
    await use_text(flow, render.join_pasted(parts), new=False)


async def paste_refused(query: CallbackQuery, flow: SendFlow, draft: Draft) -> None:
    await answer(query)
    await flow.state.update_data({PARTS: None})
    await flow.show(SendForm.text, draft)


async def text_file(message: Message, flow: SendFlow) -> None:
    """A .txt file at the text step is the text."""
    draft = await flow.draft()
    if draft is None:
        return await flow.gone()
    document = message.document
    assert document is not None  # the filter says so
    name = (document.file_name or "").lower()
    if not name.endswith(".txt") and (document.mime_type or "") != "text/plain":
        return await flow.refuse(SendForm.text, draft, flow.t("send.hint_text"))
    too_big = flow.t("send.text_file_too_big", limit=render.TEXT_LIMIT)
    if (document.file_size or 0) > MAX_TEXT_FILE_BYTES:
        return await flow.refuse(SendForm.text, draft, too_big)
    content = await download(flow.ctx.bot, document)
    if content is None:
        return await flow.refuse(SendForm.text, draft, flow.t("send.file_download_failed"))
    if len(content) > MAX_TEXT_FILE_BYTES:
        return await flow.refuse(SendForm.text, draft, too_big)
    try:
        text = content.decode("utf-8-sig") if b"\x00" not in content else None
    except UnicodeDecodeError:
        text = None
    if text is None:
        return await flow.refuse(SendForm.text, draft, flow.t("send.file_not_text"))
    await use_text(flow, text.strip("\r\n"), new=True)


async def use_text(flow: SendFlow, text: str, *, new: bool) -> None:
    draft = await flow.draft()
    if draft is None:
        return await flow.gone()
    if not render.acceptable(text):
        return await flow.refuse(SendForm.text, draft, render.text_refused(flow.t, text))
    updated = await flow.store.drafts.update_content(draft.id, text=text)
    if updated is None:
        return await flow.gone()
    await flow.step_done(updated, new=new, note=render.text_note(flow.t, text))


async def templates_list(
    query: CallbackQuery, callback_data: SendCallback, flow: SendFlow, draft: Draft
) -> None:
    total = await flow.store.templates.count()
    if not total:
        return await answer(query, flow.t("send.no_templates"), alert=True)
    await answer(query)
    size = keyboards.TEMPLATES_PAGE_SIZE
    pages = keyboards.pages_of(total, size)
    page = min(max(callback_data.value, 0), pages - 1)
    templates = await flow.store.templates.list(size, page * size)
    await edit_quietly(
        tapped_message(query),
        flow.t("send.templates_title", page=page + 1, pages=pages),
        keyboards.templates_keyboard(flow.t, draft_token(draft.id), templates, page, pages),
    )


async def templates_closed(query: CallbackQuery, flow: SendFlow, draft: Draft) -> None:
    await answer(query)
    await flow.show(SendForm.text, draft)


async def template_picked(
    query: CallbackQuery, callback_data: SendCallback, flow: SendFlow
) -> None:
    template = await flow.store.templates.get(callback_data.value)
    if template is None:
        return await answer(query, flow.t("send.template_gone"), alert=True)
    if not render.acceptable(template.text):
        return await answer(query, render.text_refused(flow.t, template.text), alert=True)
    await answer(query)
    await use_text(flow, template.text, new=False)


async def save_as_template(
    query: CallbackQuery, callback_data: SendCallback, flow: SendFlow
) -> None:
    draft: Draft | None = await flow.draft_for(callback_data.draft)
    if draft is None or not draft.text:
        return await answer(query, flow.t("send.stale_button"), alert=True)
    if not await flow.remember_saved(draft.text):
        return await answer(query, flow.t("send.template_already_saved"))
    name = render.template_name(draft.text)
    await flow.store.templates.add(flow.ctx.user_id, name, draft.text)
    await answer(query, flow.t("send.template_saved", name=name))


def cancel_waits() -> None:
    """At shutdown: the waits for more parts end (the parts stay in the FSM data)."""
    for task in list(_waits.values()):
        task.cancel()
    _waits.clear()
