"""A value cell as the clerk sees it (kpi.reading.numbers): a fraction in a % format is written as
Excel shows it, and the half-unit tolerance follows the decimals shown (black-box finding, issue 14:
the preview said «0,338» for a cell Excel shows as 33,8 %)."""

from __future__ import annotations

from kpi.domain.rules import written_decimals
from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from tests.support.sheets import report_rows, xlsx


def test_a_fraction_in_a_percent_format_is_written_as_excel_shows_it(con, cfg):
    rows = report_rows(
        "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 6 THÁNG NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Ước TH 6 tháng"],
        [
            [1, "Tỷ trọng lao động nông nghiệp trong tổng lao động xã hội", "%", 0.338],
            [2, "Tỷ lệ hộ nghèo", "%", 0.0017],
        ],
        reference="(Kèm theo Báo cáo số 9/BC-TCKH ngày 20/6/2024 của Phòng Tài chính - Kế hoạch)",
    )
    cells = [f"D{r}" for r, row in enumerate(rows, 1) if row and isinstance(row[-1], float)]
    prep = prepare(con, xlsx(rows, percent=cells), "ty-le.xlsx", ImportOptions(), cfg)
    shown = {r["key"]: (r["value"], r["written"]) for r in prep.observations.to_dict("records")}
    assert shown["CT04"] == (33.8, "33,8 %") and shown["CT06a"] == (0.17, "0,17 %")
    assert written_decimals("33,8 %") == 1  # the tolerance of a figure shown with one decimal
