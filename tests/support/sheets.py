"""One generator for the synthetic workbooks of the tests, written so a test reads like its sheet.

    xlsx([
        ["BÁO CÁO QUÝ I NĂM 2024"],
        [],
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
        [1, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 160.2],
    ], merges=["A1:D1"], percent=["D4"], hidden_rows=[3])

Cells are given row by row from A1; ``None`` or ``""`` leaves a cell empty. Strings starting with
"=" become formulas (openpyxl writes them without a cached result, as a program would).
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
from openpyxl.utils import get_column_letter


def xlsx(
    rows: list[list],
    *,
    sheet: str = "Sheet1",
    merges: list[str] = (),
    percent: list[str] = (),
    formats: dict[str, str] | None = None,
    hidden_rows: list[int] = (),
    hidden_cols: list[str] = (),
    text_cells: list[str] = (),
    extra_sheets: dict[str, dict] | None = None,
    first_sheet_state: str = "visible",
    date1904: bool = False,
) -> bytes:
    """An .xlsx (openpyxl) with ``rows`` on sheet ``sheet``.

    :param percent: cells given a "0.00%" number format.
    :param formats: other number formats by cell ("C5": "dd/mm/yyyy").
    :param hidden_rows: 1-based rows hidden; ``hidden_cols`` letters.
    :param text_cells: cells stored as text even when they look like numbers.
    :param extra_sheets: ``{name: {"rows": [...], "state": "hidden" | "veryHidden", "first": bool}}``.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    _fill(ws, rows, merges, percent, formats or {}, hidden_rows, hidden_cols, text_cells)
    ws.sheet_state = first_sheet_state
    for name, spec in (extra_sheets or {}).items():
        other = wb.create_sheet(name, 0 if spec.get("first") else None)
        _fill(
            other,
            spec.get("rows", []),
            spec.get("merges", ()),
            spec.get("percent", ()),
            {},
            spec.get("hidden_rows", ()),
            (),
            (),
        )
        other.sheet_state = spec.get("state", "visible")
    if date1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _fill(ws, rows, merges, percent, formats, hidden_rows, hidden_cols, text_cells):
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if f"{get_column_letter(c)}{r}" in text_cells:
                cell.value = str(value)
                cell.data_type = "s"
    for ref in merges:
        ws.merge_cells(ref)
    for ref in percent:
        ws[ref].number_format = "0.00%"
    for ref, fmt in formats.items():
        ws[ref].number_format = fmt
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    for letter in hidden_cols:
        ws.column_dimensions[letter].hidden = True


def xlsxwriter_book(rows: list[list], formulas: dict[str, tuple[str, float]] | None = None) -> bytes:
    """An .xlsx written by XlsxWriter: formulas carry a cached value (0 unless given) and the
    workbook asks Excel to recalculate on load (``fullCalcOnLoad``)."""
    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet("Bieu")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            ws.write(r, c, value)
    for ref, (formula, cached) in (formulas or {}).items():
        ws.write_formula(ref, formula, None, cached)
    wb.close()
    return buffer.getvalue()


def ods(rows: list[list], *, percent: list[str] = (), sheet: str = "Sheet1") -> bytes:
    """An .ods (odfpy): numbers as floats, ``percent`` cells as percentage values."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    from kpi.reading.workbook import parse_ref

    pct = {parse_ref(ref) for ref in percent}
    doc = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    for r, row in enumerate(rows):
        tr = TableRow()
        for c, value in enumerate(row):
            if value is None or value == "":
                tr.addElement(TableCell())
            elif isinstance(value, (int, float)):
                kind = "percentage" if (r, c) in pct else "float"
                cell = TableCell(valuetype=kind, value=value)
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def patch_zip(data: bytes, replacements: dict[str, bytes | None]) -> bytes:
    """A copy of a zip (an .xlsx) with some members replaced (``None`` removes one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replacements:
                new = replacements[info.filename]
                if new is not None:
                    dst.writestr(info.filename, new)
            else:
                dst.writestr(info, src.read(info.filename))
        for name, new in replacements.items():
            if name not in src.namelist() and new is not None:
                dst.writestr(name, new)
    return out.getvalue()


def report_rows(
    title: str,
    header: list[str],
    body: list[list],
    *,
    admin: tuple[str, str] = ("UBND HUYỆN TAM NÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH"),
    reference: str | None = None,
) -> list[list]:
    """A report sheet as clerks make them: admin block, title, optional reference line, header, rows."""
    rows = [
        [admin[0], "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [admin[1], "", "", "", "Độc lập - Tự do - Hạnh phúc"],
        [],
        [title],
    ]
    rows.append([reference] if reference else [])
    rows.append([])
    rows.append(header)
    rows.extend(body)
    return rows
