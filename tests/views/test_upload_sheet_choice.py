"""A workbook with a report of each quarter on its own sheet («Quý I», «Quý II», «Quý III»): the
upload page lets the clerk choose which sheet to read (black-box: the first sheet was read, the
others only named in a warning «… nhưng chưa được đọc», and no way to take Quý II's figures but to
cut the workbook apart). AppTest on the real upload page, the workbook written with openpyxl."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from kpi.bootstrap import open_database
from tests.support.apptest import XLSX, texts, upload_page

pytestmark = pytest.mark.usefixtures("app_env", "server_machine")

#: Each sheet's year to date of «Tổng vốn đầu tư toàn xã hội» (CT01, tỷ đồng) and of revenue (CT02).
FIGURES = {"Quý I": (610.0, 150.2), "Quý II": (1350.5, 390.7), "Quý III": (2210.8, 601.3)}


def quarter_book() -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, (invest, revenue) in FIGURES.items():
        roman = name.split()[1]
        ws = wb.create_sheet(name)
        ws["A1"], ws["A2"] = "UBND HUYỆN TAM NÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH"
        ws["D1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        ws["A4"] = f"BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ {roman} NĂM 2024"
        ws.append([])
        ws.append(["STT", "Tên chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2024", f"Lũy kế đến hết quý {roman}"])
        ws.append([1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, invest])
        ws.append([2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, revenue])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_box(at):
    [box] = [s for s in at.selectbox if s.key and s.key.startswith("up_sheet_")]
    return box


def test_the_clerk_chooses_the_quarters_sheet_and_its_figures_are_stored(con, cfg):
    at = upload_page(con)
    at.file_uploader(key="up_files").set_value([("cac-quy.xlsx", quarter_book(), XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    box = _sheet_box(at)
    assert box.options == ["Quý I", "Quý II", "Quý III"] and box.value == "Quý I"
    assert "Trang «Quý II» cũng là báo cáo" in texts(at)
    box.set_value("Quý II").run()
    assert not at.exception, [e.value for e in at.exception]
    box = _sheet_box(at)  # the choice stays offered, Quý II now read
    assert box.options == ["Quý I", "Quý II", "Quý III"] and box.value == "Quý II"
    shown = texts(at)
    assert "Quý II/2024 (báo cáo 6 tháng)" in shown and "Trang «Quý II» cũng là báo cáo" not in shown
    [save] = [b for b in at.button if b.key and b.key.startswith("up_save_")]
    save.click().run()
    assert not at.exception, [e.value for e in at.exception]
    stored = open_database(cfg)
    try:
        got = stored.execute(
            "SELECT key, quarter, kind, value, sheet FROM observations WHERE key IN ('CT01', 'CT02') AND kind <> 'plan' ORDER BY key"
        ).fetchall()
    finally:
        stored.close()
    assert got == [("CT01", 2, "ytd", 1350.5, "Quý II"), ("CT02", 2, "ytd", 390.7, "Quý II")]
