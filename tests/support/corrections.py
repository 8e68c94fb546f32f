"""A report and its corrections as an office writes them, for the tests of what a correction says it
replaces (``tests/test_ingest_replaced.py``, ``tests/views/test_upload_replaced.py``): the admin
block, «Số: …» and «<place>, ngày …» above the title, perhaps a line «(Thay thế Báo cáo số …)» under
it, then a table with CT01's figure — an .xlsx written with openpyxl."""

from __future__ import annotations

import io

import openpyxl

TITLE_Q1 = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI QUÝ I NĂM 2024"
TITLE_H1 = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI 6 THÁNG ĐẦU NĂM 2024"
OFFICE = ("UBND HUYỆN TAM NÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH")


def report(
    number: str,
    day: str,
    ct01: float,
    replaces: str | None = None,
    block: tuple[str, str] = OFFICE,
    title: str = TITLE_Q1,
    note: str | None = None,
) -> bytes:
    """A report's bytes: ``block`` in A1:A2, «Số: <number>» in A3 and «Tam Nông, ngày <day>» in D3,
    ``title`` in A5, ``replaces`` (a line of its own) in A6, the table from row 8 with CT01's
    figure of the title's period (``note`` in its «Ghi chú» cell: the same report saved again)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bieu"
    ws["A1"], ws["A2"] = block
    ws["A3"], ws["D3"] = f"Số: {number}", f"Tam Nông, ngày {day}"
    ws["A5"] = title
    if replaces:
        ws["A6"] = replaces
    column = "Thực hiện quý I/2024" if title == TITLE_Q1 else "Lũy kế 6 tháng năm 2024"
    rows = [
        ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", column, "Ghi chú"],
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, ct01, note],
        [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, 160.2, None],
    ]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            ws.cell(8 + i, 1 + j, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
