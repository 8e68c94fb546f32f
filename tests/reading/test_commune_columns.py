"""Per-commune tables (:mod:`kpi.reading.unit_columns`): a block of columns per commune, each
commune's column its figures, the total the district's own when it names the district («Toàn huyện»)
or the table has every commune (a «Cộng» of some communes is their sum only),
the period from a merged parent or the title, and a column not read said with its letter and why.

Round 12 (code-blind tester): «STT | Chỉ tiêu | ĐVT | X. Dân Quyền | X. Hiền Quan | TT Hưng Hóa |
Cộng» under «… 9 THÁNG NĂM 2024» had its commune columns and total dropped without a word; under a
merged «Thực hiện 9 tháng» the clerk was asked to pick one of a commune's column and the total
(«Cột cùng nghĩa ghi số khác nhau»). Each workbook here is written with openpyxl in a layout of its
own; every figure expected is worked out by hand in the test's comment."""

from __future__ import annotations

import pandas as pd
import pytest

from kpi.ingest import ingest, prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report
from kpi.storage.catalogue import load_catalogue
from kpi.storage.figures import current_figures
from tests.support.ledger import CT01
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

DISTRICT = "UBND huyện Tam Nông"
DQ, HQ, HH = "Xã Dân Quyền", "Xã Hiền Quan", "Thị trấn Hưng Hóa"
KDC = "Số khu dân cư đạt khu nông thôn mới kiểu mẫu"  # CT09: khu, level, across units = sum
BHYT = "Tỷ lệ dân số tham gia bảo hiểm y tế"  # CT08: %, a rate (never summed)
NINE_MONTHS = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 9 THÁNG NĂM 2024"


