"""A figure column whose header names no period («Thực hiện», «TH», «Thực hiện kỳ») holds the
period the file names (kpi.reading.report_identity._bare_actuals): months from the year's start
make it the year to date, a quarter the quarter's own, both at once are asked. Round 12: a bare
«Thực hiện» under «Báo cáo … 9 tháng» was stored as Quý III's own amount — for a flow, nine
months added again on top of the half year. Each file is written here in its own layout."""

from __future__ import annotations

import pytest

from kpi.ingest import ingest, prepare
from kpi.reading.report_sheets import ImportOptions
from tests.support.ledger import CT01, stored
from tests.support.samples import ACTOR
from tests.support.sheets import report_rows, xlsx

HALF_YEAR = 1430.4  # CT01's year to date at Q2, in the file below
NINE_MONTHS = 2438.3


def _file(title: str, header: list[str], row: list, period_line: str | None = None) -> bytes:
    rows = report_rows(title, ["STT", "Chỉ tiêu", "ĐVT", *header], [[1, CT01, "Tỷ đồng", *row]])
    if period_line:
        rows.insert(4, [period_line])
    return xlsx(rows)


def _kinds(prep) -> dict[tuple[str, int], float]:
    obs = prep.observations
    rows = obs[(obs["key"] == "CT01") & (obs["kind"] != "plan")]
    return {(kind, int(q)): value for kind, q, value in zip(rows["kind"], rows["quarter"], rows["value"], strict=True)}


