"""What a step says to input it cannot use: a sticker, a photo, a voice, a command, a
document where text is wanted. The step stays. Asked after every other send handler."""

from __future__ import annotations

from aiogram.types import Message

from handlers.send.flow import SendFlow
from handlers.send.states import SendForm

HINTS = {
    SendForm.recipients.state: "send.hint_recipients",
    SendForm.text.state: "send.hint_text",
    SendForm.time.state: "send.hint_time",
    SendForm.summary.state: "send.hint_summary",
}


async def step_hint(flow: SendFlow) -> str:
    step = await flow.state.get_state()
    return flow.t(HINTS.get(step or "", "send.hint_summary"))


async def unexpected_input(message: Message, flow: SendFlow) -> None:
    if await flow.draft() is None:
        return await flow.gone()
    await flow.say(await step_hint(flow))
