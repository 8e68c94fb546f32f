"""The blank submission template (.xlsx) that clerks fill in, written with openpyxl.

Layout (read back by the same reader as every other report, nothing special-cased):

* rows 1–2: the authority and the national motto;
* a title with the plan's year;
* a metadata block — "Cơ quan gửi báo cáo", "Số liệu của", "Kỳ báo cáo", "Ngày báo cáo",
  "Số văn bản" — with dropdowns (openpyxl data validation) for units and periods;
* the table: STT | Mã chỉ tiêu | Chỉ tiêu | Đơn vị tính | Kế hoạch năm | Thực hiện quý |
  Lũy kế từ đầu năm | Ước thực hiện cả năm | Ghi chú, one row per indicator that quarterly
  reports carry (the award targets come from the registers), grouped by section I–III, numeric
  cells validated as decimals ≥ 0;
* a sheet "Hướng dẫn" that says how to fill it in.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kpi.domain.plan import Catalogue, Indicator
from kpi.words import GROUP_LABELS

__all__ = ["write_template", "template_file_name", "TEMPLATE_HEADERS"]

TEMPLATE_HEADERS = [
    "STT",
    "Mã chỉ tiêu",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kế hoạch năm {year}",
    "Thực hiện quý",
    "Lũy kế từ đầu năm",
    "Ước thực hiện cả năm",
    "Ghi chú",
]
_ROMAN = ["I", "II", "III", "IV", "V"]


def _target_number(indicator):
    value = indicator.target_value
    if isinstance(value, list):
        return f"{value[0]} - {value[1]}"
    return value


_BOLD = Font(bold=True)
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TO_FILL = "FFF7D6"  # the cells a clerk fills in
_TITLE_FILL = "DCE6F1"  # the column titles
_WIDTHS = (6, 10, 60, 18, 14, 14, 16, 16, 24)  # columns A–I


def write_template(catalogue: Catalogue) -> bytes:
    """The template for ``catalogue``'s year as .xlsx bytes (the module docstring's layout):
    sheet "Báo cáo", the hidden lists its dropdowns read ("Danh mục") and "Hướng dẫn"."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    _heading(ws, catalogue)
    lists = _dropdown_lists(wb, catalogue)
    header_row = _metadata_block(ws, catalogue, lists) + 1
    headers = _column_titles(ws, header_row, catalogue.year)
    r = _indicator_rows(ws, catalogue, header_row + 1, len(headers))
    for col, width in zip("ABCDEFGHI", _WIDTHS, strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=4)
    r += 1
    ws.cell(row=r, column=2, value="NGƯỜI LẬP BIỂU").font = _BOLD
    ws.cell(row=r, column=6, value="THỦ TRƯỞNG ĐƠN VỊ").font = _BOLD
    _guide(wb, catalogue)
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _heading(ws: Worksheet, catalogue: Catalogue) -> None:
    """Rows 1–4: the authority (and a line for the reporting office's name) beside the national
    motto, then the title with the plan's year."""
    authority = catalogue.meta.get("authority_upper") or catalogue.meta.get("authority") or ""
    ws["A1"] = authority
    ws["A1"].font = _BOLD
    ws["A2"] = "(Tên cơ quan báo cáo)"
    ws["F1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["F1"].font = _BOLD
    ws["F2"] = "Độc lập - Tự do - Hạnh phúc"
    ws["A4"] = f"BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KẾ HOẠCH NĂM {catalogue.year}"
    ws["A4"].font = Font(bold=True, size=13)
    ws.merge_cells("A4:I4")
    ws["A4"].alignment = Alignment(horizontal="center")


def _dropdown_lists(wb: Workbook, catalogue: Catalogue) -> dict[str, str]:
    """The hidden sheet "Danh mục": the plan's units in column A, the year's four quarters
    ("Quý I/2024") in column B; returns the two ranges by name ("units", "periods")."""
    year = catalogue.year
    units = list(catalogue.units["unit"])
    lists = wb.create_sheet("Danh mục")
    for i, unit in enumerate(units, start=1):
        lists.cell(row=i, column=1, value=unit)
    periods = [f"Quý {_ROMAN[q - 1]}/{year}" for q in range(1, 5)]
    for i, period in enumerate(periods, start=1):
        lists.cell(row=i, column=2, value=period)
    lists.sheet_state = "hidden"
    return {"units": f"'Danh mục'!$A$1:$A${len(units)}", "periods": f"'Danh mục'!$B$1:$B${len(periods)}"}


def _metadata_block(ws: Worksheet, catalogue: Catalogue, lists: dict[str, str]) -> int:
    """Rows 6–10: "Cơ quan gửi báo cáo", "Số liệu của", "Kỳ báo cáo" (dropdowns from ``lists``),
    "Ngày báo cáo" (a date after 2000) and "Số văn bản", each value in C:E to fill in; returns
    the row after the block."""
    meta = [
        ("Cơ quan gửi báo cáo:", "", lists["units"]),
        ("Số liệu của:", catalogue.district_unit, lists["units"]),
        ("Kỳ báo cáo:", "", lists["periods"]),
        ("Ngày báo cáo:", "", None),
        ("Số văn bản:", "", None),
    ]
    row = 6
    for label, default, source in meta:
        ws.cell(row=row, column=1, value=label).font = _BOLD
        cell = ws.cell(row=row, column=3, value=default or None)
        cell.fill = PatternFill("solid", fgColor=_TO_FILL)
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=5)
        if source:
            _validate(
                ws,
                cell.coordinate,
                type="list",
                formula1=source,
                errorTitle="Giá trị không hợp lệ",
                error="Hãy chọn trong danh sách.",
            )
        if label.startswith("Ngày"):
            cell.number_format = "dd/mm/yyyy"
            _validate(
                ws,
                cell.coordinate,
                type="date",
                operator="greaterThan",
                formula1="DATE(2000,1,1)",
                error="Hãy nhập ngày dạng ngày/tháng/năm.",
            )
        row += 1
    return row


