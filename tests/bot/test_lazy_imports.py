"""The chart's and the table's libraries stay out of an idle bot: imported only when a
report is made (the README's idle memory figure depends on it)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.paths import ROOT

HEAVY = ("matplotlib", "numpy", "PIL", "xlsxwriter", "openpyxl")
PROBE = f"""
import sys
import bot.__main__, bot.app, handlers, handlers.reports, handlers.reports.making
import handlers.reports.digest, core.reports, core.reports.chart, core.reports.spreadsheet
from handlers import build_router
build_router()
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})))
"""


@pytest.mark.slow
def test_importing_the_bot_does_not_import_the_chart_or_table_libraries() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
