"""Rebuild keeps every import-log entry or changes nothing (issue 16, finding 1): a missing, damaged
or refused raw file stops it with the list; the old database is kept under a new number each time,
never overwritten or deleted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from kpi.bootstrap import open_database
from kpi.config import settings
from kpi.rebuild import RebuildStopped, rebuild
from kpi.reporting.attainment_report import attainment_report, report_records
from kpi.storage.database import raw_path, sha256_of
from tests.support.paths import PROJECT
from tests.support.samples import ACTOR, SAMPLE_FILES, load, sample_bytes


def kpi(*args, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kpi", *map(str, args), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={**os.environ, "PYTHONPATH": str(PROJECT), "KPI_PARSE_IN_PROCESS": "1"},
        timeout=240,
    )


def state(db: Path) -> tuple:
    """What a rebuild must not change: the report, every submission and every log entry."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        report = json.dumps(report_records(attainment_report(con, 2024, None)), ensure_ascii=False, sort_keys=True)
        subs = con.execute("SELECT sha256, file_name, status FROM submissions ORDER BY seq").fetchall()
        log = con.execute("SELECT action, sha256, file_name, actor FROM import_log ORDER BY seq").fetchall()
        return report, subs, log
    finally:
        con.close()


def leftovers(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if ".before-rebuild" in p.name or ".rebuild." in p.name)


def test_a_missing_raw_file_stops_the_rebuild_then_kept_copies_are_numbered_never_deleted(tmp_path):
    db = tmp_path / "kpi.duckdb"
    cfg = settings(db_path=db)
    con = open_database(cfg)
    load(con, cfg, "q1", "awards", "h1")
    con.close()
    before = state(db)
    awards_sha = sha256_of(sample_bytes("awards"))
    raw = raw_path(tmp_path / "raw", awards_sha)
    raw.unlink()  # the award register's raw file is lost from the archive

    done = kpi("rebuild", db=db)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "Chưa dựng lại cơ sở dữ liệu: 1 mục" in done.stderr and "không có gì bị thay đổi hay bị xoá" in done.stderr
    line = next(x for x in done.stderr.splitlines() if SAMPLE_FILES["awards"] in x)
    assert awards_sha in line and f"bởi {ACTOR}" in line and "không có tệp gốc trong kho" in line
    assert f"cần có tại {raw}" in line and " lúc " in line
    assert "python -m kpi restore --from" in done.stderr and "rồi chạy lại «python -m kpi rebuild»" in done.stderr
    assert state(db) == before and leftovers(db) == []  # nothing changed, nothing half-built left

    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_bytes(sample_bytes("awards"))  # the operator puts the file back
    result = rebuild(cfg, ACTOR)
    assert (result.replayed, result.kept_as) == (3, tmp_path / "kpi.duckdb.before-rebuild.1")
    assert state(db) == before  # every entry replayed: the award register is there
    first = (tmp_path / "kpi.duckdb.before-rebuild.1").read_bytes()

    result = rebuild(cfg, ACTOR)  # a second rebuild keeps the first copy and adds another
    assert result.kept_as == tmp_path / "kpi.duckdb.before-rebuild.2"
    assert leftovers(db) == ["kpi.duckdb.before-rebuild.1", "kpi.duckdb.before-rebuild.2"]
    assert (tmp_path / "kpi.duckdb.before-rebuild.1").read_bytes() == first
    assert state(db) == before and state(tmp_path / "kpi.duckdb.before-rebuild.1") == before


def test_a_damaged_raw_file_stops_the_rebuild(loaded, cfg):
    loaded.close()
    before = state(cfg.db_path)
    raw = raw_path(cfg.raw_dir, sha256_of(sample_bytes("q1")))
    damaged = bytearray(raw.read_bytes())
    damaged[500] ^= 0xFF
    raw.write_bytes(bytes(damaged))
    with pytest.raises(RebuildStopped) as caught:
        rebuild(cfg, ACTOR)
    assert [(m.file_name, m.raw) for m in caught.value.missing] == [(SAMPLE_FILES["q1"], raw)]
    assert "đã bị hỏng" in caught.value.message_vi and caught.value.refused == []
    assert state(cfg.db_path) == before and leftovers(cfg.db_path) == []


def test_entries_refused_on_replay_stop_the_rebuild_with_their_list(loaded, cfg):
    q3 = sha256_of(sample_bytes("q3"))
    # As if the rules had grown stricter since: the 9-month report (one warning) now refused, and a
    # withdrawal whose upload the replay cannot find.
    loaded.execute("UPDATE import_log SET options = '{\"strict\": true}' WHERE sha256 = ?", [q3])
    loaded.execute(
        "INSERT INTO import_log SELECT max(seq) + 1, now()::TIMESTAMP, 'withdraw', ?, 'khong-co.xlsx', "
        "'{}', 'cli:test', 'thử' FROM import_log",
        ["f" * 64],
    )
    loaded.close()
    before = state(cfg.db_path)
    with pytest.raises(RebuildStopped) as caught:
        rebuild(cfg, ACTOR)
    refused = caught.value.refused
    assert [(r.action, r.file_name) for r in refused] == [("ingest", SAMPLE_FILES["q3"]), ("withdraw", "khong-co.xlsx")]
    assert "các quy tắc hiện nay từ chối tệp" in refused[0].reason and refused[0].sha256 == q3
    assert "Bị từ chối khi phát lại:" in caught.value.message_vi and caught.value.missing == []
    assert state(cfg.db_path) == before and leftovers(cfg.db_path) == []


def test_rebuild_keeps_every_entry_and_the_database_identity(con, cfg):
    load(con, cfg, "q1", "awards")
    db_id = con.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchall()
    log = con.execute("SELECT action, sha256, file_name, actor FROM import_log ORDER BY seq").fetchall()
    con.close()
    result = rebuild(cfg, ACTOR)
    assert (result.replayed, result.missing, result.skipped) == (2, (), ())
    again = open_database(cfg)
    try:
        assert again.execute("SELECT action, sha256, file_name, actor FROM import_log ORDER BY seq").fetchall() == log
        assert again.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchall() == db_id
        from kpi.storage.database import recovery_notice

        assert recovery_notice(again) is None  # the import journal agrees with the rebuilt database
    finally:
        again.close()
    assert not list(cfg.db_path.parent.glob("*.rebuild.duckdb*"))
