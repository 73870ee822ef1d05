"""The chart: a PNG of a sane size, Cyrillic drawn with matplotlib's own font."""

from __future__ import annotations

import struct
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from core.reports import DayFigures, Totals
from core.reports.chart import DPI, HEIGHT_INCHES, WIDTH_INCHES, ChartText, draw_chart

TEXT = ChartText(
    title="30 дней, 01.03 – 30.03.2025",
    sent="Отправлено SMS-частей",
    delivered="Доставлено",
    balance="Баланс на конец дня",
    parts_axis="SMS-частей",
    balance_axis="Баланс, ₽",
)


def days(count: int, *, balance: bool = True) -> list[DayFigures]:
    return [
        DayFigures(
            day=date(2025, 3, 1) + timedelta(days=n),
            totals=Totals(n % 3, 100 * n, 90 * n, 80 * n),
            spent=Decimal(n),
            credited=Decimal(0),
            balance=Decimal(5000 - 10 * n) if balance and n > 2 else None,
        )
        for n in range(count)
    ]


def png_size(picture: bytes) -> tuple[int, int]:
    assert picture.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", picture[16:24])
    return int(width), int(height)


def test_a_month_draws_to_a_png_of_sane_size():
    # Any warning fails the test (pyproject's filterwarnings): a glyph missing from the
    # font would be one.
    picture = draw_chart(days(31), TEXT)
    assert png_size(picture) == (round(WIDTH_INCHES * DPI), round(HEIGHT_INCHES * DPI))
    assert 20_000 < len(picture) < 500_000  # far below Telegram's 10 MB for a photo


def test_one_day_and_a_period_without_balance_readings_draw_too():
    assert png_size(draw_chart(days(1), TEXT))[0] > 0
    assert png_size(draw_chart(days(7, balance=False), TEXT))[0] > 0


def test_matplotlibs_own_dejavu_has_cyrillic_and_the_rouble_sign():
    import matplotlib
    from matplotlib.ft2font import FT2Font

    bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    charmap = FT2Font(str(bundled)).get_charmap()
    assert all(ord(char) in charmap for char in "АБВЖЩЮЯабвжщюяЁё₽№–")
