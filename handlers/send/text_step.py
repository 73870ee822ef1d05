"""Step 2: the SMS text, typed or picked from the templates; saving it as a template."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message

from handlers.common.replies import answer, edit_quietly, tapped_message
from handlers.send import keyboards, render
from handlers.send.callbacks import SendCallback, draft_token
from handlers.send.flow import SendFlow
from storage import Draft


def acceptable(text: str) -> bool:
    return bool(text.strip()) and render.text_length(text) <= render.TEXT_LIMIT


async def text_typed(message: Message, flow: SendFlow) -> None:
    text = message.text or ""
    if not acceptable(text):
        await flow.say(render.text_refused(flow.t, text))
        return
    await _use_text(flow, text, offer_saving=True)


async def _use_text(flow: SendFlow, text: str, *, offer_saving: bool) -> None:
    draft = await flow.draft()
    updated = await flow.store.drafts.update_content(draft.id, text=text) if draft else None
    if updated is None:
        return await flow.gone()
    token = draft_token(updated.id)
    markup = keyboards.save_template_keyboard(flow.t, token) if offer_saving else None
    await flow.say(render.text_report(flow.t, text), markup)
    await flow.step_done(updated)


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
    await edit_quietly(
        tapped_message(query),
        flow.t("send.text_prompt", limit=render.TEXT_LIMIT),
        keyboards.text_keyboard(flow.t, draft_token(draft.id)),
    )


async def template_picked(
    query: CallbackQuery, callback_data: SendCallback, flow: SendFlow
) -> None:
    template = await flow.store.templates.get(callback_data.value)
    if template is None:
        return await answer(query, flow.t("send.template_gone"), alert=True)
    await answer(query)
    if not acceptable(template.text):
        await flow.say(render.text_refused(flow.t, template.text))
        return
    await _use_text(flow, template.text, offer_saving=False)


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
