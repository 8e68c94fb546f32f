"""One writer for the award and registration registers the reading tests build in their own
layouts: the lines above the table, the header, the rows, the merged cells (on
:func:`tests.support.sheets.xlsx`).

    register(["UBND HUYỆN TAM NÔNG", "", "DANH SÁCH KHEN THƯỞNG NĂM 2024", ""], header, rows)
    register({"A1": "UBND HUYỆN CẨM KHÊ", "E1": "CỘNG HÒA …"}, header, rows, merges=["A1:C1"])
"""

from __future__ import annotations

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from tests.support.sheets import xlsx

TOP = ["UBND HUYỆN TAM NÔNG", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "", "DANH SÁCH KHEN THƯỞNG THÀNH TÍCH NĂM 2024", ""]

#: A register whose columns start with the decision and who gave it (round 8's f07 order: «Số QĐ»,
#: «Ngày ký QĐ», «Cấp ra quyết định», then the award, the kind, the name, the unit and the year).
DECISION_FIRST_HEADER = [
    "Số QĐ",
    "Ngày ký QĐ",
    "Cấp ra quyết định",
    "Hình thức khen thưởng",
    "Loại (TT/CN)",
    "Họ và tên (tên tập thể)",
    "Nơi công tác",
    "Thành tích năm",
]


def register(
    top: list[str] | dict[str, str], header: list[str], rows: list[list], *, merges=(), sheet: str = "DS"
) -> bytes:
    """An .xlsx register: ``top`` as lines of column A (``""`` an empty row), the header on the
    row after them; or as cells by reference, the header two rows under the lowest of them; then
    ``rows`` under the header (``None`` an empty cell)."""
    if isinstance(top, dict):
        placed = [(coordinate_from_string(ref), value) for ref, value in top.items()]
        lines: list[list] = [[] for _ in range(max(row for (_col, row), _v in placed) + 1)]
        for (col, row), value in placed:
            at = column_index_from_string(col)
            line = lines[row - 1]
            line.extend([None] * (at - len(line)))
            line[at - 1] = value
    else:
        lines = [[line] for line in top]
    return xlsx([*lines, header, *rows], sheet=sheet, merges=merges)
