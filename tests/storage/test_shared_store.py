"""Issue 20: the storage subset on both backends — the single DuckDB file and the shared store
(DuckLake on a throwaway PostgreSQL, :mod:`tests.support.postgres`) — and several processes writing the
shared store at once. Marked ``store``: ``pytest -m store``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from kpi.backup import backup_to_file, restore_from_file
from kpi.bootstrap import open_database
from kpi.config import settings
from kpi.ingest import ingest
from kpi.reading.report_sheets import ImportOptions
from kpi.rebuild import rebuild
from kpi.reporting.attainment_report import attainment_report
from kpi.storage.database import data_version, raw_path, scalar
from kpi.storage.replaced import history_lines
from kpi.storage.store import store_version
from kpi.submissions import restore_submission, withdraw_submission
from tests.support.corrections import report
from tests.support.paths import PROJECT
from tests.support.postgres import Backend
from tests.support.samples import ACTOR, SAMPLE_FILES, SAMPLES, load, sample_bytes

pytestmark = pytest.mark.store

#: The report's columns that do not depend on when or in which order files were stored.
JUDGED = ["key", "actual", "attainment_pct", "status", "period"]


def judged(report) -> list[dict]:
    """The report's verdicts as plain values (NaN as None), in the plan's order."""
    frame = report.table[JUDGED].astype(object).where(report.table[JUDGED].notna(), None)
    return frame.to_dict("records")


@pytest.fixture(scope="module")
def single_file_report(tmp_path_factory):
    """The five samples stored in a single file: the report every backend must give."""
    cfg = settings(db_path=tmp_path_factory.mktemp("reference") / "kpi.duckdb")
    con = open_database(cfg)
    load(con, cfg, "q1", "h1", "q3", "registrations", "awards")
    report = judged(attainment_report(con, 2024, None))
    con.close()
    return report


def q1_version(ct01_quarter: float) -> bytes:
    """The Q1 sample with CT01's quarter figure changed: another version of the same series."""
    wb = openpyxl.load_workbook(io.BytesIO(sample_bytes("q1")))
    wb.active["E11"] = ct01_quarter
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_samples_give_the_single_files_report(backend, single_file_report):
    con = open_database(backend.cfg)
    try:
        results = load(con, backend.cfg, "q1", "h1", "q3", "registrations", "awards")
        assert [r.status for r in results] == ["active"] * 5
        assert [r.submission_id for r in results] == [1, 2, 3, 4, 5]  # ids without sequences
        assert judged(attainment_report(con, 2024, None)) == single_file_report
        for sample in ("q1", "awards"):
            sha = scalar(con, "SELECT sha256 FROM submissions WHERE file_name = ?", [SAMPLE_FILES[sample]])
            assert raw_path(backend.cfg.raw_dir, sha).read_bytes() == sample_bytes(sample)
    finally:
        con.close()
    if backend.name == "lake":  # the raw archive and the Parquet files live under the data path
        assert backend.cfg.raw_dir == backend.cfg.data_path / "raw"
        assert list((backend.cfg.data_path / "lake").rglob("*.parquet"))


def test_the_same_bytes_twice_are_stored_once(backend):
    con = open_database(backend.cfg)
    try:
        first, again = load(con, backend.cfg, "q1", "q1")
        assert (first.status, again.status, again.submission_id) == ("active", "duplicate", first.submission_id)
        assert scalar(con, "SELECT count(*) FROM submissions") == 1
    finally:
        con.close()


def test_a_newer_version_supersedes_and_withdrawing_it_brings_the_old_one_back(backend):
    con = open_database(backend.cfg)
    try:
        (first,) = load(con, backend.cfg, "q1")
        _p, second = ingest(con, q1_version(999.0), "q1-v2.xlsx", ACTOR, ImportOptions(), backend.cfg)
        statuses = dict(con.execute("SELECT submission_id, status FROM submissions").fetchall())
        assert statuses == {first.submission_id: "superseded", second.submission_id: "active"}
        withdraw_submission(con, second.submission_id, ACTOR, "gửi nhầm")
        statuses = dict(con.execute("SELECT submission_id, status FROM submissions").fetchall())
        assert statuses == {first.submission_id: "active", second.submission_id: "withdrawn"}
        restore_submission(con, second.submission_id, ACTOR)
        assert scalar(con, "SELECT status FROM submissions WHERE submission_id = ?", [second.submission_id]) == "active"
        seqs = [r[0] for r in con.execute("SELECT seq FROM import_log ORDER BY seq").fetchall()]
        assert seqs == [1, 2, 3, 4]  # ingest, ingest, withdraw, restore: numbered without a sequence
    finally:
        con.close()


