"""Two columns of a report with one meaning (:mod:`kpi.reading.same_meaning`): both were stored as
the same figure and the one that counted was left to the order of a window function. Columns that
agree are one column; columns that disagree hold the file until the clerk says which counts.

Every workbook is written here with openpyxl, in layouts the shared samples do not use (an
«(số điều chỉnh)» column, a header written twice, a quarter pair beside a year-to-date pair, an
estimate beside the official figure, communes in columns, two plan columns)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kpi.bootstrap import open_database
from kpi.cli import main
from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.reading.same_meaning import column_choices
from tests.support.apptest import XLSX, texts
from tests.support.paths import PROJECT
from tests.support.sheets import xlsx

TITLE = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 6 THÁNG ĐẦU NĂM 2024"
HEAD = [["UBND HUYỆN TAM NÔNG"], [TITLE], ["Tam Nông, ngày 05 tháng 7 năm 2024"]]
REVENUE = "Tổng thu ngân sách nhà nước trên địa bàn"
INSURED = "Tỷ lệ dân số tham gia bảo hiểm y tế"


def _two_ytd(second_header: str = "Lũy kế 6 tháng (số điều chỉnh)", revenue=(371.3, 380.5), insured=(93.6, 93.6)):
    return xlsx(
        [
            *HEAD,
            ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Lũy kế 6 tháng", second_header],
            [1, REVENUE, "Tỷ đồng", 805, *revenue],
            [2, INSURED, "%", 94.5, *insured],
        ]
    )


def _figures(prep) -> list[tuple]:
    frame = prep.observations
    frame = frame[frame["kind"] != "plan"]
    return sorted(zip(frame["key"], frame["kind"], frame["vintage"], frame["value"], frame["cell"], strict=True))


def test_two_year_to_date_columns_that_differ_hold_the_file_and_say_each_figure(con, cfg):
    prep = prepare(con, _two_ytd(), "hai-cot-luy-ke.xlsx", ImportOptions(), cfg)
    assert prep.awaiting_decision and prep.needs("use_columns")
    (held,) = prep.errors
    assert held.code == "same_meaning_differ" and held.cell == "E5"
    assert "E «Lũy kế 6 tháng», F «Lũy kế 6 tháng (số điều chỉnh)»" in held.message
    assert "lũy kế từ đầu năm (đến quý 2)" in held.message
    assert f"dòng 5 «{REVENUE}»: cột E ghi 371,3, cột F ghi 380,5" in held.message
    assert "dòng 6" not in held.message  # 93,6 in both: no disagreement there
    (choice,) = column_choices(prep.issues)
    assert choice.columns == (("E", "Lũy kế 6 tháng"), ("F", "Lũy kế 6 tháng (số điều chỉnh)"))
    assert choice.chosen is None


def test_the_chosen_column_is_the_only_one_stored(con, cfg):
    prep = prepare(con, _two_ytd(), "hai-cot-luy-ke.xlsx", ImportOptions(use_columns=("F",)), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert _figures(prep) == [("CT02", "ytd", "official", 380.5, "F5"), ("CT08", "ytd", "official", 93.6, "F6")]
    assert [i.code for i in prep.warnings if i.code.startswith("same_")] == ["same_meaning_chosen"]
    assert column_choices(prep.issues)[0].chosen == "F"


def test_a_letter_of_no_such_group_lifts_nothing(con, cfg):
    prep = prepare(con, _two_ytd(), "hai-cot-luy-ke.xlsx", ImportOptions(use_columns=("D",)), cfg)
    assert [i.code for i in prep.errors] == ["same_meaning_differ"]


def test_a_header_written_twice_with_the_same_figures_is_one_column(con, cfg):
    data = _two_ytd("Lũy kế 6 tháng", revenue=(371.3, 371.3))
    prep = prepare(con, data, "tieu-de-lap.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert _figures(prep) == [("CT02", "ytd", "official", 371.3, "E5"), ("CT08", "ytd", "official", 93.6, "E6")]


def test_a_row_only_the_second_column_fills_keeps_its_figure(con, cfg):
    data = _two_ytd("Lũy kế 6 tháng", revenue=(None, 371.3))
    prep = prepare(con, data, "cot-thu-hai-bu.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert _figures(prep) == [("CT02", "ytd", "official", 371.3, "F5"), ("CT08", "ytd", "official", 93.6, "E6")]


def test_two_groups_each_asked_and_each_chosen(con, cfg):
    rows = [
        *HEAD,
        ["Chỉ tiêu", "ĐVT", "Thực hiện quý II", "Thực hiện quý II (bổ sung)", "Lũy kế 6 tháng", "Lũy kế 6 tháng"],
        [REVENUE, "Tỷ đồng", 211.0, 215.5, 371.3, 375.8],
    ]
    data = xlsx(rows)
    prep = prepare(con, data, "hai-nhom.xlsx", ImportOptions(), cfg)
    assert [i.code for i in prep.errors] == ["same_meaning_differ"] * 2
    assert [c.columns[0][0] for c in column_choices(prep.issues)] == ["C", "E"]
    half = prepare(con, data, "hai-nhom.xlsx", ImportOptions(use_columns=("D",)), cfg)
    assert [i.code for i in half.errors] == ["same_meaning_differ"]
    both = prepare(con, data, "hai-nhom.xlsx", ImportOptions(use_columns=("D", "E")), cfg)
    assert not both.refused, [i.text() for i in both.errors]
    assert _figures(both) == [("CT02", "quarter", "official", 215.5, "D5"), ("CT02", "ytd", "official", 371.3, "E5")]


def test_an_estimate_beside_the_official_figure_is_no_conflict(con, cfg):
    rows = [
        *HEAD,
        ["Chỉ tiêu", "ĐVT", "KH năm", "Thực hiện 6 tháng", "Ước thực hiện cả năm"],
        [REVENUE, "Tỷ đồng", 805, 371.3, 790.0],
    ]
    prep = prepare(con, xlsx(rows), "uoc-ca-nam.xlsx", ImportOptions(), cfg)
    assert "same_meaning_differ" not in {i.code for i in prep.issues}
    assert [(k, kind) for k, kind, *_ in _figures(prep)] == [("CT02", "year_estimate"), ("CT02", "ytd")]


def test_communes_under_one_meaning_are_each_their_own_figure(con, cfg):
    """Units named in the last header row, under «Lũy kế 6 tháng» (before: only a parent header
    named a unit; the three columns were one subject's three figures, 3, 2 or 18 counting)."""
    rows = [
        *HEAD,
        ["Chỉ tiêu", "ĐVT", "Lũy kế 6 tháng", None, None],
        [None, None, "Xã Hiền Quan", "Xã Thanh Uyên", "Toàn huyện"],
        ["Số khu dân cư đạt khu nông thôn mới kiểu mẫu (lũy kế)", "Khu", 3, 2, 18],
    ]
    prep = prepare(con, xlsx(rows, merges=["C4:E4", "A4:A5", "B4:B5"]), "theo-xa.xlsx", ImportOptions(), cfg)
    assert "same_meaning_differ" not in {i.code for i in prep.issues}
    subjects = sorted(prep.observations["subject"])
    assert subjects == ["UBND huyện Tam Nông", "Xã Hiền Quan", "Xã Thanh Uyên"], [i.text() for i in prep.issues]


@pytest.mark.parametrize(
    ("written", "unit"), [("TT Hưng Hóa", "Thị trấn Hưng Hóa"), ("TT. Hưng Hóa", "Thị trấn Hưng Hóa")]
)
def test_a_commune_column_named_by_its_abbreviation_is_that_commune(con, cfg, written, unit):
    """«TT Hưng Hóa» (thị trấn, ``data/abbreviations.csv``) was no unit: its column was read as the
    district's own figure, the file held between it and «Toàn huyện», and choosing it would have
    stored the district's revenue as one town's (round 11, f05b)."""
    rows = [
        *HEAD,
        ["Chỉ tiêu", "ĐVT", "Lũy kế 6 tháng", None, None],
        [None, None, written, "Xã Thanh Uyên", "Toàn huyện"],
        [REVENUE, "Tỷ đồng", 60.0, 35.0, 371.3],
    ]
    prep = prepare(con, xlsx(rows, merges=["C4:E4", "A4:A5", "B4:B5"]), "theo-xa.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    got = dict(zip(prep.observations["subject"], prep.observations["value"], strict=True))
    assert got == {unit: 60.0, "Xã Thanh Uyên": 35.0, "UBND huyện Tam Nông": 371.3}


def test_two_plan_columns_are_only_compared(con, cfg):
    rows = [
        *HEAD,
        ["Chỉ tiêu", "ĐVT", "Kế hoạch năm", "Kế hoạch năm (điều chỉnh)", "Lũy kế 6 tháng"],
        [REVENUE, "Tỷ đồng", 805, 820, 371.3],
    ]
    prep = prepare(con, xlsx(rows), "hai-cot-ke-hoach.xlsx", ImportOptions(), cfg)
    assert "same_meaning_differ" not in {i.code for i in prep.issues}
    assert _figures(prep) == [("CT02", "ytd", "official", 371.3, "E5")]


def _stored(cfg) -> list[tuple]:
    con = open_database(cfg)
    try:
        return con.execute("SELECT key, value, cell FROM observations WHERE kind = 'ytd' ORDER BY key").fetchall()
    finally:
        con.close()


def test_cli_holds_then_stores_the_chosen_column(con, cfg, tmp_path):
    con.close()
    path = tmp_path / "hai-cot-luy-ke.xlsx"
    path.write_bytes(_two_ytd())
    args = ["ingest", str(path), "--db", str(cfg.db_path)]
    assert main(args) == 1
    assert _stored(cfg) == []
    assert main([*args, "--use-column", "f"]) == 0
    assert _stored(cfg) == [("CT02", 380.5, "F5"), ("CT08", 93.6, "F6")]


@pytest.mark.usefixtures("server_machine")
def test_upload_page_asks_which_column_counts(con, cfg, monkeypatch):
    import streamlit as st

    con.close()
    monkeypatch.setenv("KPI_DB", str(cfg.db_path))
    monkeypatch.chdir(PROJECT)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT / "views/upload.py"), default_timeout=120).run()
    at.file_uploader(key="up_files").set_value([("hai-cot-luy-ke.xlsx", _two_ytd(), XLSX)]).run()
    shown = texts(at)
    assert "Chờ bạn quyết định" in shown and "cột E ghi 371,3, cột F ghi 380,5" in shown
    assert not [b for b in at.button if b.key and b.key.startswith("up_save_")]
    radio = next(r for r in at.radio if r.key and r.key.startswith("up_columns_"))
    assert radio.options == ["Chọn…", "Cột E «Lũy kế 6 tháng»", "Cột F «Lũy kế 6 tháng (số điều chỉnh)»"]
    radio.set_value("E").run()
    assert "dùng cột E theo lựa chọn khi tải lên" in texts(at)
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("up_save_"))).click().run()
    assert not at.exception
    assert _stored(cfg) == [("CT02", 371.3, "E5"), ("CT08", 93.6, "E6")]
