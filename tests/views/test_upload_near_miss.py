"""The upload preview never rounds a figure into its target (blind round 8, finding 5): a year
report's 94,499 beside a plan of 94,5 read «94,5» in «Số liệu đọc được», and 99,996 beside 100
«100,0», while the pages, once saved, said 94,499 «Không đạt». The preview now writes them as the
pages do (``kpi.vn.distinct_decimals``); its old → new list of a correction likewise.

The workbooks are built here, in a layout the shared samples do not use (the figures before the
plan, a code column last, no quarter columns)."""

from __future__ import annotations

import pytest

from kpi.ingest import ingest
from kpi.reading.report_sheets import ImportOptions
from tests.support.apptest import XLSX, upload_page
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

CT08 = "Tỷ lệ dân số tham gia bảo hiểm y tế"
CT11 = "Tỷ lệ dân cư nông thôn, thành thị được sử dụng nước sạch, nước hợp vệ sinh"
CT01 = "Tổng vốn đầu tư toàn xã hội"


def year_report(date: str, ct08: float, ct11: float) -> bytes:
    return xlsx(
        [
            ["UBND HUYỆN TAM NÔNG"],
            ["PHÒNG TÀI CHÍNH - KẾ HOẠCH"],
            ["BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM 2024"],
            [f"Tam Nông, ngày {date}"],
            ["Nội dung", "Đơn vị", "Thực hiện năm 2024", "Kế hoạch năm 2024", "Ghi chú"],
            [CT08, "%", ct08, 94.5, ""],
            [CT11, "%", ct11, 100, ""],
            [CT01, "Tỷ đồng", 3312.4, 3300.9, ""],
        ],
        sheet="Tong hop",
    )


def _figures_table(at):
    [table] = [t.value for t in at.table if "Số (đơn vị kế hoạch)" in t.value.columns]
    return table.map(lambda text: text.replace("\\", ""))  # the cells' Markdown escapes («3\\.312,4»)


@pytest.mark.usefixtures("app_env", "server_machine")
def test_a_near_miss_is_not_rounded_into_its_plan_in_the_preview(con):
    at = upload_page(con)
    at.file_uploader(key="up_files").set_value([("nam-2024.xlsx", year_report("10/01/2025", 94.499, 99.996), XLSX)])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = _figures_table(at)
    shown = {
        (r["Chỉ tiêu"], r["Loại số"]): r["Số (đơn vị kế hoạch)"] for r in table.to_dict("records") if r["Chỉ tiêu"]
    }
    actuals = {name: v for (name, kind), v in shown.items() if not kind.startswith("kế hoạch")}
    plans = {name: v for (name, kind), v in shown.items() if kind.startswith("kế hoạch")}
    assert actuals[CT08] == "94,499" and plans[CT08] == "94,5"
    assert actuals[CT11] == "99,996" and plans[CT11] == "100,0"
    assert actuals[CT01] == "3.312,4"  # a figure far from its plan keeps the one formatter's decimals


@pytest.mark.usefixtures("app_env", "server_machine")
def test_a_correction_to_a_near_miss_is_not_said_as_no_change(con, cfg):
    """In use 94,5 and 100 (met); the correction's 94,499 and 99,996: «94,5 → 94,499», never
    «94,5 → 94,5»."""
    ingest(con, year_report("10/01/2025", 94.5, 100), "nam-2024.xlsx", ACTOR, ImportOptions(), cfg)
    at = upload_page(con)
    newer = year_report("15/01/2025", 94.499, 99.996)
    at.file_uploader(key="up_files").set_value([("nam-2024-sua.xlsx", newer, XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    [table] = [t.value for t in at.table if "Số đang dùng → số mới" in t.value.columns]
    changes = {r["Chỉ tiêu"].split(" · ")[0]: r["Số đang dùng → số mới"] for r in table.to_dict("records")}
    assert changes == {"CT08": "94,5 → 94,499", "CT11": "100,0 → 99,996"}, changes
