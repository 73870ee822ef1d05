"""Entry point: ``python -m bot`` runs the bot with long polling.

``python -m bot check`` tries, read-only, everything the bot depends on (run it first).
``python -m bot backup FILE`` copies the database, also while the bot runs;
``python -m bot restore FILE`` puts a backup in its place while no bot runs.
Two explicit subcommands run the bot differently, and nothing else turns them on:
``python -m bot sandbox`` (everything local, with a chat page in the browser, see
``testbed/sandbox``) and ``python -m bot demo`` (real Telegram, emulated SMS API, see
``testbed/demo.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

from core.settings import load_settings

USAGE = "Usage: python -m bot [check | backup FILE | restore FILE | sandbox | demo]"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["sandbox"], ["demo"]):
        _run_from_testbed(args[0], args[1:])
        return
    if args[:1] in (["backup"], ["restore"]):
        if len(args) != 2 or not args[1].strip():  # exactly one file, never "" (here)
            _usage_error(args)
        _run_on_file(args[0], Path(args[1]))
        return
    if args and args != ["check"]:
        _usage_error(args)
    settings = load_settings()
    if args == ["check"]:
        from bot.check import main as check_main
        from bot.logging_setup import configure_logging

        configure_logging("WARNING", settings.secrets())
        check_main(settings)
        return

    # Imported after the settings check, so a bad .env answers fast and plainly.
    from bot.app import BotApp
    from bot.instance_lock import InstanceLock
    from bot.process import run_locked

    async def run(lock: InstanceLock) -> None:
        app = await BotApp.open(settings, lock)
        await app.run(handle_signals=True)

    run_locked(settings, run)


def _usage_error(args: list[str]) -> NoReturn:
    print(f"Unknown arguments: {' '.join(args)}. {USAGE}", file=sys.stderr)
    raise SystemExit(2)


def _run_on_file(command: str, file: Path) -> None:
    """``backup`` and ``restore``: one line a step, no traceback, the exit code says."""
    settings = load_settings()
    if command == "backup":
        from bot.backup import backup_command as file_command
    else:
        from bot.restore import restore_command as file_command
    raise SystemExit(file_command(settings, file))


def _run_from_testbed(command: str, argv: list[str]) -> None:
    """The sandbox and the demo live in ``testbed/``, beside the product and not installed
    with it: they run from a checkout of the project."""
    try:
        if command == "sandbox":
            from testbed.sandbox.cli import main as command_main
        else:
            from testbed.demo import main as command_main
    except ModuleNotFoundError as error:
        if error.name != "testbed":
            raise
        print(
            f"python -m bot {command} runs from a checkout of the project (it uses testbed/, "
            "which is not installed with the bot): run it in the project's folder.",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
    command_main(argv)


if __name__ == "__main__":
    main()
