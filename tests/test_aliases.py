"""A name taught once (issue 13, section 4): through the command line (held → alias → the file and a
later one → rebuild) and through the upload page (AppTest)."""

from __future__ import annotations

import pytest

from kpi.aliases import add_alias, list_aliases, remove_alias, unmatched_names
from kpi.errors import PlanError
from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.catalogue import load_catalogue
from tests.support.cli import kpi
from tests.support.register_layouts import report_with
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

NAME = "Tỷ lệ hộ nghèo khu vực nông thôn"


def first_quarter() -> bytes:
    """A first-quarter report naming CT06a otherwise (``NAME``, 2.1): held until the name is taught."""
    return report_with([("Tổng thu NSNN", 160.2), (NAME, 2.1)])


def second_quarter() -> bytes:
    """A later report (the second quarter, 1.9) naming CT06a as the first did."""
    return xlsx(
        [
            ["BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU QUÝ II NĂM 2024"],
            ["Kỳ báo cáo: Quý II/2024"],
            ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý II"],
            [1, NAME, "%", 1.9],
        ]
    )


def _ct06a(db) -> list:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return _ct06a_in(con)
    finally:
        con.close()


def _ct06a_in(con) -> list:
    return con.execute(
        "SELECT o.quarter, o.value FROM observations o JOIN submissions s USING (submission_id) "
        "WHERE s.status = 'active' AND o.key = 'CT06a' ORDER BY o.quarter"
    ).fetchall()


def test_alias_round_trip_on_the_command_line(tmp_path):
    db = tmp_path / "kpi.duckdb"
    q1 = tmp_path / "q1.xlsx"
    q1.write_bytes(first_quarter())
    held = kpi("ingest", q1, db=db)
    assert held.returncode == 1 and NAME in held.stderr and "--accept-unmatched" in held.stderr
    taught = kpi("alias", "add", "--kind", "indicator", NAME, "CT06a", db=db)
    assert taught.returncode == 0, taught.stderr
    assert kpi("ingest", q1, db=db).returncode == 0
    q2 = tmp_path / "q2.xlsx"
    q2.write_bytes(second_quarter())
    assert kpi("ingest", q2, db=db).returncode == 0
    assert _ct06a(db) == [(1, 2.1), (2, 1.9)]
    twice = kpi("alias", "add", "--kind", "indicator", NAME, "CT06b", db=db)
    assert twice.returncode == 1 and "hai chỉ tiêu" in twice.stderr
    listed = kpi("alias", "list", db=db)
    assert NAME in listed.stdout and "CT06a" in listed.stdout
    assert kpi("rebuild", db=db).returncode == 0
    assert _ct06a(db) == [(1, 2.1), (2, 1.9)]  # the alias replayed before the files read with it
    assert kpi("alias", "remove", "--kind", "indicator", NAME, db=db).returncode == 0
    assert "Chưa có tên nào" in kpi("alias", "list", db=db).stdout


