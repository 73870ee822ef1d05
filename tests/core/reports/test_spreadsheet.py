"""The table: read back with another library, Cyrillic intact, formula-looking text kept
as text, numbers as numbers."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from core.reports.spreadsheet import Column, Sheet, build_workbook, looks_like_formula


def read(sheets: list[Sheet]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_workbook(sheets)))


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("=SUM(A1:A2)", True),
        ("+79001234567", True),
        ("-20% скидка", True),
        ("@SUM(1)", True),
        ("\tтаб", True),
        ("\rвозврат", True),
        ("Привет", False),
        ("1+1=2", False),
        ("", False),
    ],
)
def test_what_looks_like_a_formula(text: str, formula: bool):
    assert looks_like_formula(text) is formula


def test_cells_come_back_as_written():
    columns = [
        Column("№", kind="int"),
        Column("Текст"),
        Column("Сумма, ₽", kind="money"),
        Column("Доля, %", kind="percent"),
        Column("Когда", kind="moment"),
        Column("День", kind="day"),
    ]
    rows = [
        [
            1,
            '=HYPERLINK("http://evil","жми")',
            Decimal("1234.5"),
            Decimal("95.5"),
            datetime(2025, 3, 1, 9, 5),
            date(2025, 3, 1),
        ],
        [2, "Ёлки-палки, «кавычки» и ₽", Decimal(0), None, datetime(2025, 3, 2, 23, 59), None],
    ]
    book = read([Sheet("Рассылки", columns, rows, footer=["-сноска"])])
    sheet = book["Рассылки"]
    assert [cell.value for cell in sheet[1]] == [c.title for c in columns]
    first = [cell.value for cell in sheet[2]]
    assert first == [
        1,
        '=HYPERLINK("http://evil","жми")',
        1234.5,
        95.5,
        datetime(2025, 3, 1, 9, 5),
        datetime(2025, 3, 1),
    ]
    formula_cell = sheet.cell(row=2, column=2)
    assert formula_cell.data_type == "s" and formula_cell.quotePrefix
    assert sheet.cell(row=3, column=2).value == "Ёлки-палки, «кавычки» и ₽"
    assert not sheet.cell(row=3, column=2).quotePrefix
    assert sheet.cell(row=2, column=3).number_format == "#,##0.00"
    assert sheet.cell(row=3, column=4).value is None
    note = sheet.cell(row=5, column=1)
    assert note.value == "-сноска" and note.quotePrefix
    assert sheet.freeze_panes == "A2"


def test_several_sheets_and_a_long_name_cut_to_excels_limit():
    column = [Column("A")]
    book = read([Sheet("Первый", column, []), Sheet("Ы" * 40, column, [["x"]])])
    assert book.sheetnames == ["Первый", "Ы" * 31]


def test_the_file_is_an_xlsx_zip_with_utf8_xml():
    data = build_workbook([Sheet("Лист", [Column("Имя")], [["Ольга"]])])
    assert data.startswith(b"PK")
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode("utf-8")
    assert "Ольга" in strings and 'encoding="UTF-8"' in strings
