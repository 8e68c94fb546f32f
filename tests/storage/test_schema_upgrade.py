"""A database written at schema version 1 opens with today's code (:mod:`kpi.storage.schema`: the
schema grows by tables): it gains ``replaced_documents``, its ``schema_version`` becomes 2, and not
one of its rows changes. Its reports are looked up by a correction loaded afterwards.

The fixture ``tests/data/schema-v1.duckdb.gz`` is a real database the app wrote at schema version 1
(``tests/data/make_schema_v1_database.py``, run at commit 9498c45): the plans, the original Q1
report «45/BC-TCKH» of 08/04/2024 and its correction «52/BC-TCKH» of 22/04/2024, whose line
«(Thay thế Báo cáo số 45/BC-TCKH …)» that version did not keep.
"""

from __future__ import annotations

import gzip

import duckdb
import openpyxl
import pytest

from kpi.bootstrap import open_database
from kpi.cli import main
from kpi.config import settings
from kpi.ingest import commit, prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.replaced import history_lines
from kpi.storage.schema import SCHEMA_VERSION
from tests.support.paths import PROJECT
from tests.support.samples import ACTOR

FIXTURE = PROJECT / "tests" / "data" / "schema-v1.duckdb.gz"
#: Every table the version-1 file has, and how its rows are read back to compare.
TABLES = ["meta", "plans", "indicators", "submissions", "observations", "issues", "import_log", "audit_log"]


def _rows(path) -> dict[str, list[tuple]]:
    """Every row of :data:`TABLES` (``meta`` without its versions, which opening moves on)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}
        tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()
    rows["meta"] = [r for r in rows["meta"] if "version" not in r]
    return rows | {"tables": sorted(tables)}


@pytest.fixture
def old_file(tmp_path):
    path = tmp_path / "kpi.duckdb"
    path.write_bytes(gzip.decompress(FIXTURE.read_bytes()))
    return path


def test_a_version_1_database_opens_gains_the_table_and_keeps_every_row(old_file):
    before = _rows(old_file)
    assert "replaced_documents" not in before["tables"]
    con = open_database(settings(db_path=old_file))
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
        assert SCHEMA_VERSION == 2
        assert con.execute("SELECT count(*) FROM replaced_documents").fetchone() == (0,)
        statuses = con.execute("SELECT file_name, doc_number, status FROM submissions ORDER BY seq").fetchall()
        assert statuses == [
            ("bao-cao-quy-1-goc.xlsx", "45/BC-TCKH", "superseded"),
            ("bao-cao-quy-1-sua.xlsx", "52/BC-TCKH", "active"),
        ]
        # a report stored at version 1 has no link kept: its history says nothing rather than guess
        assert history_lines(con, 2) == [] and history_lines(con, 1) == []
    finally:
        con.close()
    after = _rows(old_file)
    assert {t: r for t, r in after.items() if t != "tables"} == {t: r for t, r in before.items() if t != "tables"}
    assert set(after["tables"]) - set(before["tables"]) == {"replaced_documents"}
    # a second open changes nothing more
    open_database(settings(db_path=old_file)).close()
    assert _rows(old_file) == after


def test_a_correction_loaded_into_an_upgraded_database_finds_the_reports_stored_before(old_file, tmp_path):
    cfg = settings(db_path=old_file)
    con = open_database(cfg)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"] = "UBND HUYỆN TAM NÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH"
    ws["A3"], ws["D3"] = "Số: 60/BC-TCKH", "Tam Nông, ngày 29 tháng 4 năm 2024"
    ws["A5"] = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI QUÝ I NĂM 2024"
    ws["A6"] = "(Thay thế Báo cáo số 52/BC-TCKH ngày 22/4/2024)"
    rows = [
        ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện quý I/2024"],
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 531.0],
        [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, 160.2],
    ]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            ws.cell(8 + i, 1 + j, value)
    wb.save(tmp_path / "sua-2.xlsx")
    data = (tmp_path / "sua-2.xlsx").read_bytes()
    try:
        prep = prepare(con, data, "sua-2.xlsx", ImportOptions(), cfg)
        assert not prep.refused
        assert [c.verdict for c in prep.replaced_checks] == ["found"]
        assert prep.replaced_checks[0].text.startswith(
            "Thay thế báo cáo số 52/BC-TCKH ngày 22/04/2024 (tệp «bao-cao-quy-1-sua.xlsx», lưu ngày "
        )
        commit(con, prep, data, ACTOR, cfg)
        assert history_lines(con, 2)[0][0] == "Được thay bởi"
        assert history_lines(con, 2)[0][1].startswith("báo cáo số 60/BC-TCKH ngày 29/04/2024 — tệp «sua-2.xlsx»")
    finally:
        con.close()


def test_a_version_1_backup_restored_is_upgraded_on_opening(old_file, tmp_path, capsys):
    target = tmp_path / "restored" / "kpi.duckdb"
    assert main(["restore", "--from", str(old_file), "--db", str(target)]) == 0, capsys.readouterr()
    con = open_database(settings(db_path=target))
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)
        assert con.execute("SELECT count(*) FROM submissions").fetchone() == (2,)
        assert con.execute("SELECT count(*) FROM replaced_documents").fetchone() == (0,)
    finally:
        con.close()