def test_kind_is_asked_on_the_command_line(tmp_path):
    db = tmp_path / "kpi.duckdb"
    mixed = tmp_path / "mixed.xlsx"
    rows = [["BẢNG TỔNG HỢP"], [], ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"]]
    rows += [[1, "Tổng thu ngân sách nhà nước", "tỷ đồng", 160.2], [2, "Tỷ lệ hộ nghèo", "%", 2.0]]
    rows += [[3, "Bằng khen của Chủ tịch UBND tỉnh", "", 5], [4, "Cờ thi đua của Chính phủ", "", 1]]
    mixed.write_bytes(xlsx(rows))
    refused = kpi("ingest", mixed, "--period", "2024-Q1", db=db)
    assert refused.returncode == 1 and "--kind" in refused.stderr and "danh sách khen thưởng" in refused.stderr
    # read as a report, its award rows are close to award indicators: held until accepted
    chosen = kpi("ingest", mixed, "--period", "2024-Q1", "--kind", "report", db=db)
    assert chosen.returncode == 1 and "«Cờ thi đua của Chính phủ» gần giống" in chosen.stderr
    assert kpi("ingest", mixed, "--period", "2024-Q1", "--kind", "report", "--accept-unmatched", db=db).returncode == 0


def test_alias_that_would_match_two_things_is_refused(con, cfg):
    with pytest.raises(PlanError, match="hai danh hiệu"):
        add_alias(con, ACTOR, "award", "CSTĐ cơ sở", "Chiến sĩ thi đua cấp tỉnh")
    add_alias(con, ACTOR, "award", "Danh hiệu CSTĐ xã", "Chiến sĩ thi đua cơ sở", file_name="kt.xlsx")
    with pytest.raises(PlanError):
        add_alias(con, ACTOR, "award", "danh hiệu CSTĐ xã", "Chiến sĩ thi đua cấp tỉnh")
    frame = list_aliases(con)
    assert list(frame["written"]) == ["Danh hiệu CSTĐ xã"] and frame["file_name"].iloc[0] == "kt.xlsx"
    audit = con.execute("SELECT action FROM audit_log WHERE action LIKE 'alias%'").fetchall()
    assert audit == [("alias_add",)]
    remove_alias(con, ACTOR, "award", "Danh hiệu CSTĐ xã")
    assert list_aliases(con).empty


def test_unmatched_names_offer_the_best_guess_first(con, cfg):
    prep = prepare(con, first_quarter(), "q1.xlsx", ImportOptions(), cfg)
    asked = unmatched_names(prep, load_catalogue(con, 2024))
    assert [u.written for u in asked] == [NAME]
    assert asked[0].choices[0][0] == "CT06a"


@pytest.mark.usefixtures("app_env", "server_machine")
def test_alias_taught_in_the_upload_preview_serves_later_files_and_rebuild(con, cfg):
    import streamlit as st

    from kpi.bootstrap import open_database
    from kpi.ingest import commit
    from kpi.rebuild import rebuild
    from tests.support.apptest import XLSX, texts, upload_page

    at = upload_page(con)
    at.file_uploader(key="up_files").set_value([("q1.xlsx", first_quarter(), XLSX)]).run()
    assert "giữ lại chờ quyết định" in texts(at)
    assert not [b for b in at.button if b.key and b.key.startswith("up_save_")]
    box = next(s for s in at.selectbox if s.key and s.key.startswith("up_alias_"))
    assert box.options[0].startswith("CT06a")  # the best guess first
    box.set_value("CT06a").run()
    next(b for b in at.button if b.key and b.key.startswith("up_alias_save_")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    save = [b for b in at.button if b.key and b.key.startswith("up_save_")]
    assert save, texts(at)  # read again with the alias: nothing held any more
    save[0].click().run()
    assert not at.exception
    con = open_database(cfg)
    try:
        later = second_quarter()
        prep = prepare(con, later, "q2.xlsx", ImportOptions(), cfg)
        assert not prep.refused and set(prep.observations["key"]) == {"CT06a"}
        commit(con, prep, later, ACTOR, cfg)
        taught = list_aliases(con)
        assert list(taught["written"]) == [NAME] and taught["file_name"].iloc[0] == "q1.xlsx"
        assert _ct06a_in(con) == [(1, 2.1), (2, 1.9)]
    finally:
        con.close()
    st.cache_resource.clear()  # the page's connection: rebuild needs the file to itself
    import gc

    gc.collect()
    rebuild(cfg, ACTOR)
    con = open_database(cfg)
    try:
        assert _ct06a_in(con) == [(1, 2.1), (2, 1.9)]
        assert list(list_aliases(con)["written"]) == [NAME]
    finally:
        con.close()


@pytest.mark.usefixtures("app_env", "server_machine")
def test_admin_lists_and_removes_a_taught_name_with_the_audit_log(con, cfg):
    import streamlit as st

    from kpi.bootstrap import open_database
    from tests.support.apptest import run

    add_alias(con, ACTOR, "unit", "Trường TH Hưng Hóa", "Thị trấn Hưng Hóa", file_name="dk.xlsx")
    con.close()
    try:
        admin = run("views/admin.py")
        shown = next(t.value for t in admin.table if "Tên trong tệp" in t.value.columns)  # a table that wraps
        # its cells escaped for Markdown (the page shows «dk.xlsx»)
        assert list(shown["Tên trong tệp"]) == ["Trường TH Hưng Hóa"] and list(shown["Từ tệp"]) == [r"dk\.xlsx"]
        admin.selectbox(key="adm_alias_gone").set_value(("unit", "Trường TH Hưng Hóa")).run()
        admin.button(key="adm_alias_remove").click().run()
        assert not admin.exception, [e.value for e in admin.exception]
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
    con = open_database(cfg)
    try:
        assert list_aliases(con).empty
        actions = [
            a
            for (a,) in con.execute(
                "SELECT action FROM audit_log WHERE action LIKE 'alias%' ORDER BY logged_at"
            ).fetchall()
        ]
        assert actions == ["alias_add", "alias_remove"]
    finally:
        con.close()


@pytest.mark.usefixtures("app_env", "server_machine")
def test_preview_asks_the_kind_then_to_save_without_the_rows(con, cfg):
    import streamlit as st

    from tests.support.apptest import XLSX, texts, upload_page

    rows = [["BẢNG TỔNG HỢP QUÝ I NĂM 2024"], ["Kỳ báo cáo: Quý I/2024"], ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"]]
    rows += [[1, "Tổng thu ngân sách nhà nước", "tỷ đồng", 160.2], [2, "Tỷ lệ hộ nghèo", "%", 2.0]]
    rows += [[3, "Bằng khen của Chủ tịch UBND tỉnh", "", 5], [4, "Cờ thi đua của Chính phủ", "", 1]]
    try:
        at = upload_page(con)
        at.file_uploader(key="up_files").set_value([("mixed.xlsx", xlsx(rows), XLSX)]).run()
        assert "Chưa chắc tệp này là loại nào" in texts(at)
        kind = next(s for s in at.selectbox if s.key and s.key.startswith("up_kind_"))
        kind.set_value("report").run()
        assert "giữ lại chờ quyết định" in texts(at)  # the award rows are close to award indicators
        assert not [b for b in at.button if b.key and b.key.startswith("up_save_")]
        next(c for c in at.checkbox if c.key and c.key.startswith("up_accept_")).check().run()
        save = [b for b in at.button if b.key and b.key.startswith("up_save_")]
        assert save, texts(at)
        save[0].click().run()
        assert not at.exception, [e.value for e in at.exception]
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
    from kpi.bootstrap import open_database

    con = open_database(cfg)
    try:
        assert con.execute("SELECT file_kind, status FROM submissions").fetchall() == [("report", "active")]
        kept = con.execute("SELECT options FROM import_log WHERE action = 'ingest'").fetchall()[0][0]
        assert '"kind": "report"' in kept and '"accept_unmatched": true' in kept  # rebuild decides the same
    finally:
        con.close()


def test_an_award_lists_unit_is_asked_at_the_cell_it_was_read_from(con, cfg):
    """«Đây là đơn vị: …» names the unit column's cell (D4), where «Trường Tiểu học Hưng Hóa 9»
    is written, not the recipient's (B4): the clerk looks there and finds a person's name."""
    from tests.support.register_layouts import TITLE

    unit = "Trường Tiểu học Hưng Hóa 9"
    rows = [
        [TITLE],
        [],
        ["STT", "Họ và tên", "Tập thể/Cá nhân", "Cơ quan, đơn vị", "Hình thức khen thưởng", "Số quyết định"],
        [1, "Nguyễn Văn An", "Cá nhân", unit, "Chiến sĩ thi đua cơ sở", "12/QĐ-UBND"],
        [2, "Trần Thị Bình", "Cá nhân", unit, "Chiến sĩ thi đua cơ sở", "12/QĐ-UBND"],
    ]
    prep = prepare(con, xlsx(rows), "khen.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "awards"
    [asked] = [u for u in unmatched_names(prep, load_catalogue(con, 2024)) if u.kind == "unit"]
    assert (asked.written, asked.cells) == (unit, ("D4", "D5"))
