"""The sandbox: the whole bot on one machine, with a chat page in the browser.

``python -m bot sandbox`` (``cli``) starts, through ``runner.Sandbox``, the SMS API
emulator, the Bot API stand-in (the one the tests use) serving the chat page
(``chat_page``, with the static files in ``page/``), and the real ``bot.app.BotApp``
wired to both. The page writes and taps as one of three people (``people``) through the
stand-in's ``/_standin/`` control API, follows the chats with a long poll (``chat_feed``)
and drives the emulator through the side panel (``proxy``).

    from testbed.sandbox.options import SandboxOptions
    from testbed.sandbox.runner import Sandbox

    sandbox = await Sandbox.start(SandboxOptions(port=0, frozen_clock=True))
    sandbox.url     # the chat page
    await sandbox.stop()

Nothing is imported here, so that ``python -m bot sandbox --help`` answers at once.
"""
