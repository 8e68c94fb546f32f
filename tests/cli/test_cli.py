"""The command line as a user runs it: real processes, a real database file."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import kpi
from tests.support.ledger import AFTER_ALL, AFTER_Q1
from tests.support.samples import SAMPLE_FILES, SAMPLES
from tests.support.sheets import report_rows, xlsx


def samples(*names):
    return [SAMPLES / SAMPLE_FILES[n] for n in names]


@pytest.fixture
def db(tmp_path):
    return tmp_path / "cli.duckdb"


def test_ingest_then_report_json_gives_both_readme_tables(db):
    done = kpi("ingest", *samples("q1"), db=db)
    assert done.returncode == 0, done.stderr
    assert "Kỳ báo cáo: Quý I/2024" in done.stdout and "Dòng khớp chỉ tiêu: 14" in done.stdout
    q1 = {
        r["key"]: r
        for r in json.loads(
            kpi("report", "--year", "2024", "--quarter", "1", "--format", "json", db=db, check=True).stdout
        )
    }
    for key, (actual, basis, pct, status) in AFTER_Q1.items():
        assert (q1[key]["actual"], q1[key]["basis"], q1[key]["attainment_pct"], q1[key]["status"]) == (
            actual,
            basis,
            pct,
            status,
        ), key

    done = kpi("ingest", *samples("h1", "q3", "registrations", "awards"), db=db)
    assert done.returncode == 0, done.stderr
    rows = json.loads(kpi("report", "--year", "2024", "--format", "json", db=db, check=True).stdout)
    assert [r["key"] for r in rows] == list(AFTER_ALL)
    for r in rows:
        assert {
            "key",
            "group",
            "name",
            "unit",
            "target",
            "actual",
            "basis",
            "period",
            "attainment_pct",
            "status",
        } <= r.keys()
        actual, basis, period, pct, status = AFTER_ALL[r["key"]]
        assert (r["actual"], r["basis"], r["period"], r["attainment_pct"], r["status"]) == (
            actual,
            basis,
            period,
            pct,
            status,
        ), r["key"]
    by_key = {r["key"]: r for r in rows}
    assert by_key["TD09"]["target"] == [45, 55] and by_key["CT01"]["target"] == 3300.9
    assert by_key["CT01"]["group"] == "economic" and by_key["TD01"]["group"] == "awards"

    table = kpi("report", "--year", "2024", db=db, check=True).stdout
    assert "Quý III/2024 – lũy kế 9 tháng" in table and "2.438,3" in table and "Chậm tiến độ" in table
    # the figure's period in words in the table; the JSON keeps the machine's label
    ct01 = next(line for line in table.splitlines() if line.lstrip().startswith("CT01"))
    assert "Quý III/2024" in ct01 and "2024-Q3" not in table and by_key["CT01"]["period"] == "2024-Q3"
    # a year-end estimate judged alone says so, an award count its year, names cut between words
    # (black-box: «125,0 (ước) | Quý II/2024» read as a half-year figure; «canh tá», «Bằng khe»)
    ct03 = next(line for line in table.splitlines() if line.lstrip().startswith("CT03"))
    td09 = next(line for line in table.splitlines() if line.lstrip().startswith("TD09"))
    assert "ước cả năm, báo cáo 6 tháng" in ct03 and "Quý II" not in ct03 and "Năm 2024" in td09
    assert "thủy sản" in table or "…" in ct03
    assert not [w for w in ("canh tá ", "Bằng khe ", "cấp hu ", "lao độn ") if w in table]
    csv = kpi("report", "--year", "2024", "--format", "csv", db=db, check=True).stdout
    assert csv.splitlines()[0].startswith("key,group,name,unit,target,actual")


def test_same_bytes_again_change_nothing(db):
    kpi("ingest", *samples("q1"), db=db, check=True)
    again = kpi("ingest", *samples("q1"), db=db)
    assert again.returncode == 0 and "đã có" in again.stdout


def test_refused_file_exit_code_message_and_nothing_stored(db, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx(
            report_rows(
                "BÁO CÁO QUÝ I NĂM 2024",
                ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
                [[1, "Tổng thu ngân sách nhà nước", "Tỷ đồng", "abc"]],
            )
        )
    )
    done = kpi("ingest", bad, *samples("q1"), db=db)
    assert done.returncode == 1
    assert "bị từ chối" in done.stderr and "ô D8" in done.stderr and "«abc» không phải là số" in done.stderr
    assert "Đã lưu «bao-cao-quy-1-2024.xlsx»" in done.stdout  # of several files each is decided alone
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT file_name FROM submissions").fetchall() == [("bao-cao-quy-1-2024.xlsx",)]
    refusals = con.execute("SELECT file_name, detail FROM audit_log WHERE action = 'refuse'").fetchall()
    assert refusals[0][0] == "bad.xlsx" and "D8" in refusals[0][1]
    raw = list((db.parent / "raw").rglob("*.bin"))
    assert len(raw) == 1  # only the accepted file is archived
    con.close()


def test_period_option_and_bad_period(db, tmp_path):
    f = tmp_path / "noperiod.xlsx"
    f.write_bytes(xlsx([["Chỉ tiêu", "ĐVT", "Thực hiện"], ["Tổng thu ngân sách nhà nước", "Tỷ đồng", 160.2]]))
    refused = kpi("ingest", f, db=db)
    assert refused.returncode == 1 and "hãy chọn kỳ báo cáo" in refused.stderr.lower()
    assert kpi("ingest", f, "--period", "2024-Q1", db=db).returncode == 0
    bad = kpi("ingest", f, "--period", "quý 1", db=db)
    assert bad.returncode == 1 and "2024-Q1" in bad.stderr


def test_template_is_written(db, tmp_path):
    out = tmp_path / "mau.xlsx"
    done = kpi("template", "-o", out, "--year", "2024", db=db, check=True)
    assert out.exists() and "mẫu báo cáo năm 2024" in done.stdout
    import openpyxl

    assert openpyxl.load_workbook(out)["Báo cáo"]["A1"].value == "UBND HUYỆN TAM NÔNG"


def test_locked_database_is_named_with_its_process(db):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        done = kpi("report", "--year", "2024", db=db)
        assert done.returncode == 3
        assert str(db) in done.stderr and f"PID {holder.pid}" in done.stderr
        assert "Không có gì bị thay đổi" in done.stderr
        done = kpi("ingest", *samples("q1"), db=db)
        assert done.returncode == 3
    finally:
        holder.kill()
        holder.wait()


def test_rebuild_gives_the_same_report(db):
    kpi("ingest", *samples("q3", "q1", "h1", "awards", "registrations"), db=db, check=True)
    before = kpi("report", "--year", "2024", "--format", "json", db=db, check=True).stdout
    started = time.monotonic()
    done = kpi("rebuild", db=db)
    assert done.returncode == 0, done.stderr
    assert "phát lại 5 mục" in done.stdout
    assert kpi("report", "--year", "2024", "--format", "json", db=db, check=True).stdout == before
    assert time.monotonic() - started < 120
    assert Path(str(db) + ".before-rebuild.1").exists()