def test_the_report_a_correction_replaces_is_kept_and_followed_on_both(backend):
    """:mod:`kpi.storage.replaced` on both: the link kept, looked up, followed by the supersede
    decision (the original sent again on the same day stays history) and told in the history."""
    con = open_database(backend.cfg)
    line = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)"
    try:
        for name, data in (
            ("goc.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4)),
            ("sua.xlsx", report("52/BC-TCKH", "08 tháng 4 năm 2024", 530.1, line)),
            ("goc-2.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4, note="gửi lại")),
        ):
            ingest(con, data, name, ACTOR, ImportOptions(), backend.cfg)
        statuses = con.execute("SELECT file_name, status FROM submissions ORDER BY seq").fetchall()
        assert statuses == [("goc.xlsx", "superseded"), ("sua.xlsx", "active"), ("goc-2.xlsx", "superseded")]
        assert con.execute("SELECT submission_id, doc_number, cell FROM replaced_documents").fetchall() == [
            (2, "45/BC-TCKH", "A6")
        ]
        assert [label for label, _t in history_lines(con, 1)] == ["Được thay bởi"]
        assert history_lines(con, 2)[0][1].startswith("báo cáo số 45/BC-TCKH ngày 08/04/2024 — tệp «goc.xlsx»")
    finally:
        con.close()


def test_every_write_gives_a_new_data_version_and_the_cached_report_follows(backend):
    con = open_database(backend.cfg)
    try:
        before = data_version(con)
        empty = attainment_report(con, 2024, None)
        assert attainment_report(con, 2024, None) is empty  # cached for this version
        load(con, backend.cfg, "q1")
        after = data_version(con)
        assert after > before and store_version(con)[1] == after
        fresh = attainment_report(con, 2024, None)
        assert fresh is not empty and fresh.as_of == 1 and empty.as_of is None
    finally:
        con.close()


def test_a_backup_restores_the_store_as_it_was(backend, single_file_report, tmp_path):
    con = open_database(backend.cfg)
    try:
        load(con, backend.cfg, "q1", "h1", "q3", "registrations", "awards")
        made = backup_to_file(con, tmp_path / "backup.duckdb", ACTOR)
        assert made.counts["submissions"] == 5
        _p, extra = ingest(con, q1_version(600.0), "q1-v2.xlsx", ACTOR, ImportOptions(), backend.cfg)
        assert extra.status == "active"
    finally:
        con.close()
    restored = restore_from_file(backend.cfg, made.path, ACTOR)
    assert restored.counts["submissions"] == 5 and restored.kept_as is not None
    con = open_database(backend.cfg)
    try:
        assert scalar(con, "SELECT count(*) FROM submissions") == 5
        assert judged(attainment_report(con, 2024, None)) == single_file_report
    finally:
        con.close()


def test_rebuild_replays_the_import_log_on_both(backend, single_file_report):
    con = open_database(backend.cfg)
    try:
        load(con, backend.cfg, "q1", "h1", "q3", "registrations", "awards")
    finally:
        con.close()
    result = rebuild(backend.cfg, ACTOR)
    assert result.replayed == 5
    con = open_database(backend.cfg)
    try:
        assert scalar(con, "SELECT count(*) FROM submissions") == 5
        assert judged(attainment_report(con, 2024, None)) == single_file_report
    finally:
        con.close()


# -- several processes on the shared store ------------------------------------------------------

#: One writer process: open the store, read its file, wait until every writer is ready (the start
#: file exists), then store it; prints the outcome as one JSON line.
_WRITER = """
import json, sys, time
from pathlib import Path
from kpi.bootstrap import open_database
from kpi.config import settings
from kpi.ingest import commit, prepare
from kpi.reading.report_sheets import ImportOptions
path, name, start = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
cfg = settings()
con = open_database(cfg)
data = path.read_bytes()
prep = prepare(con, data, name, ImportOptions(), cfg)
Path(str(start) + "." + name + ".ready").touch()
deadline = time.monotonic() + 300
while not start.exists() and time.monotonic() < deadline:
    time.sleep(0.01)
done = commit(con, prep, data, "cli:test", cfg)
print(json.dumps({"id": done.submission_id, "status": done.status}))
"""


def _run_writers(backend, files: list[tuple[Path, str]], tmp_path: Path) -> list[dict]:
    """Start one writer per file, release them together once all are ready, return their outcomes."""
    start = tmp_path / "start"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), name, str(start)],
            cwd=PROJECT,
            env={**backend.environ(), "PYTHONPATH": str(PROJECT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path, name in files
    ]
    deadline = time.monotonic() + 600
    while len(list(tmp_path.glob("start.*.ready"))) < len(files):
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs if p.poll() is not None]
        assert time.monotonic() < deadline, "the writers did not get ready"
        time.sleep(0.05)
    start.touch()
    outcomes = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    return outcomes


