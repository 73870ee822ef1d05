"""What a step says to input it cannot use: a sticker, a photo, a voice, a command, a
document where text is wanted. The step stays. Included after every other send router."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.types import Message

from handlers.send.flow import SendFlow
from handlers.send.states import SendForm

router = Router(name="send.hints")

HINTS = {
    SendForm.recipients.state: "send.hint_recipients",
    SendForm.text.state: "send.hint_text",
    SendForm.time.state: "send.hint_time",
    SendForm.summary.state: "send.hint_summary",
}


async def step_hint(flow: SendFlow) -> str:
    step = await flow.state.get_state()
    return flow.t(HINTS.get(step or "", "send.hint_summary"))


@router.message(StateFilter(SendForm))
async def unexpected_input(message: Message, flow: SendFlow) -> None:
    if await flow.draft() is None:
        return await flow.gone()
    await flow.say(await step_hint(flow))
