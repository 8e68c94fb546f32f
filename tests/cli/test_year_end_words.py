"""Black-box round 9, by the command line on files written with openpyxl: the year-end view's word
for a year-end indicator without a figure, and a partial correction beside the office's estimate."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import openpyxl

from kpi.reporting.period_figures import period_figures
from kpi.reporting.projection import indicator_projection
from tests.support.cli import kpi


def _report(path: Path, number: str, dated: str, title: str, headers: list, rows: list, note: str = "") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["UBND HUYỆN TAM NÔNG"])
    ws.append(["PHÒNG TÀI CHÍNH - KẾ HOẠCH"])
    ws.append([f"Số: {number}", None, None, f"Tam Nông, {dated}"])
    ws.append([title])
    if note:
        ws.append([note])
    ws.append(["STT", "Chỉ tiêu", "Đơn vị tính", *headers])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _json(db: Path, *args) -> dict:
    out = kpi("report", "--year", "2024", *args, "--format", "json", db=db, check=True).stdout
    return {r["key"]: r for r in json.loads(out)}


def test_a_year_end_indicator_without_the_years_figure_has_no_data_at_the_year_end(tmp_path):
    """The year report (f14) gives no district figure of CT06b (hộ cận nghèo, settled at year end):
    as of Quý IV it was due — «Chưa có số liệu» (``no_data``), never «Chưa đến kỳ đánh giá» in the
    year's own view; as of Quý III it is still ``not_due``."""
    db = tmp_path / "kpi.duckdb"
    year = _report(
        tmp_path / "nam-2024.xlsx",
        "15/BC-TCKH",
        "ngày 10 tháng 01 năm 2025",
        "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM 2024",
        ["Kế hoạch năm 2024", "Thực hiện năm 2024"],
        [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 3400], [2, "Tỷ lệ hộ nghèo", "%", 0.17, 0.17]],
    )
    nine = _report(
        tmp_path / "9-thang.xlsx",
        "120/BC-TCKH",
        "ngày 08 tháng 10 năm 2024",
        "BÁO CÁO TÌNH HÌNH THỰC HIỆN CHỈ TIÊU 9 THÁNG NĂM 2024",
        ["Kế hoạch 2024", "Thực hiện 9 tháng"],
        [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 2600]],
    )
    kpi("ingest", nine, year, db=db, check=True)
    at_year_end = _json(db)
    assert (at_year_end["CT01"]["status"], at_year_end["CT06a"]["status"]) == ("exceeded", "met")
    assert at_year_end["CT06b"]["status"] == "no_data" and at_year_end["CT06b"]["actual"] is None
    assert _json(db, "--quarter", "3")["CT06b"]["status"] == "not_due"


def test_a_partial_correction_of_the_nine_months_keeps_the_same_reports_estimate(tmp_path):
    """f03 gives CT01 2.600,0 with «Ước thực hiện cả năm» 3.350,0 (CT02 610,5 / 812,0); f05 corrects
    only the nine months (2.650.000 triệu đồng) and is saved with ``--correction partial``. A
    correction re-states the period's actuals: the office's own estimate stands (not «không còn
    dùng: đã có số Quý III» with the app's 3.533,3 in its place)."""
    db = tmp_path / "kpi.duckdb"
    nine = _report(
        tmp_path / "f03.xlsx",
        "120/BC-TCKH",
        "ngày 08 tháng 10 năm 2024",
        "BÁO CÁO TÌNH HÌNH THỰC HIỆN CHỈ TIÊU 9 THÁNG NĂM 2024",
        ["Kế hoạch 2024", "Thực hiện 9 tháng", "Ước thực hiện cả năm"],
        [
            ["1", "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", "3.300,9", "2.600,0", "3.350,0"],
            ["2", "Tổng thu ngân sách nhà nước", "Tỷ đồng", "805,0", "610,5", "812,0"],
        ],
    )
    correction = _report(
        tmp_path / "f05.xlsx",
        "131/BC-TCKH",
        "ngày 21 tháng 10 năm 2024",
        "BÁO CÁO ĐIỀU CHỈNH SỐ LIỆU 9 THÁNG NĂM 2024",
        ["Kế hoạch 2024", "Lũy kế 9 tháng"],
        [
            [1, "Tổng vốn đầu tư toàn xã hội", "Triệu đồng", 3300900, 2650000],
            [2, "Tổng thu ngân sách nhà nước", "Triệu đồng", 805000, 615000],
        ],
        note="(thay thế Báo cáo số 120/BC-TCKH ngày 08/10/2024)",
    )
    kpi("ingest", nine, db=db, check=True)
    kpi("ingest", correction, "--correction", "partial", db=db, check=True)
    judged = _json(db)
    assert (judged["CT01"]["actual"], judged["CT02"]["actual"]) == (2650, 615)  # the correction is used
    with duckdb.connect(str(db)) as con:
        figures = period_figures(con, 2024, 3).set_index("key")
        assert figures.loc["CT01", "year_estimate"] == 3350.0 and figures.loc["CT01", "overtaken"] is None
        assert figures.loc["CT02", "year_estimate"] == 812.0 and figures.loc["CT02", "overtaken"] is None
        projection, _ = indicator_projection(con, 2024, "CT01", 3)
    assert (projection.method, float(projection.value), projection.verdict_text) == ("reported", 3350.0, "Dự kiến vượt")
