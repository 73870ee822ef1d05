from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import BotUnderTest


async def test_bot_registers_commands_in_both_languages(bot: BotUnderTest, standin: BotApiStandin):
    calls = standin.calls_to("setMyCommands")
    languages = {call.params.get("language_code") for call in calls}
    assert {None, "en"} <= languages
    for call in calls:
        assert any(command["command"] == "send" for command in call.params["commands"])


async def test_unknown_text_gets_a_hint_not_silence(manager: SimUser):
    await manager.send_text("what is this")
    reply = await manager.wait_for_reply()
    assert reply.text


async def test_bot_restarts_on_the_same_database(bot: BotUnderTest, manager: SimUser):
    await bot.restart()
    await manager.send_text("hello again")
    assert (await manager.wait_for_reply()).text
