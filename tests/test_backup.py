"""Backups and restores: a consistent copy even while imports run, the same report after a
restore, the command line while the app is stopped, and a damaged database brought back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from kpi.backup import backup_to_file, default_backup_path, restore_from_file
from kpi.bootstrap import open_database
from kpi.config import settings
from kpi.errors import DatabaseCorrupt, KpiError
from kpi.ingest import ingest
from kpi.plans.targets import change_target
from kpi.rebuild import rebuild
from kpi.reporting.attainment_report import attainment_report, report_records
from tests.support.paths import PROJECT
from tests.support.samples import ACTOR, SAMPLE_FILES, load


def report_of(con, year=2024, quarter=None) -> str:
    return json.dumps(report_records(attainment_report(con, year, quarter)), ensure_ascii=False, sort_keys=True)


def kpi(*args, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kpi", *map(str, args), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        timeout=240,
    )


def test_backup_then_restore_gives_the_same_report_and_imports_go_on(loaded, cfg, tmp_path):
    before = report_of(loaded)
    result = backup_to_file(loaded, default_backup_path(cfg), ACTOR)
    assert result.path.parent == cfg.db_path.parent / "backups" and result.path.name.startswith("kpi-")
    assert result.counts["submissions"] == 5 and result.size_bytes == result.path.stat().st_size
    logged = loaded.execute("SELECT actor, file_name FROM audit_log WHERE action = 'backup'").fetchall()
    assert logged == [(ACTOR, result.path.name)]

    other = settings(db_path=tmp_path / "elsewhere" / "kpi.duckdb")
    restored = restore_from_file(other, result.path, ACTOR)
    assert restored.kept_as is None and restored.counts == result.counts
    con = open_database(other)
    try:
        assert report_of(con) == before
        assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'restore_backup'").fetchall() == [(1,)]
        # the sequences came along: the next import gets the next number, not a clash with #1
        _prep, committed = ingest(
            con,
            (PROJECT / "tests" / "data" / "bao-cao-xa-hien-quan-6-thang-2024.xlsx").read_bytes(),
            "hq.xlsx",
            ACTOR,
            cfg=other,
        )
        assert committed.submission_id == 6
    finally:
        con.close()


def test_backups_taken_while_imports_run_are_each_consistent(con, cfg, tmp_path):
    """One thread imports the five samples while another backs up again and again (cursors of one
    connection, as in the app). Every backup holds whole files only, and its report equals a
    serial import of exactly the files it holds."""
    names = ["q1", "h1", "q3", "registrations", "awards"]
    backups: list[Path] = []
    done = threading.Event()

    def importer():
        cursor = con.cursor()
        try:
            load(cursor, cfg, *names)
        finally:
            cursor.close()
            done.set()

    def backer():
        cursor = con.cursor()
        try:
            n = 0
            while (not done.is_set() or n == 0) and n < 12:
                backups.append(backup_to_file(cursor, tmp_path / f"b{n:03d}.duckdb", ACTOR).path)
                n += 1
        finally:
            cursor.close()

    threads = [threading.Thread(target=importer), threading.Thread(target=backer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    backups.append(backup_to_file(con, tmp_path / "last.duckdb", ACTOR).path)
    assert len(backups) >= 2
    serial_cfg = settings(db_path=tmp_path / "serial" / "kpi.duckdb")
    serial = open_database(serial_cfg)
    try:  # the report after each file of a serial run
        after = [report_of(serial)]
        for name in names:
            load(serial, serial_cfg, name)
            after.append(report_of(serial))
    finally:
        serial.close()
    held = []
    for path in backups:
        b = duckdb.connect(str(path), read_only=True)
        try:
            declared, figures = b.execute(
                "SELECT (SELECT coalesce(sum(n_figures), 0) FROM submissions WHERE file_kind = 'report'), "
                "(SELECT count(*) FROM observations)"
            ).fetchall()[0]
            assert declared == figures  # no file half in
            files = [r[0] for r in b.execute("SELECT file_name FROM submissions ORDER BY seq").fetchall()]
            assert files == [SAMPLE_FILES[n] for n in names[: len(files)]]
            assert report_of(b) == after[len(files)], files
            held.append(len(files))
        finally:
            b.close()
    assert held[-1] == len(names) and held == sorted(held)


def test_command_line_backup_and_restore_while_the_app_is_stopped(tmp_path):
    db = tmp_path / "kpi.duckdb"
    samples = [PROJECT / "data" / "samples" / SAMPLE_FILES[n] for n in ("q1", "h1", "q3")]
    assert kpi("ingest", *samples, db=db).returncode == 0
    before = kpi("report", "--format", "json", db=db).stdout
    done = kpi("backup", "--to", tmp_path / "sao-luu" / "thang-11.duckdb", db=db)
    assert done.returncode == 0 and "Đã sao lưu vào" in done.stdout and "3 lần tải" in done.stdout
    assert kpi("ingest", PROJECT / "data" / "samples" / SAMPLE_FILES["awards"], db=db).returncode == 0

    done = kpi("restore", "--from", tmp_path / "sao-luu" / "thang-11.duckdb", db=db)
    assert done.returncode == 0, done.stderr
    assert "Đã khôi phục" in done.stdout and "3 lần tải" in done.stdout and "Tệp cũ được giữ lại" in done.stdout
    assert kpi("report", "--format", "json", db=db).stdout == before
    kept = list(tmp_path.glob("kpi.duckdb.before-restore-*"))
    assert len(kept) == 1  # the state before the restore is kept, never deleted
    k = duckdb.connect(str(kept[0]), read_only=True)
    assert k.execute("SELECT count(*) FROM submissions").fetchall() == [(4,)]
    k.close()


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(loaded, cfg, tmp_path):
    loaded.close()
    before = cfg.db_path.read_bytes()
    junk = tmp_path / "khong-phai.duckdb"
    junk.write_bytes(os.urandom(50_000))
    other = tmp_path / "khac.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t (i INT)").close()
    for source, words in ((junk, "không phải là bản sao lưu đọc được"), (other, "thiếu các bảng số liệu")):
        with pytest.raises(KpiError, match=words):
            restore_from_file(cfg, source, ACTOR)
    with pytest.raises(KpiError, match="Không có tệp sao lưu"):
        restore_from_file(cfg, tmp_path / "khong-co.duckdb", ACTOR)
    assert cfg.db_path.read_bytes() == before and not list(tmp_path.glob("*.before-restore-*"))


def test_a_backup_never_overwrites_the_database(con, cfg):
    with pytest.raises(KpiError, match="chính tệp cơ sở dữ liệu"):
        backup_to_file(con, cfg.db_path, ACTOR)


def test_a_damaged_database_is_brought_back_from_its_backup(loaded, cfg, tmp_path):
    before = report_of(loaded)
    backup = backup_to_file(loaded, tmp_path / "sao-luu.duckdb", ACTOR).path
    loaded.close()
    data = bytearray(cfg.db_path.read_bytes())
    for i in range(8192, len(data), 4096):
        data[i + 100] ^= 0xFF
    cfg.db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt):
        open_database(cfg)
    restored = restore_from_file(cfg, backup, ACTOR)
    assert restored.kept_as is not None and restored.kept_as.read_bytes() == bytes(data)
    con = open_database(cfg)
    try:
        assert report_of(con) == before
    finally:
        con.close()


def test_rebuild_replays_target_changes_and_keeps_one_audit_trail(loaded, cfg):
    change_target(loaded, ACTOR, 2024, "CT02", "810", "Quyết định điều chỉnh")
    before = report_of(loaded)
    trail = loaded.execute("SELECT action, file_name FROM audit_log ORDER BY rowid").fetchall()
    loaded.close()
    result = rebuild(cfg, ACTOR)
    assert result.replayed == 6 and not result.missing
    con = open_database(cfg)
    try:
        assert report_of(con) == before  # CT02's target 810 came back too
        after = con.execute("SELECT action, file_name FROM audit_log ORDER BY rowid").fetchall()
        assert after[:-1] == trail and after[-1] == ("rebuild", None)  # no duplicated rows
    finally:
        con.close()


def test_a_restore_never_overwrites_an_earlier_kept_copy(loaded, cfg, tmp_path):
    import datetime as dt

    backup = backup_to_file(loaded, tmp_path / "sao-luu.duckdb", ACTOR).path
    loaded.close()
    now = dt.datetime.now()
    earlier = {}  # kept copies of earlier restores, named for this second and the next ones
    for s in range(4):
        p = cfg.db_path.with_name(f"kpi.duckdb.before-restore-{now + dt.timedelta(seconds=s):%Y%m%d-%H%M%S}")
        p.write_bytes(f"bản giữ lại {s}".encode())
        earlier[p] = p.read_bytes()
    restored = restore_from_file(cfg, backup, ACTOR)
    assert all(p.read_bytes() == data for p, data in earlier.items())
    assert restored.kept_as not in earlier and restored.kept_as.exists()


def test_uploads_made_after_the_backup_are_named_after_a_restore(con, cfg, tmp_path):
    from kpi.storage.database import recovery_notice
    from tests.support.samples import load

    load(con, cfg, "q1")
    backup = backup_to_file(con, tmp_path / "sao-luu.duckdb", ACTOR).path
    load(con, cfg, "awards")
    con.close()
    restore_from_file(cfg, backup, ACTOR)
    again = open_database(cfg)
    try:
        lost = recovery_notice(again)["lost"]
        assert [x["file_name"] for x in lost] == [SAMPLE_FILES["awards"]] and Path(lost[0]["raw"]).exists()
    finally:
        again.close()
