"""The report's picture: SMS parts sent and delivered a day, and the balance line.

matplotlib is imported inside :func:`draw_chart`, never with this module: it costs the
process some 30 MiB and a noticeable import, which an idle bot should not carry. The
drawing uses a bare ``Figure`` on the Agg canvas (no pyplot, so no global figure state)
and runs in a worker thread (``asyncio.to_thread``); one drawing at a time, since
matplotlib's font and text caches are shared by the process. Its bundled DejaVu Sans
has Cyrillic, so no system font is needed.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from core.reports.figures import DayFigures

# 1100 x 605 px; a small figure at a high dpi, so that the words read on a phone screen.
WIDTH_INCHES, HEIGHT_INCHES, DPI = 8.0, 4.4, 137.5
SENT_COLOUR, DELIVERED_COLOUR, BALANCE_COLOUR = "#9ec5e8", "#2b7bba", "#d9822b"
MAX_DAY_LABELS = 16

_drawing = threading.Lock()


@dataclass(frozen=True)
class ChartText:
    """Every word on the picture, in the reader's language."""

    title: str
    sent: str
    delivered: str
    balance: str
    parts_axis: str
    balance_axis: str
    day_format: str = "%d.%m"


def draw_chart(days: Sequence[DayFigures], text: ChartText) -> bytes:
    """A PNG of the days' figures. Blocking: call it through ``asyncio.to_thread``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with _drawing:
        figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        parts = figure.add_subplot()
        positions = list(range(len(days)))
        width = 0.4
        parts.bar(
            [p - width / 2 for p in positions],
            [day.totals.sent for day in days],
            width,
            label=text.sent,
            color=SENT_COLOUR,
        )
        parts.bar(
            [p + width / 2 for p in positions],
            [day.totals.delivered for day in days],
            width,
            label=text.delivered,
            color=DELIVERED_COLOUR,
        )
        parts.set_ylabel(text.parts_axis)
        parts.yaxis.set_major_locator(MaxNLocator(integer=True))
        parts.set_ylim(bottom=0)
        parts.grid(axis="y", alpha=0.3)
        step = max(1, -(-len(days) // MAX_DAY_LABELS))
        parts.set_xticks(positions[::step])
        parts.set_xticklabels([day.day.strftime(text.day_format) for day in days][::step])
        parts.set_xlim(-0.6, len(days) - 0.4)
        handles, labels = parts.get_legend_handles_labels()

        known = [
            (p, float(day.balance))
            for p, day in zip(positions, days, strict=True)
            if day.balance is not None
        ]
        if known:
            money = parts.twinx()
            money.plot(
                [p for p, _ in known],
                [amount for _, amount in known],
                color=BALANCE_COLOUR,
                marker="o" if len(known) < 40 else None,
                linewidth=2,
                label=text.balance,
            )
            money.set_ylabel(text.balance_axis)
            money.set_ylim(bottom=min(0.0, *(amount for _, amount in known)))
            line_handles, line_labels = money.get_legend_handles_labels()
            handles, labels = handles + line_handles, labels + line_labels
        figure.legend(handles, labels, loc="outside lower center", ncols=3, frameon=False)
        parts.set_title(text.title)

        output = io.BytesIO()
        figure.savefig(output, format="png")
    return output.getvalue()
