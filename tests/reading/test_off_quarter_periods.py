"""A report whose period is no quarter's — a month, months from the start to another month, the
year's last months, a campaign's phase — is held until the clerk chooses its quarter (round 11: each
was read as the year's report, «tiêu đề … chỉ ghi năm», stored as Quý IV and judged final: a
November report made both revenue targets «Không đạt» for the year; «6 tháng cuối năm» was added on
top of nine months, «Vượt»). Each file is written here in its own layout."""

from __future__ import annotations

import pytest

from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from tests.support.sheets import report_rows, xlsx

NAME = "Tổng vốn đầu tư toàn xã hội"


def _file(title: str, column: str) -> bytes:
    return xlsx(
        report_rows(
            title, ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", column], [[1, NAME, "Tỷ đồng", 3300.9, 2800.0]]
        )
    )


@pytest.mark.parametrize(
    ("title", "column", "said"),
    [
        ("BÁO CÁO TÌNH HÌNH KINH TẾ - XÃ HỘI THÁNG 10 NĂM 2024", "Lũy kế 10 tháng", "«THÁNG 10»"),
        ("BÁO CÁO KẾT QUẢ 11 THÁNG NĂM 2024", "Thực hiện", "«11 THÁNG»"),
        ("BÁO CÁO KẾT QUẢ 6 THÁNG CUỐI NĂM 2024", "Kết quả thực hiện", "«6 THÁNG CUỐI NĂM»"),
        ("BÁO CÁO SƠ KẾT ĐỢT 1 PHONG TRÀO THI ĐUA NĂM 2024", "Kết quả thực hiện", "«ĐỢT 1»"),
        ("BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU NĂM 2024", "Lũy kế 8 tháng", "«8 tháng»"),
    ],
)
def test_a_period_that_is_no_quarter_holds_the_file_until_a_quarter_is_chosen(con, cfg, title, column, said):
    data = _file(title, column)
    prep = prepare(con, data, "ky-la.xlsx", ImportOptions(), cfg)
    held = [i for i in prep.errors if i.code == "period_not_quarter"]
    assert held and any(said in i.message for i in held), [i.text() for i in prep.issues]
    assert prep.awaiting_decision and prep.needs("period")
    how = {what: how for what, _value, how in prep.inferred}["Kỳ báo cáo"]
    assert how.startswith("chưa rõ: tệp ghi «") and "không phải một quý — hãy chọn" in how  # not «báo cáo năm»
    chosen = prepare(con, data, "ky-la.xlsx", ImportOptions(period="2024-Q3"), cfg)
    assert not chosen.refused, [i.text() for i in chosen.errors]
    assert chosen.quarter == 3 and any(i.code == "period_not_quarter" for i in chosen.warnings)


@pytest.mark.parametrize(
    ("title", "column"),
    [
        ("BÁO CÁO KẾT QUẢ 9 THÁNG ĐẦU NĂM 2024", "Lũy kế 9 tháng"),
        (
            "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU QUÝ III NĂM 2024 (Kèm theo Báo cáo ngày 05 tháng 10 năm 2024)",
            "Thực hiện",
        ),
        ("BÁO CÁO KẾT QUẢ THỰC HIỆN NĂM 2024", "Thực hiện cả năm"),
        ("BÁO CÁO 6 THÁNG ĐẦU NĂM 2024", "Lũy kế 6 tháng"),
        ("BÁO CÁO ƯỚC THỰC HIỆN 6 THÁNG ĐẦU NĂM 2024 (Phục vụ sơ kết thi đua đợt 1)", "Ước thực hiện 6 tháng"),
    ],
)
def test_quarter_periods_and_dates_in_words_are_no_such_period(con, cfg, title, column):
    prep = prepare(con, _file(title, column), "quy.xlsx", ImportOptions(), cfg)
    assert not [i for i in prep.issues if i.code == "period_not_quarter"], [i.text() for i in prep.issues]


@pytest.mark.parametrize(
    ("title", "column", "quarter"),
    [
        (
            "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ 6 THÁNG ĐẦU NĂM, PHƯƠNG HƯỚNG NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024",
            "Thực hiện 6 tháng",
            2,
        ),
        ("BÁO CÁO TÌNH HÌNH 9 THÁNG, PHƯƠNG HƯỚNG NHIỆM VỤ QUÝ IV NĂM 2024", "Lũy kế 9 tháng", 3),
    ],
)
def test_the_tasks_ahead_in_a_title_name_no_period_of_its_figures(con, cfg, title, column, quarter):
    """Round 12: the office's most common titles were held — «6 tháng cuối năm» of the next half's
    tasks read as the period, «quý IV» of the next quarter's as a second period."""
    prep = prepare(con, _file(title, column), "thuong-gap.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert (prep.year, prep.quarter) == (2024, quarter)


def test_a_months_own_column_is_no_quarters_figure(con, cfg):
    """Round 12: «Thực hiện tháng 9» (240,0) beside «Lũy kế 9 tháng» (2.450,0) was stored as the
    third quarter's own figure, and the file blamed for a year to date that did not add up."""
    header = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện tháng 9", "Lũy kế 9 tháng"]
    data = xlsx(
        report_rows("BÁO CÁO THÁNG 9 VÀ 9 THÁNG NĂM 2024", header, [[1, NAME, "Tỷ đồng", 3300.9, 240.0, 2450.0]])
    )
    prep = prepare(con, data, "thang-9.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    figures = prep.observations[prep.observations["kind"] != "plan"]
    assert figures[["kind", "quarter", "value"]].values.tolist() == [["ytd", 3, 2450.0]]


def test_figures_until_a_quarters_last_day_are_the_year_to_date(con, cfg):
    """Round 12: «Thực hiện đến 30/9/2024» was read as the third quarter's own figure (a year to date
    taken for a quarter's amount), and a title «… ĐẾN 30/9/2024» gave no period (held). Until a
    quarter's last day is that quarter's year to date; until another day is no quarter (held)."""
    header = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện đến 30/9/2024"]
    prep = prepare(con, _file_with(header, "BÁO CÁO KẾT QUẢ QUÝ III NĂM 2024"), "den-30-9.xlsx", ImportOptions(), cfg)
    figures = prep.observations[prep.observations["kind"] != "plan"]
    assert figures[["kind", "quarter"]].values.tolist() == [["ytd", 3]]
    titled = prepare(
        con, _file("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU ĐẾN 30/9/2024", "Lũy kế"), "t.xlsx", ImportOptions(), cfg
    )
    assert not titled.refused and (titled.year, titled.quarter) == (2024, 3), [i.text() for i in titled.errors]
    other = prepare(
        con, _file("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU ĐẾN 15/10/2024", "Lũy kế"), "o.xlsx", ImportOptions(), cfg
    )
    assert other.needs("period") and any(i.code == "period_not_quarter" for i in other.errors)


def _file_with(header: list[str], title: str) -> bytes:
    return xlsx(report_rows(title, header, [[1, NAME, "Tỷ đồng", 3300.9, 2450.0]]))
