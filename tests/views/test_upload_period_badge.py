"""The upload preview's badge never names a period the file is held for (black-box: a report titled
«BÁO CÁO THÁNG 10 NĂM 2024», held as no quarter's, was badged «Quý IV/2024 (báo cáo cả năm)»).
AppTest on the real upload page; the report written with openpyxl in a layout of its own."""

from __future__ import annotations

import pytest

from kpi.ingest import prepare
from kpi.preview import period_badge_words
from kpi.reading.report_sheets import ImportOptions
from tests.support.apptest import XLSX, run
from tests.support.sheets import report_rows, xlsx

pytestmark = pytest.mark.usefixtures("app_env", "server_machine")


def _month_report() -> bytes:
    header = ["TT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2024", "Thực hiện tháng 10", "Lũy kế 10 tháng"]
    rows = [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 260.5, 2800.0]]
    return xlsx(report_rows("BÁO CÁO THÁNG 10 NĂM 2024", header, rows))


def _headings(at) -> list[str]:
    return [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("#### ")]


def test_a_month_report_held_for_its_period_is_badged_as_unclear_not_as_a_quarter(con, cfg):
    data = _month_report()
    prep = prepare(con, data, "thang-10.xlsx", ImportOptions(), cfg)
    assert prep.needs("period") and any(i.code == "period_not_quarter" for i in prep.held)
    assert period_badge_words(prep) == "Kỳ: chưa rõ (tháng 10 — chọn quý)"
    at = run("views/upload.py")
    at.file_uploader(key="up_files").set_value([("thang-10.xlsx", data, XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    [heading] = [h for h in _headings(at) if "thang-10.xlsx" in h]
    assert "Kỳ: chưa rõ (tháng 10 — chọn quý)" in heading and "Chờ bạn quyết định" in heading
    assert "Quý" not in heading and "cả năm" not in heading


def test_once_the_quarter_is_chosen_the_badge_names_it(con, cfg):
    prep = prepare(con, _month_report(), "thang-10.xlsx", ImportOptions(period="2024-Q3"), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert period_badge_words(prep) == "Quý III/2024 (báo cáo 9 tháng)"