@pytest.fixture
def lake(request, tmp_path):
    """The shared store only (several processes cannot open one DuckDB file)."""
    cluster = request.getfixturevalue("postgres")
    db_path = tmp_path / "kpi.duckdb"
    store = "ducklake:postgres:" + cluster.dsn(cluster.new_database())
    shared = tmp_path / "shared"
    cfg = replace(settings(db_path=db_path), store=store, data_path=shared)
    open_database(cfg).close()  # the schema and the plan, as the first server's start would
    return Backend("lake", cfg, {"KPI_DB": str(db_path), "KPI_STORE": store, "KPI_DATA_PATH": str(shared)})


def test_four_processes_store_four_different_reports_each_once(lake, tmp_path, single_file_report):
    names = ["q1", "h1", "q3", "awards"]
    outcomes = _run_writers(lake, [(SAMPLES / SAMPLE_FILES[n], SAMPLE_FILES[n]) for n in names], tmp_path)
    assert sorted(o["id"] for o in outcomes) == [1, 2, 3, 4]
    assert all(o["status"] == "active" for o in outcomes)
    con = open_database(lake.cfg)
    try:
        load(con, lake.cfg, "registrations")
        stored = con.execute("SELECT file_name, count(*) FROM submissions GROUP BY ALL").fetchall()
        assert sorted(stored) == sorted((SAMPLE_FILES[n], 1) for n in [*names, "registrations"])
        assert judged(attainment_report(con, 2024, None)) == single_file_report
    finally:
        con.close()


def test_four_processes_with_the_same_bytes_store_them_once(lake, tmp_path):
    path = SAMPLES / SAMPLE_FILES["q1"]
    outcomes = _run_writers(lake, [(path, f"q1-{i}.xlsx") for i in range(4)], tmp_path)
    assert sorted(o["status"] for o in outcomes) == ["active", "duplicate", "duplicate", "duplicate"]
    assert len({o["id"] for o in outcomes}) == 1
    con = open_database(lake.cfg)
    try:
        assert scalar(con, "SELECT count(*) FROM submissions") == 1
        assert scalar(con, "SELECT count(*) FROM observations") > 0
    finally:
        con.close()


def test_two_processes_with_two_versions_of_one_series_leave_one_active(lake, tmp_path):
    files = []
    for i, value in enumerate((111.0, 222.0)):
        path = tmp_path / f"v{i}.xlsx"
        path.write_bytes(q1_version(value))
        files.append((path, f"q1-v{i}.xlsx"))
    outcomes = _run_writers(lake, files, tmp_path)
    # each was active or history when it committed; the later commit decides between them
    assert {o["status"] for o in outcomes} <= {"active", "superseded"} and len({o["id"] for o in outcomes}) == 2
    con = open_database(lake.cfg)
    try:
        rows = con.execute("SELECT status, count(*) FROM submissions GROUP BY ALL ORDER BY 1").fetchall()
        assert rows == [("active", 1), ("superseded", 1)]
        active = scalar(
            con,
            "SELECT count(DISTINCT submission_id) FROM observations JOIN submissions USING (submission_id)"
            " WHERE status = 'active'",
        )
        assert active == 1
    finally:
        con.close()


def test_environment_selects_the_backend(backend, monkeypatch):
    for key, value in backend.env.items():
        monkeypatch.setenv(key, value)
    if backend.name == "file":
        monkeypatch.delenv("KPI_STORE", raising=False)
    cfg = settings()
    assert (cfg.store, cfg.raw_dir) == (backend.cfg.store, backend.cfg.raw_dir)
    assert os.environ.get("KPI_STORE", "") == backend.cfg.store


def test_a_store_postgresql_does_not_answer_is_named_in_vietnamese(tmp_path, capsys, monkeypatch):
    from tests.support.browser import free_port

    port = free_port()  # nothing listens there
    monkeypatch.setenv(
        "KPI_STORE", f"ducklake:postgres:host=127.0.0.1 port={port} user=kpi dbname=kpi connect_timeout=5"
    )
    monkeypatch.setenv("KPI_DATA_PATH", str(tmp_path / "shared"))
    from kpi.cli import main

    assert main(["report", "--year", "2024", "--db", str(tmp_path / "kpi.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "Không mở được kho dùng chung" in err and "KPI_STORE" in err and "Traceback" not in err
    assert not (tmp_path / "kpi.duckdb").exists()
