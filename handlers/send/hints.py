"""What a step says to input it cannot use: a sticker, a photo, a voice, a document
where text is wanted. The reason goes on the step itself, in place; the step stays.
Asked after every other send handler."""

from __future__ import annotations

from aiogram.types import Message

from handlers.send.flow import SendFlow
from handlers.send.states import SendForm

HINTS = {
    SendForm.recipients.state: "send.hint_recipients",
    SendForm.text.state: "send.hint_text",
    SendForm.paste.state: "send.hint_paste",
    SendForm.time.state: "send.hint_time",
    SendForm.summary.state: "send.hint_summary",
}


async def unexpected_input(message: Message, flow: SendFlow) -> None:
    draft = await flow.draft()
    if draft is None:
        return await flow.gone()
    step = await flow.state.get_state() or SendForm.summary.state
    target = next((s for s in SendForm.__states__ if s.state == step), SendForm.summary)
    if target == SendForm.paste:
        target = SendForm.text
    await flow.refuse(target, draft, flow.t(HINTS.get(step, "send.hint_summary")))