@pytest.mark.parametrize(
    ("title", "header", "row", "period_line", "quarter"),
    [
        ("BÁO CÁO KẾT QUẢ THỰC HIỆN 9 THÁNG NĂM 2024", ["Kế hoạch năm", "Thực hiện"], [3300.9, 2438.3], None, 3),
        ("Báo cáo tình hình kinh tế - xã hội chín tháng đầu năm 2024", ["KH 2024", "TH"], [3300.9, 2438.3], None, 3),
        ("TỔNG HỢP SỐ LIỆU ĐẾN 30/9/2024", ["Thực hiện kỳ", "KH giao"], [2438.3, 3300.9], None, 3),
        ("BÁO CÁO SỐ LIỆU CÁC CHỈ TIÊU", ["Kết quả thực hiện"], [2438.3], "Kỳ báo cáo: 9 tháng năm 2024", 3),
        ("BÁO CÁO 6 THÁNG ĐẦU NĂM 2024, PHƯƠNG HƯỚNG NHIỆM VỤ QUÝ III", ["Thực hiện"], [1430.4], None, 2),
        ("BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM 2024", ["Thực hiện"], [3350.0], None, 4),
    ],
)
def test_a_bare_figure_column_under_months_from_the_years_start_is_the_year_to_date(
    con, cfg, title, header, row, period_line, quarter
):
    prep = prepare(con, _file(title, header, row, period_line), "bao-cao.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert prep.quarter == quarter
    value = next(v for h, v in zip(header, row, strict=True) if not h.startswith(("Kế hoạch", "KH")))
    assert _kinds(prep) == {("ytd", quarter): value}


def test_nine_months_in_a_bare_column_are_not_added_on_top_of_the_half_year(con, cfg):
    """The wrong figure itself: with the half year stored, the nine months' bare «Thực hiện» gave a
    year to date of 1.430,4 + 2.438,3 = 3.868,7 (117 % of the plan: «Vượt») instead of 2.438,3."""
    half = _file("BÁO CÁO KẾT QUẢ 6 THÁNG ĐẦU NĂM 2024", ["Lũy kế 6 tháng"], [HALF_YEAR])
    ingest(con, half, "6-thang.xlsx", ACTOR, ImportOptions(), cfg)
    nine = _file("BÁO CÁO KẾT QUẢ 9 THÁNG NĂM 2024", ["Thực hiện"], [NINE_MONTHS])
    ingest(con, nine, "9-thang.xlsx", ACTOR, ImportOptions(), cfg)
    assert stored(con, "CT01", "ytd", 3) == NINE_MONTHS
    assert stored(con, "CT01", "quarter", 3) is None  # no quarter's amount was written by the file


@pytest.mark.parametrize(
    ("title", "header"),
    [
        ("BÁO CÁO KẾT QUẢ THỰC HIỆN QUÝ III NĂM 2024", ["Thực hiện"]),  # design.md: the quarter's own
        ("BÁO CÁO KẾT QUẢ 9 THÁNG NĂM 2024", ["Thực hiện quý"]),  # a quarter named without its number
    ],
)
def test_a_bare_column_under_a_quarter_is_the_quarters_own(con, cfg, title, header):
    prep = prepare(con, _file(title, header, [1008.0]), "quy-3.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert _kinds(prep) == {("quarter", 3): 1008.0}


def test_a_bare_column_beside_a_year_to_date_column_is_the_periods_own(con, cfg):
    """«Thực hiện kỳ | Lũy kế» under «9 tháng»: the year to date has its column; the other is the quarter's."""
    data = _file("BÁO CÁO 9 THÁNG NĂM 2024", ["Thực hiện kỳ", "Lũy kế"], [1008.0, NINE_MONTHS])
    prep = prepare(con, data, "9-thang.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert _kinds(prep) == {("quarter", 3): 1008.0, ("ytd", 3): NINE_MONTHS}


def test_a_title_naming_both_a_quarter_and_nine_months_asks_what_the_bare_column_is(con, cfg):
    data = _file(
        "BÁO CÁO KẾT QUẢ THỰC HIỆN QUÝ III VÀ 9 THÁNG NĂM 2024", ["Kế hoạch năm", "Thực hiện"], [3300.9, 2438.3]
    )
    prep = prepare(con, data, "quy-3-9-thang.xlsx", ImportOptions(), cfg)
    held = [i for i in prep.errors if i.code == "actual_unclear"]
    assert held and "Cột E «Thực hiện»" in held[0].message and "quý III" in held[0].message
    assert prep.awaiting_decision and prep.needs("actual")
    ytd = prepare(con, data, "quy-3-9-thang.xlsx", ImportOptions(actual="ytd"), cfg)
    assert not ytd.refused and _kinds(ytd) == {("ytd", 3): NINE_MONTHS}
    own = prepare(con, data, "quy-3-9-thang.xlsx", ImportOptions(actual="quarter"), cfg)
    assert not own.refused and _kinds(own) == {("quarter", 3): NINE_MONTHS}


def test_in_the_first_quarter_both_are_one_figure_and_nothing_is_asked(con, cfg):
    data = _file("BÁO CÁO QUÝ I VÀ 3 THÁNG ĐẦU NĂM 2024", ["Thực hiện"], [612.4])
    prep = prepare(con, data, "quy-1.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert not [i for i in prep.issues if i.code == "actual_unclear"]


@pytest.mark.usefixtures("app_env", "server_machine")
def test_the_upload_page_asks_what_the_bare_column_is_and_stores_the_answer(con, cfg):
    """The clerk's side of ``actual_unclear``: the page's box «Cột không ghi kỳ là», then saving."""
    from tests.support.apptest import XLSX, run

    data = _file("BÁO CÁO KẾT QUẢ THỰC HIỆN QUÝ III VÀ 9 THÁNG NĂM 2024", ["Thực hiện"], [NINE_MONTHS])
    at = run("views/upload.py")
    at.file_uploader(key="up_files").set_value([("quy-3.xlsx", data, XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [b for b in at.button if b.key and b.key.startswith("up_save_")]  # held: nothing to save yet
    [box] = [r for r in at.radio if r.label == "Cột không ghi kỳ là"]
    box.set_value("ytd").run()
    assert not at.exception, [e.value for e in at.exception]
    [save_button] = [b for b in at.button if b.key and b.key.startswith("up_save_")]
    save_button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert stored(con, "CT01", "ytd", 3) == NINE_MONTHS and stored(con, "CT01", "quarter", 3) is None
