"""Issue 16, finding 3: impossible facts are held for a decision, never stored silently.

A document date after today or before the report's year, a period that cannot exist ("Quý V",
"tháng 13", "năm 1900"), a title that contradicts the columns: the file is not stored until the
clerk fixes it or decides (the upload page's boxes, ``--period`` / ``--document-date`` on the
command line), and the preview names the cell. A date in 2099 never outranks a later correction.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from kpi.cli import main
from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from tests.support import broken
from tests.support.paths import PROJECT
from tests.support.sheets import xlsx

#: The pages are opened on the server machine itself (set-up mode lets only it write; conftest).
pytestmark = pytest.mark.usefixtures("server_machine")

REFERENCE = "(Kèm theo Báo cáo số 52/BC-TCKH ngày {} của Phòng Tài chính - Kế hoạch)"


def q1(date: str = "05/4/2024", title: str = broken.TITLE, ct01: float = 520.4) -> bytes:
    """The Q1 report of tests.support.broken with another document date, title or CT01 figure."""
    rows = broken.q1_rows(title=title)
    rows[4] = [REFERENCE.format(date)]
    rows[7][4] = rows[7][5] = ct01
    return xlsx(rows)


def active(con) -> list[tuple]:
    return con.execute(
        "SELECT file_name, doc_date FROM submissions WHERE status = 'active' ORDER BY submission_id"
    ).fetchall()


def ct01(con) -> float:
    return con.execute(
        "SELECT o.value FROM observations o JOIN submissions s USING (submission_id) "
        "WHERE s.status = 'active' AND o.key = 'CT01' AND o.kind = 'ytd'"
    ).fetchall()[0][0]


def ingest_cli(cfg, tmp_path, name: str, data: bytes, *options: str) -> int:
    path = tmp_path / name
    path.write_bytes(data)
    return main(["ingest", str(path), "--db", str(cfg.db_path), *options])


def test_a_future_date_is_held_and_never_outranks_a_later_correction(con, cfg, tmp_path, capsys):
    con.close()  # the command line opens the file itself
    assert ingest_cli(cfg, tmp_path, "sai-ngay.xlsx", q1("05/4/2099")) == 1
    err = capsys.readouterr().err
    assert "ô A5" in err and "05/04/2099 ở tương lai" in err and "--document-date" in err
    # the correction of 20 May comes in: it is what counts
    assert ingest_cli(cfg, tmp_path, "dinh-chinh.xlsx", q1("20/5/2024", ct01=530.0)) == 0
    # the first file again, its date decided: it is older than the correction, kept as history
    assert ingest_cli(cfg, tmp_path, "sai-ngay.xlsx", q1("05/4/2099"), "--document-date", "2024-04-05") == 0
    from kpi.bootstrap import open_database

    con = open_database(cfg)
    try:
        assert active(con) == [("dinh-chinh.xlsx", dt.date(2024, 5, 20))]
        assert ct01(con) == pytest.approx(530.0)
        stored = con.execute("SELECT doc_date, options FROM submissions WHERE file_name = 'sai-ngay.xlsx'").fetchall()
        assert stored[0][0] == dt.date(2024, 4, 5) and '"doc_date": "2024-04-05"' in stored[0][1]
    finally:
        con.close()


def test_an_undated_decision_ranks_below_every_dated_version(con, cfg, tmp_path, capsys):
    con.close()
    assert ingest_cli(cfg, tmp_path, "dung.xlsx", q1("05/4/2024")) == 0
    assert ingest_cli(cfg, tmp_path, "sai.xlsx", q1("05/4/2099", ct01=999.0), "--document-date", "none") == 0
    out = capsys.readouterr().out
    assert "Bản cũ hơn bản đang dùng" in out
    from kpi.bootstrap import open_database

    for rebuilt in (False, True):  # the decision is in the import log: a rebuild replays it
        if rebuilt:
            assert main(["rebuild", "--db", str(cfg.db_path)]) == 0
        con = open_database(cfg)
        try:
            assert active(con) == [("dung.xlsx", dt.date(2024, 4, 5))]
            undated = con.execute("SELECT doc_date, status FROM submissions WHERE file_name = 'sai.xlsx'").fetchall()
            assert undated == [(None, "superseded")]
        finally:
            con.close()


def test_a_decided_date_is_checked_too_and_its_format_named(con, cfg, tmp_path, capsys):
    con.close()
    data = q1("05/4/2099")
    assert ingest_cli(cfg, tmp_path, "a.xlsx", data, "--document-date", "2099-01-01") == 1
    assert "Ngày văn bản đã chọn 01/01/2099 ở tương lai" in capsys.readouterr().err
    assert ingest_cli(cfg, tmp_path, "a.xlsx", data, "--document-date", "5/4/2024") == 1
    assert "không đúng dạng" in capsys.readouterr().err


@pytest.mark.parametrize(
    "date,code",
    [("05/4/1900", "doc_date_before_year"), ("31/12/2023", "doc_date_before_year"), ("05/4/2099", "doc_date_future")],
)
def test_impossible_document_dates_are_held_with_their_cell(con, cfg, date, code):
    prep = prepare(con, q1(date), "q1.xlsx", ImportOptions(), cfg)
    assert [(e.code, e.cell) for e in prep.errors] == [(code, "A5")]
    assert prep.needs("doc_date") and prep.refused


def test_the_date_rule_at_its_edges():
    from kpi.reading.report_sheets import check_dates

    today = dt.date(2024, 6, 30)
    assert check_dates(today, 2024, "A5", "S", False, today) == []
    assert check_dates(dt.date(2024, 1, 1), 2024, "A5", "S", False, today) == []
    assert [i.code for i in check_dates(dt.date(2024, 7, 1), 2024, "A5", "S", False, today)] == ["doc_date_future"]
    before = check_dates(dt.date(2023, 12, 31), 2024, "A5", "S", False, today)
    assert [i.code for i in before] == ["doc_date_before_year"]


@pytest.mark.parametrize(
    "title,words",
    [
        ("BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ V NĂM 2024", "quý V"),
        ("BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ 0 NĂM 2024", "quý 0"),
        ("BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU THÁNG 13 NĂM 2024", "tháng 13"),
        ("BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ I NĂM 1900", "năm 1900"),
        ("BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ I/2099", "năm 2099"),
    ],
)
def test_a_period_that_does_not_exist_is_held_until_the_period_is_chosen(con, cfg, title, words):
    prep = prepare(con, q1(title=title), "q1.xlsx", ImportOptions(), cfg)
    assert [(e.code, e.cell) for e in prep.errors] == [("impossible_period", "A4")]
    assert f"«{words}»" in prep.errors[0].message and "--period" in prep.errors[0].message
    chosen = prepare(con, q1(title=title), "q1.xlsx", ImportOptions(period="2024-Q1"), cfg)
    assert not chosen.refused and chosen.quarter == 1
    assert "impossible_period" in [i.code for i in chosen.warnings]


def test_real_periods_are_not_held(con, cfg):
    for title in (
        "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ IV VÀ CẢ NĂM 2024",
        "BÁO CÁO 9 THÁNG ĐẦU NĂM 2024 (THÁNG 9/2024)",
        "BÁO CÁO QUÝ I NĂM 2024 THEO NGHỊ QUYẾT SỐ 12/NQ-HĐND NĂM 2020",
        "BÁO CÁO QUÝ I/2024 (QUYẾT ĐỊNH SỐ 12/1998/QĐ-UB)",
    ):
        prep = prepare(con, q1(title=title), "q.xlsx", ImportOptions(period="2024-Q1"), cfg)
        assert not [i for i in prep.issues if i.code == "impossible_period"], title


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_upload_page_shows_the_held_date_on_top_and_stores_only_after_a_choice(con, cfg, monkeypatch):

    import streamlit as st

    monkeypatch.setenv("KPI_DB", str(cfg.db_path))
    monkeypatch.chdir(PROJECT)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT / "views/upload.py"), default_timeout=90).run()
    at.file_uploader(key="up_files").set_value([("sai-ngay.xlsx", q1("05/4/2099"), XLSX)]).run()
    assert not at.exception
    assert not at.error  # held for a choice, not refused: said "waiting for you", its refusal not logged
    top = at.warning[0].value.replace("\\", "")
    assert "Chưa lưu: cần bạn quyết định" in top and "ô A5" in top and "05/04/2099" in top
    assert any("Chờ bạn quyết định" in m.value for m in at.markdown)
    assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'refuse'").fetchone()[0] == 0
    assert not [b for b in at.button if b.key and b.key.startswith("up_save_")]
    at.date_input(key=next(d.key for d in at.date_input if d.key.startswith("up_date_"))).set_value(
        dt.date(2024, 4, 5)
    ).run()
    assert not at.exception and not at.error
    save = [b for b in at.button if b.key and b.key.startswith("up_save_")]
    save[0].click().run()
    assert con.execute("SELECT doc_date FROM submissions").fetchall() == [(dt.date(2024, 4, 5),)]
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize(
    "title", ["CÁC CHỈ TIÊU QUÝ V NĂM 2024", "CÁC CHỈ TIÊU QUÝ 5 NĂM 2024", "CÁC CHỈ TIÊU THÁNG 13 NĂM 2024"]
)
def test_an_impossible_period_in_the_title_is_never_read_as_the_years_report(con, cfg, app_env, title):
    """A title naming "Quý V" (and no column naming a quarter) was taken for a title with only a
    year — a year's report, Quý IV — so the upload page's status line said "Quý IV/2024" above the
    message saying «quý V» does not exist. No period is read from it: the status line names none,
    and the one message is the held period's (not "no period found" besides)."""
    header = [*broken.HEADER[:4], "Thực hiện trong quý", broken.HEADER[5]]
    data = xlsx(broken.q1_rows(header=header, title="BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN " + title))
    prep = prepare(con, data, "q.xlsx", ImportOptions(), cfg)
    assert (prep.quarter, prep.period) == (None, "")
    assert [i.code for i in prep.errors] == ["impossible_period"]
    con.close()  # the page opens the database itself
    at = AppTest.from_file("../views/upload.py", default_timeout=90).run()
    at.file_uploader(key="up_files").set_value([("q.xlsx", data, XLSX)]).run()
    assert not at.exception
    status = next(m.value for m in at.markdown if m.value.startswith("#### "))
    assert "Chưa lưu" in at.warning[0].value and "Quý" not in status and "Năm 2024" not in status, status


def test_a_name_close_to_the_plans_is_held_naming_the_plans_indicator_not_its_key(con, cfg):
    """Black-box round 3 (December 2026): «… gần giống CT01 / CT03 / CT04 nhưng không khớp» —
    the clerk does not know the keys; the message names the plan's indicator."""
    from tests.support.ledger import report

    body = [
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 2438.3],
        [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 566.5],
        [3, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94.1],
        [4, "GTSP/ha đất canh tác & NTTS", "Tr.đ/ha", 110.5],
    ]
    prep = prepare(
        con, report(2024, "9 THÁNG", "Lũy kế 9 tháng", body, "10/10/2024"), "viet-tat.xlsx", ImportOptions(), cfg
    )
    said = " ".join(i.text() for i in prep.errors)
    assert "gần giống «Giá trị sản phẩm bình quân trên 1 ha đất canh tác và nuôi trồng thủy sản»" in said, said
    assert "CT03" not in said