def _sheet(title: str, header: list[list], body: list[list], merges=(), date="05 tháng 10 năm 2024") -> bytes:
    top = [
        ["UBND HUYỆN TAM NÔNG", "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["PHÒNG TÀI CHÍNH - KẾ HOẠCH", "", "", "", "Độc lập - Tự do - Hạnh phúc"],
        [],
        [title],
        [f"Tam Nông, ngày {date}"],
        [],
    ]
    return xlsx(top + header + body, merges=list(merges))


def _stored(prep) -> list[tuple]:
    """(key, subject, quarter, kind, value) of each figure read, the plan's left out, sorted."""
    o = prep.observations
    o = o[o["kind"] != "plan"]
    return sorted(zip(o["key"], o["subject"], o["quarter"], o["kind"], o["value"], strict=True))


def _put(con, cfg, data: bytes, name: str = "xa.xlsx", **options):
    prep, committed = ingest(con, data, name, ACTOR, ImportOptions(**options), cfg)
    assert committed is not None and not prep.refused, [i.text() for i in prep.errors]
    return prep


def _actual(con, key: str, quarter: int):
    return attainment_report(con, 2024, quarter).table.set_index("key").loc[key, "actual"]


def _codes(prep) -> list[str]:
    return [i.code for i in prep.issues if i.severity in ("error", "warning")]


ONE_ROW = ["STT", "Chỉ tiêu", "ĐVT", "X. Dân Quyền", "X. Hiền Quan", "TT Hưng Hóa", "Toàn huyện"]


def test_one_header_row_of_abbreviated_communes_and_a_total_under_a_nine_months_title(con, cfg):
    """The tester's first file (its total named «Toàn huyện»; «Cộng» of three communes is their sum
    only: test_the_total_of_some_communes_is_the_districts_only_when_it_says_so): each commune's
    column is that commune's year to date at Q3 (the title's «9 tháng»), the total the district's own.
    CT09: 1 + 2 + 3 = 6 = the total (no warning);
    CT08, a rate: each commune's own, the district's 91,5 as written (never a sum)."""
    data = _sheet(NINE_MONTHS, [ONE_ROW], [[1, KDC, "Khu", 1, 2, 3, 6], [2, BHYT, "%", 90, 91, 92, 91.5]])
    prep = _put(con, cfg, data)
    assert _stored(prep) == sorted(
        [
            ("CT08", DISTRICT, 3, "ytd", 91.5),
            ("CT08", HH, 3, "ytd", 92.0),
            ("CT08", DQ, 3, "ytd", 90.0),
            ("CT08", HQ, 3, "ytd", 91.0),
            ("CT09", DISTRICT, 3, "ytd", 6.0),
            ("CT09", HH, 3, "ytd", 3.0),
            ("CT09", DQ, 3, "ytd", 1.0),
            ("CT09", HQ, 3, "ytd", 2.0),
        ]
    )
    assert _codes(prep) == []  # no «unit_sum_differs»: 1 + 2 + 3 is the 6 written
    figures = current_figures(con, 2024)
    ct09 = figures[figures["key"] == "CT09"].set_index("subject")["value"].to_dict()
    assert ct09 == {DISTRICT: 6.0, DQ: 1.0, HQ: 2.0, HH: 3.0}
    assert _actual(con, "CT09", 3) == 6.0
    assert _actual(con, "CT08", 3) == pytest.approx(91.5)
    columns = {c.letter: c for c in prep.layout.columns}
    assert columns["D"].meaning == f"lũy kế từ đầu năm (đến quý 3, {DQ})"
    assert columns["G"].meaning == f"lũy kế từ đầu năm (đến quý 3, {DISTRICT})"


def test_a_merged_period_over_the_communes_and_the_total_asks_nothing(con, cfg):
    """The tester's second file: «Thực hiện 9 tháng» merged over the communes and «Toàn huyện» — no
    «cột cùng nghĩa» question (different subjects); the district's CT01 is the total's 30,5 although the
    communes' 10,2 + 12,3 + 7,5 = 30,0 (warned: the written total wins, the sum checked)."""
    header = [
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện 9 tháng", "", "", ""],
        ["", "", "", "X. Dân Quyền", "X. Hiền Quan", "TT Hưng Hóa", "Toàn huyện"],
    ]
    body = [[1, CT01, "Tỷ đồng", 10.2, 12.3, 7.5, 30.5], [2, BHYT, "%", 90, 91, 92, 91.5]]
    data = _sheet(NINE_MONTHS, header, body, merges=["D7:G7", "A7:A8", "B7:B8", "C7:C8"])
    prep = _put(con, cfg, data)
    assert "same_meaning_differ" not in _codes(prep)
    (differs,) = [i for i in prep.warnings if i.code == "unit_sum_differs"]
    assert differs.cell == "G9" and "30,5" in differs.message and "30" in differs.message
    assert [s for s in _stored(prep) if s[0] == "CT01"] == sorted(
        [
            ("CT01", DISTRICT, 3, "ytd", 30.5),
            ("CT01", HH, 3, "ytd", 7.5),
            ("CT01", DQ, 3, "ytd", 10.2),
            ("CT01", HQ, 3, "ytd", 12.3),
        ]
    )
    assert _actual(con, "CT01", 3) == pytest.approx(30.5)


def test_full_names_in_any_case_with_the_total_first_under_a_quarter_title(con, cfg):
    """«Toàn huyện» first, then «Xã Dân Quyền», «xã Hiền Quan», «THỊ TRẤN HƯNG HÓA»; the title names
    Quý II: a bare commune column is that quarter's own figure (CT01 4 + 5 + 6 = 15 = Toàn huyện)."""
    header = [["STT", "Chỉ tiêu", "ĐVT", "Toàn huyện", "Xã Dân Quyền", "xã Hiền Quan", "THỊ TRẤN HƯNG HÓA"]]
    data = _sheet(
        "BÁO CÁO KẾT QUẢ THỰC HIỆN QUÝ II NĂM 2024",
        header,
        [[1, CT01, "Tỷ đồng", 15, 4, 5, 6]],
        date="05 tháng 7 năm 2024",
    )
    prep = _put(con, cfg, data)
    assert _stored(prep) == sorted(
        [
            ("CT01", DISTRICT, 2, "quarter", 15.0),
            ("CT01", HH, 2, "quarter", 6.0),
            ("CT01", DQ, 2, "quarter", 4.0),
            ("CT01", HQ, 2, "quarter", 5.0),
        ]
    )
    assert _codes(prep) == []


def test_all_communes_without_a_total_give_the_district_their_sum_never_for_a_rate(con, cfg):
    """The plan's twelve communes, «X.»/«TT» abbreviated, no total, «6 THÁNG ĐẦU NĂM»: each is its
    year to date at Q2; the district's CT09 is their sum 1 + 2 + … + 12 = 78; CT08 (a rate) has no
    district figure at all."""
    units = list(load_catalogue(con, 2024).communes)
    written = [u.replace("Xã ", "X. ").replace("Thị trấn ", "TT ") for u in units]
    header = [["STT", "Chỉ tiêu", "ĐVT", *written]]
    body = [[1, KDC, "Khu", *range(1, 13)], [2, BHYT, "%", *[90 + i / 2 for i in range(12)]]]
    prep = _put(con, cfg, _sheet("BÁO CÁO 6 THÁNG ĐẦU NĂM 2024", header, body, date="05 tháng 7 năm 2024"))
    stored = _stored(prep)
    assert {s[1] for s in stored} == set(units) and len(stored) == 24
    assert {(s[2], s[3]) for s in stored} == {(2, "ytd")}
    assert ("CT09", units[4], 2, "ytd", 5.0) in stored
    assert _actual(con, "CT09", 2) == 78
    ct08 = attainment_report(con, 2024, 2).table.set_index("key").loc["CT08"]
    assert pd.isna(ct08["actual"]) and ct08["status"] == "no_data"  # a rate is never summed


def test_a_total_first_that_differs_wins_and_is_warned(con, cfg):
    """«Toàn huyện» first with 7 against 2 + 3 = 5 of two communes: stored 7 as the district's,
    warned once with both numbers."""
    header = [["STT", "Chỉ tiêu", "ĐVT", "Toàn huyện", "Xã Dân Quyền", "Xã Hiền Quan"]]
    prep = _put(con, cfg, _sheet(NINE_MONTHS, header, [[1, KDC, "Khu", 7, 2, 3]]))
    (differs,) = [i for i in prep.warnings if i.code == "unit_sum_differs"]
    assert "số toàn huyện 7 khu" in differs.message and "(5 khu)" in differs.message
    assert _stored(prep) == sorted(
        [("CT09", DISTRICT, 3, "ytd", 7.0), ("CT09", DQ, 3, "ytd", 2.0), ("CT09", HQ, 3, "ytd", 3.0)]
    )
    assert _actual(con, "CT09", 3) == 7.0


def test_an_unknown_commune_is_said_with_its_column_and_never_stored(con, cfg):
    """«X. Tân Phú» is no unit of the 2024 plan: its 4 is not stored, and the preview says column E
    and why; the other columns are read. «Toàn huyện» 7 (= 1 + 4 + 2) is the district's, checked against
    the known communes' 1 + 2 = 3 only: warned, never «corrected» with the unknown commune's 4."""
    header = [["STT", "Chỉ tiêu", "ĐVT", "X. Dân Quyền", "X. Tân Phú", "X. Hiền Quan", "Toàn huyện"]]
    prep = prepare(con, _sheet(NINE_MONTHS, header, [[1, KDC, "Khu", 1, 4, 2, 7]]), "xa.xlsx", ImportOptions(), cfg)
    (said,) = [i for i in prep.warnings if i.code == "column_not_read"]
    assert said.cell == "E7"
    assert said.message.startswith("Cột E «X. Tân Phú»: «X. Tân Phú» không có trong danh sách đơn vị")
    assert "không đoán" in said.message
    assert _stored(prep) == sorted(
        [("CT09", DISTRICT, 3, "ytd", 7.0), ("CT09", DQ, 3, "ytd", 1.0), ("CT09", HQ, 3, "ytd", 2.0)]
    )
    assert "Tân Phú" not in " ".join(prep.observations["subject"])
    (differs,) = [i for i in prep.warnings if i.code == "unit_sum_differs"]
    assert "số toàn huyện 7 khu" in differs.message and "(3 khu)" in differs.message


def test_an_unknown_commune_under_a_merged_period_is_not_read_as_the_districts(con, cfg):
    """Under «Lũy kế 9 tháng» an unknown «Xã Tân Phú» would have been the report's own subject —
    the district — beside «Toàn huyện»: said and left out instead."""
    header = [
        ["STT", "Chỉ tiêu", "ĐVT", "Lũy kế 9 tháng", "", ""],
        ["", "", "", "Xã Dân Quyền", "Xã Tân Phú", "Toàn huyện"],
    ]
    data = _sheet(NINE_MONTHS, header, [[1, KDC, "Khu", 2, 5, 7]], merges=["D7:F7", "A7:A8", "B7:B8", "C7:C8"])
    prep = prepare(con, data, "xa.xlsx", ImportOptions(), cfg)
    assert [i.code for i in prep.errors] == []
    (said,) = [i for i in prep.warnings if i.code == "column_not_read"]
    assert said.cell == "E8" and "«Xã Tân Phú»" in said.message
    assert _stored(prep) == sorted([("CT09", DISTRICT, 3, "ytd", 7.0), ("CT09", DQ, 3, "ytd", 2.0)])


def test_th_and_kh_under_each_commune(con, cfg):
    """Each commune merged over «TH | KH», under a 9-month title: TH is the commune's year to date at
    Q3 (the report's period), KH its plan; «Toàn huyện» over its own TH | KH is the district's."""
    header = [
        ["STT", "Chỉ tiêu", "ĐVT", "Xã Dân Quyền", "", "Thị trấn Hưng Hóa", "", "Toàn huyện", ""],
        ["", "", "", "TH", "KH", "TH", "KH", "TH", "KH"],
    ]
    body = [[1, KDC, "Khu", 2, 3, 4, 5, 6, 20]]
    merges = ["D7:E7", "F7:G7", "H7:I7", "A7:A8", "B7:B8", "C7:C8"]
    prep = _put(con, cfg, _sheet(NINE_MONTHS, header, body, merges=merges))
    assert _stored(prep) == sorted(
        [
            ("CT09", DISTRICT, 3, "ytd", 6.0),
            ("CT09", HH, 3, "ytd", 4.0),
            ("CT09", DQ, 3, "ytd", 2.0),
        ]
    )
    plans = prep.observations[prep.observations["kind"] == "plan"]
    assert sorted(zip(plans["subject"], plans["value"], strict=True)) == sorted(
        [(DISTRICT, 20.0), (HH, 5.0), (DQ, 3.0)]
    )
    assert _codes(prep) == []  # 2 + 4 = 6: the total agrees; its plan 20 is the plan's target


def test_a_column_that_is_neither_a_unit_nor_a_total_is_said(con, cfg):
    """«Khác» (no unit, no total, no period) beside the communes: its 9 is not read, and said."""
    header = [["STT", "Chỉ tiêu", "ĐVT", "Xã Dân Quyền", "Xã Hiền Quan", "Khác", "Toàn huyện"]]
    prep = prepare(con, _sheet(NINE_MONTHS, header, [[1, KDC, "Khu", 1, 2, 9, 12]]), "xa.xlsx", ImportOptions(), cfg)
    (said,) = [i for i in prep.warnings if i.code == "column_not_read"]
    assert said.cell == "F7" and said.message.startswith("Cột F «Khác» có số liệu nhưng không được đọc")
    assert ("CT09", DISTRICT, 3, "ytd", 12.0) in _stored(prep)


def test_only_unknown_communes_store_nothing_and_say_why(con, cfg):
    """Two columns of places not in the plan: nothing stored, each column said."""
    header = [["STT", "Chỉ tiêu", "ĐVT", "X. Tân Phú", "X. Tân Lập"]]
    prep = prepare(con, _sheet(NINE_MONTHS, header, [[1, KDC, "Khu", 1, 2]]), "xa.xlsx", ImportOptions(), cfg)
    said = [i for i in prep.issues if i.code == "column_not_read"]
    assert [(i.cell, i.severity) for i in said] == [("D7", "warning"), ("E7", "warning")]
    assert "«X. Tân Lập» không có trong danh sách đơn vị" in said[1].message
    assert prep.observations.empty


def test_a_quarter_block_and_a_year_to_date_block_per_commune(con, cfg):
    """«Quý III» merged over the communes and «Toàn huyện», then «Lũy kế 9 tháng» over them again: each
    commune has its quarter and its year to date, the district both (300 + 400 = 700; 1.000,5 +
    1.100,25 = 2.100,75)."""
    header = [
        ["STT", "Chỉ tiêu", "ĐVT", "Quý III", "", "", "Lũy kế 9 tháng", "", ""],
        ["", "", "", "X. Dân Quyền", "X. Hiền Quan", "Toàn huyện", "X. Dân Quyền", "X. Hiền Quan", "Toàn huyện"],
    ]
    body = [[1, CT01, "Tỷ đồng", 300, 400, 700, 1000.5, 1100.25, 2100.75]]
    merges = ["D7:F7", "G7:I7", "A7:A8", "B7:B8", "C7:C8"]
    prep = _put(con, cfg, _sheet(NINE_MONTHS, header, body, merges=merges))
    assert _stored(prep) == sorted(
        [
            ("CT01", DISTRICT, 3, "quarter", 700.0),
            ("CT01", DISTRICT, 3, "ytd", 2100.75),
            ("CT01", DQ, 3, "quarter", 300.0),
            ("CT01", DQ, 3, "ytd", 1000.5),
            ("CT01", HQ, 3, "quarter", 400.0),
            ("CT01", HQ, 3, "ytd", 1100.25),
        ]
    )
    assert _codes(prep) == []
    assert _actual(con, "CT01", 3) == pytest.approx(2100.75)


def test_a_total_in_a_table_of_no_communes_stays_as_before(con, cfg):
    """«Cộng» with no unit's column beside it is no per-commune table: not read (as before), and
    no word about a commune."""
    header = [["STT", "Chỉ tiêu", "ĐVT", "Thực hiện 9 tháng", "Cộng"]]
    prep = prepare(con, _sheet(NINE_MONTHS, header, [[1, KDC, "Khu", 5, 5]]), "x.xlsx", ImportOptions(), cfg)
    assert _stored(prep) == [("CT09", DISTRICT, 3, "ytd", 5.0)]
    assert "column_not_read" not in _codes(prep)


def test_a_total_with_a_meaning_of_its_own_in_a_table_of_no_communes_is_read_as_before(con, cfg):
    """«Thực hiện» merged over «Tổng số» (no commune anywhere) under «QUÝ III»: the column is the
    report's own quarter figure, as it was before per-commune tables were read (not left unread)."""
    header = [["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện"], ["", "", "", "", "Tổng số"]]
    data = _sheet("BÁO CÁO KẾT QUẢ THỰC HIỆN QUÝ III NĂM 2024", header, [[1, KDC, "Khu", 20, 5]])
    prep = prepare(con, data, "x.xlsx", ImportOptions(), cfg)
    assert _stored(prep) == [("CT09", DISTRICT, 3, "quarter", 5.0)]
    assert "column_not_read" not in _codes(prep)


@pytest.mark.parametrize(
    ("header", "place"),
    [("X. Tân Phú", True), ("xã Tân Phú", True), ("TT. Thanh Sơn", True), ("Phường 3", True), ("P. TC-KH", False)],
)
def test_what_a_header_names_as_a_place(header, place):
    """A commune, a town or a ward is a place (said when it is no unit); «P. TC-KH», an office's
    short name, is none."""
    from kpi.reading.layout import Vocabulary, header_fold, vocabulary

    assert Vocabulary.any(vocabulary().columns["place"], header_fold(header)) is place


def test_bare_commune_columns_under_a_year_title_are_the_whole_years(con, cfg):
    """«… NĂM 2024» only: the year's report, each bare commune column its figure for the whole year
    (year to date at Q4); «Toàn huyện» 3.300,9 = 1.100,3 × 3 the district's."""
    header = [["STT", "Chỉ tiêu", "ĐVT", "Xã Dân Quyền", "Xã Hiền Quan", "Thị trấn Hưng Hóa", "Toàn huyện"]]
    body = [[1, CT01, "Tỷ đồng", 1100.3, 1100.3, 1100.3, 3300.9]]
    title = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2024"
    prep = _put(con, cfg, _sheet(title, header, body, date="10 tháng 01 năm 2025"))
    assert _stored(prep) == sorted(
        [
            ("CT01", DISTRICT, 4, "ytd", 3300.9),
            ("CT01", DQ, 4, "ytd", 1100.3),
            ("CT01", HQ, 4, "ytd", 1100.3),
            ("CT01", HH, 4, "ytd", 1100.3),
        ]
    )
    assert _codes(prep) == []
    assert _actual(con, "CT01", 4) == pytest.approx(3300.9)


def test_a_period_line_gives_bare_commune_columns_their_kind(con, cfg):
    """No period in the title, a «Kỳ báo cáo: 6 tháng đầu năm 2024» line: the commune columns are
    the year to date at Q2 (the line ranks above the title)."""
    header = [["Kỳ báo cáo:", "6 tháng đầu năm 2024"], [], ["STT", "Chỉ tiêu", "ĐVT", "X. Dân Quyền", "X. Hiền Quan"]]
    data = _sheet("BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", header, [[1, KDC, "Khu", 1, 2]], date="05 tháng 7 năm 2024")
    prep = prepare(con, data, "xa.xlsx", ImportOptions(), cfg)
    assert _stored(prep) == sorted([("CT09", DQ, 2, "ytd", 1.0), ("CT09", HQ, 2, "ytd", 2.0)])


def test_communes_columns_under_a_quarter_and_nine_months_are_asked_like_any_column_naming_no_period(con, cfg):
    """One rule for every column naming no period (kpi.reading.report_period.bare_column_kind): a
    title naming both «quý III» and «9 tháng» over «X. Dân Quyền | X. Hiền Quan | Toàn huyện» is held
    (``actual_unclear``), never read as the quarter's own by default; the answer reads them all."""
    data = _sheet(
        "BÁO CÁO KẾT QUẢ QUÝ III VÀ 9 THÁNG NĂM 2024",
        [["STT", "Chỉ tiêu", "ĐVT", "X. Dân Quyền", "X. Hiền Quan", "Toàn huyện"]],
        [[1, KDC, "khu", 2, 3, 5]],
    )
    prep = prepare(con, data, "xa.xlsx", ImportOptions(), cfg)
    assert [i.code for i in prep.errors] == ["actual_unclear"] and prep.needs("actual")
    chosen = prepare(con, data, "xa.xlsx", ImportOptions(actual="ytd"), cfg)
    assert not chosen.refused, [i.text() for i in chosen.errors]
    # 2 + 3 = 5: the total agrees with the communes' sum
    assert _stored(chosen) == [
        ("CT09", DISTRICT, 3, "ytd", 5.0),
        ("CT09", DQ, 3, "ytd", 2.0),
        ("CT09", HQ, 3, "ytd", 3.0),
    ]


@pytest.mark.parametrize(("total", "district"), [("Cộng", None), ("Tổng cộng", None), ("Toàn huyện", 650.0)])
def test_the_total_of_some_communes_is_the_districts_only_when_it_says_so(con, cfg, total, district):
    """Round 13: «BÁO CÁO 9 THÁNG NĂM 2024 (MỘT SỐ XÃ)», «X. Dân Quyền | Xã Hiền Quan | TT Hưng Hóa |
    Cộng» (150 + 200 + 300 = 650, and a health-insurance rate 94,5) replaced the district's 2.438,3
    and 94,1. A total of three of the twelve communes is their sum; only a header naming the
    district («Toàn huyện») makes it the district's."""
    data = _sheet(
        "BÁO CÁO 9 THÁNG NĂM 2024 (MỘT SỐ XÃ)",
        [["STT", "Chỉ tiêu", "ĐVT", "X. Dân Quyền", "Xã Hiền Quan", "TT Hưng Hóa", total]],
        [[1, CT01, "Tỷ đồng", 150, 200, 300, 650], [2, BHYT, "%", 94.0, 94.3, 95.1, 94.5]],
    )
    prep = prepare(con, data, "mot-so-xa.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    figures = {(k, s): v for k, s, _q, _kind, v in _stored(prep)}
    assert figures[("CT01", DQ)] == 150.0 and figures[("CT01", HH)] == 300.0
    assert figures.get(("CT01", DISTRICT)) == district
    said = [i.message for i in prep.warnings if i.code == "column_not_read" and "là tổng của" in i.message]
    if district is None:
        assert said and f"Cột G «{total}» là tổng của 3 đơn vị" in said[0] and "kế hoạch có 12 xã" in said[0]
        assert ("CT08", DISTRICT) not in figures
    else:
        assert not said
