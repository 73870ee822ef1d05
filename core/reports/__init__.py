"""Reports: the figures of a period, the chart, the spreadsheet and the weekly digest.

Telegram-free; ``handlers/reports`` words them. The chart's and the spreadsheet's
libraries are imported only when one is made (``chart.py``, ``spreadsheet.py``).
"""

from core.reports.digest import DigestSender, WeeklyDigest, done_week_on_enabling, due_week
from core.reports.figures import DayFigures, Report, Totals, gather_report
from core.reports.periods import Period, PeriodKind

__all__ = [
    "DayFigures",
    "DigestSender",
    "Period",
    "PeriodKind",
    "Report",
    "Totals",
    "WeeklyDigest",
    "done_week_on_enabling",
    "due_week",
    "gather_report",
]