def _validate(ws: Worksheet, coordinate: str, **rule) -> None:
    """A data validation (blank allowed, its error shown) of ``rule`` on one cell."""
    dv = DataValidation(allow_blank=True, showErrorMessage=True, **rule)
    ws.add_data_validation(dv)
    dv.add(coordinate)


def _column_titles(ws: Worksheet, header_row: int, year: int) -> list[str]:
    """:data:`TEMPLATE_HEADERS` (with the year) on ``header_row``, bold, boxed, shaded; returns them."""
    headers = [h.format(year=year) for h in TEMPLATE_HEADERS]
    for c, text in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=c, value=text)
        cell.font = _BOLD
        cell.alignment = _CENTER
        cell.border = _BORDER
        cell.fill = PatternFill("solid", fgColor=_TITLE_FILL)
    return headers


def _indicator_rows(ws: Worksheet, catalogue: Catalogue, r: int, columns: int) -> int:
    """From row ``r``: per group (sections I, II, …, a group without indicators skipped) a section
    row, then one row per indicator the quarterly reports carry (``counted_from == "reports"``):
    STT, key, name, unit, target, and three figure cells to fill in, validated as decimals ≥ 0.
    Returns the row after the last."""
    numbers = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Không phải số",
        error="Hãy nhập số (ví dụ 1234,5) hoặc để trống nếu chưa có số liệu.",
    )
    ws.add_data_validation(numbers)
    section = 0
    for group in ("economic", "social", "environment", "awards"):
        indicators = [i for i in catalogue.indicators if i.group == group and i.counted_from == "reports"]
        if not indicators:
            continue
        ws.cell(row=r, column=1, value=_ROMAN[section]).font = _BOLD
        ws.cell(row=r, column=3, value=f"CHỈ TIÊU {GROUP_LABELS[group].upper()}").font = _BOLD
        for c in range(1, columns + 1):
            ws.cell(row=r, column=c).border = _BORDER
        section += 1
        r += 1
        for n, ind in enumerate(indicators, start=1):
            _indicator_row(ws, r, n, ind, numbers)
            r += 1
    return r


def _indicator_row(ws: Worksheet, r: int, n: int, ind: Indicator, numbers: DataValidation) -> None:
    values = [n, ind.key, ind.name, ind.unit, _target_number(ind)]
    for c, value in enumerate(values, start=1):
        cell = ws.cell(row=r, column=c, value=value)
        cell.border = _BORDER
    for c in range(6, 9):
        cell = ws.cell(row=r, column=c)
        cell.border = _BORDER
        cell.fill = PatternFill("solid", fgColor=_TO_FILL)
        cell.number_format = "#,##0.00"
        numbers.add(cell.coordinate)
    ws.cell(row=r, column=9).border = _BORDER


def _guide(wb: Workbook, catalogue: Catalogue) -> None:
    """The sheet "Hướng dẫn" (second tab): how to fill the report in."""
    guide = wb.create_sheet("Hướng dẫn", 1)
    lines = [
        f"Mẫu báo cáo kết quả thực hiện các chỉ tiêu kế hoạch năm {catalogue.year} — "
        f"{catalogue.meta.get('authority', '')}",
        "1. Chọn «Cơ quan gửi báo cáo», «Số liệu của» (để nguyên nếu là số liệu toàn huyện) và «Kỳ báo cáo».",
        "2. Ghi ngày và số văn bản: khi có bản sửa, bản có ngày muộn hơn sẽ thay bản trước.",
        "3. «Thực hiện quý»: số của riêng quý báo cáo; «Lũy kế từ đầu năm»: cộng dồn đến hết quý.",
        "   Với chỉ tiêu thời điểm (tỷ lệ, số trên 1 vạn dân…): ghi số tại thời điểm cuối kỳ.",
        "4. Chưa có số liệu: để trống hoặc ghi «-» (không ghi 0).",
        "5. Tỷ lệ ghi theo phần trăm, ví dụ 72,89 (không cần dấu %).",
        "6. Không sửa cột «Mã chỉ tiêu»; không thêm, xoá hay đổi thứ tự cột.",
    ]
    for i, line in enumerate(lines, start=1):
        guide.cell(row=i, column=1, value=line)
    guide.column_dimensions["A"].width = 110
    guide["A1"].font = _BOLD


def template_file_name(year: int) -> str:
    """ "mau-bao-cao-2024.xlsx"."""
    return f"mau-bao-cao-{year}.xlsx"
