"""Test helpers for output safety, shared by every test of an export (audit CSV, annex .xlsx, …).

A spreadsheet runs a cell as a formula when it *is* one (an ``<f>`` element in .xlsx, a formula
cell in .ods) or, for CSV, when its text starts with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage
return before them). Exports must carry data as text: "=HYPERLINK(…)" in a recipient's name comes
back as that text, never as a live formula.

    from tests.support.safety import csv_formula_cells, xlsx_formula_cells
    assert xlsx_formula_cells(write_annex(con, 2024, 3)) == []
"""

from __future__ import annotations

import csv
import io

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_formula_cells(data: bytes | str, allow_numbers: bool = True) -> list[tuple[int, int, str]]:
    """Cells of a CSV that Excel or LibreOffice would evaluate: ``(row, column, text)``, 0-based.
    A plain negative number ("-12,5", "-3.2") is data, not a formula, unless ``allow_numbers`` is
    false."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    found = []
    for r, row in enumerate(csv.reader(io.StringIO(text))):
        for c, cell in enumerate(row):
            stripped = cell.lstrip(" ")
            if not stripped.startswith(_TRIGGERS):
                continue
            if allow_numbers and _is_number(stripped):
                continue
            found.append((r, c, cell))
    return found


def _is_number(text: str) -> bool:
    try:
        float(text.replace(".", "").replace(",", ".")) if "," in text else float(text)
    except ValueError:
        return False
    return True


def xlsx_formula_cells(data: bytes) -> list[tuple[str, str, str]]:
    """Formula cells of an .xlsx: ``(sheet, cell, formula)``. Text cells that merely start with
    "=" are not formulas (openpyxl reads them back as strings) and are not listed."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append((ws.title, cell.coordinate, str(cell.value)))
    return found
