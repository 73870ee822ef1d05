"""The report's rows as an .xlsx file, which Excel and LibreOffice open as they are.

XlsxWriter writes it (pyproject.toml says why). Every text goes in as a string, never a
formula; a text that a spreadsheet would take for one (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return: an SMS text such as "-20% до пятницы" or "=ВЫГОДА")
also carries the quote prefix, as if typed after an apostrophe, so it stays text when
the cell is edited or the sheet saved as CSV. Text is UTF-8 inside the file, so Cyrillic
needs nothing more; numbers are numbers and moments are dates, so sums and filters work.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

Cell = str | int | Decimal | datetime | date | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_LIMIT = 31
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0"
MOMENT_FORMAT = "dd.mm.yyyy hh:mm"
DAY_FORMAT = "dd.mm.yyyy"
WIDEST_COLUMN = 60


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 12
    kind: str = "text"  # text, int, money, percent, moment, day


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]]
    footer: Sequence[str] = field(default_factory=tuple)  # notes below the rows


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def build_workbook(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx file's bytes. Blocking: call it through ``asyncio.to_thread``."""
    import xlsxwriter  # imported here, like the chart's library: only a report needs it

    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {
            "in_memory": True,
            # Text stays text: no formulas, numbers or links made out of strings.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    formats = {
        "header": workbook.add_format({"bold": True, "bg_color": "#e8eef5", "border": 1}),
        "text": workbook.add_format({"text_wrap": False}),
        "quoted": workbook.add_format({"quote_prefix": True}),
        "int": workbook.add_format({"num_format": "0"}),
        "money": workbook.add_format({"num_format": MONEY_FORMAT}),
        "percent": workbook.add_format({"num_format": PERCENT_FORMAT}),
        "moment": workbook.add_format({"num_format": MOMENT_FORMAT}),
        "day": workbook.add_format({"num_format": DAY_FORMAT}),
        "note": workbook.add_format({"italic": True, "font_color": "#555555"}),
    }
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.name[:SHEET_NAME_LIMIT])
        for number, column in enumerate(sheet.columns):
            worksheet.set_column(number, number, min(column.width, WIDEST_COLUMN))
            worksheet.write_string(0, number, column.title, formats["header"])
        worksheet.freeze_panes(1, 0)
        for row_number, row in enumerate(sheet.rows, start=1):
            for number, (column, value) in enumerate(zip(sheet.columns, row, strict=True)):
                _write(worksheet, row_number, number, column, value, formats)
        below = len(sheet.rows) + 2
        for offset, note in enumerate(sheet.footer):
            _write_text(worksheet, below + offset, 0, note, formats["note"], formats)
        if sheet.rows:
            worksheet.autofilter(0, 0, len(sheet.rows), len(sheet.columns) - 1)
    workbook.close()
    return output.getvalue()


# XlsxWriter has no type hints: its worksheet and formats are Any here.
def _write(
    worksheet: Any, row: int, col: int, column: Column, value: Cell, formats: dict[str, Any]
) -> None:
    if value is None:
        worksheet.write_blank(row, col, None)
    elif isinstance(value, str):
        _write_text(worksheet, row, col, value, formats["text"], formats)
    elif isinstance(value, datetime):
        worksheet.write_datetime(row, col, value.replace(tzinfo=None), formats["moment"])
    elif isinstance(value, date):
        worksheet.write_datetime(row, col, value, formats["day"])
    elif isinstance(value, Decimal):
        worksheet.write_number(row, col, float(value), formats[column.kind])
    else:
        worksheet.write_number(row, col, value, formats["int"])


def _write_text(
    worksheet: Any, row: int, col: int, text: str, plain: Any, formats: dict[str, Any]
) -> None:
    worksheet.write_string(row, col, text, formats["quoted"] if looks_like_formula(text) else plain)
