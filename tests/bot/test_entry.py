"""The entry point's subcommands, as a person types them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("command", ["sandbox", "demo"])
def test_outside_a_checkout_the_rigs_are_missing_and_it_says_so_in_one_line(
    command: str, tmp_path: Path
):
    # Installed, the bot carries no testbed/: only a checkout of the project has it.
    script = (
        f"import sys; sys.path = [p for p in sys.path if p not in ('', {str(ROOT)!r})]; "
        f"from bot.__main__ import main; main([{command!r}])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"python -m bot {command} runs from a checkout of the project (it uses testbed/, "
        "which is not installed with the bot): run it in the project's folder."
    ]


def test_an_unknown_subcommand_names_the_known_ones(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "bot", "launch"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    usage = "Usage: python -m bot [check | backup FILE | restore FILE | sandbox | demo]"
    assert usage in done.stderr
