"""Nothing committed is lost without a word: a WAL cut short (which DuckDB replays in part, silently)
is found by comparing the database with the import journal, set aside, audited and bannered; stray
temp files of the raw archive are cleaned and archived files never touched. Real processes: the
second upload is committed by a child that is then SIGKILLed, so it lives in the WAL only."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kpi.bootstrap import open_database
from kpi.rebuild import rebuild
from kpi.storage.database import clean_raw_temps, journal_path, raw_path, recovery_notice, sha256_of
from tests.support.paths import PROJECT
from tests.support.samples import SAMPLE_FILES, load, sample_bytes

#: The pages are opened on the server machine itself (set-up mode lets only it write; conftest).
pytestmark = pytest.mark.usefixtures("server_machine")


#: A child that opens the database, uploads one file with the real ingest path, and kills itself
#: right after the commit returned: the upload is in the WAL (DuckDB checkpoints only on close).
CHILD = r"""
import os, signal, sys
from kpi.config import settings
from kpi.ingest import ingest
from kpi.bootstrap import open_database

db, path = sys.argv[1], sys.argv[2]
cfg = settings(db_path=db)
con = open_database(cfg)
_prep, committed = ingest(con, open(path, "rb").read(), os.path.basename(path), "cli:vanthu", cfg=cfg)
print(committed.status, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _second_upload_only_in_the_wal(cfg, tmp_path) -> Path:
    """q1 checkpointed into the file, then the award register committed by a killed child.

    :returns: the WAL path.
    """
    con = open_database(cfg)
    load(con, cfg, "q1")
    con.close()  # checkpointed: q1 is in the file itself
    awards = tmp_path / SAMPLE_FILES["awards"]
    awards.write_bytes(sample_bytes("awards"))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(cfg.db_path), str(awards)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={**os.environ, "PYTHONPATH": str(PROJECT), "KPI_PARSE_IN_PROCESS": "1"},
        timeout=240,
    )
    assert done.returncode == -signal.SIGKILL and done.stdout.strip() == "active", done.stderr
    wal = Path(str(cfg.db_path) + ".wal")
    assert wal.exists() and wal.stat().st_size > 1000
    return wal


def _cut(wal: Path, by: int) -> bytes:
    """Cut the WAL's last ``by`` bytes, as a disk that lost the tail of a write; returns what is left."""
    left = wal.read_bytes()[:-by]
    wal.write_bytes(left)
    return left


def test_a_cut_wal_that_loses_a_committed_upload_is_named_audited_and_set_aside(cfg, tmp_path):
    wal = _second_upload_only_in_the_wal(cfg, tmp_path)
    awards_sha = sha256_of(sample_bytes("awards"))
    journal = [json.loads(line) for line in journal_path(cfg.db_path).read_text(encoding="utf-8").splitlines()]
    assert [e["file_name"] for e in journal] == [SAMPLE_FILES["q1"], SAMPLE_FILES["awards"]]
    left = _cut(wal, 1)  # one byte is enough

    # What DuckDB alone does with it (on a copy): opens without a word and the upload is gone.
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(cfg.db_path, copy / "kpi.duckdb")
    shutil.copy(wal, copy / "kpi.duckdb.wal")
    plain = duckdb.connect(str(copy / "kpi.duckdb"))
    assert plain.execute("SELECT file_name FROM submissions").fetchall() == [(SAMPLE_FILES["q1"],)]
    plain.close()

    con = open_database(cfg)
    try:
        assert con.execute("SELECT file_name FROM submissions").fetchall() == [(SAMPLE_FILES["q1"],)]
        notice = recovery_notice(con)
        assert notice is not None
        (lost,) = notice["lost"]
        assert (lost["file_name"], lost["sha256"], lost["kind"], lost["year"], lost["actor"]) == (
            SAMPLE_FILES["awards"],
            awards_sha,
            "awards",
            2024,
            "cli:vanthu",
        )
        assert lost["raw"] == str(raw_path(cfg.raw_dir, awards_sha)) and Path(lost["raw"]).exists()
        kept = list(cfg.db_path.parent.glob("kpi.duckdb.wal.incomplete-*"))
        assert len(kept) == 1 and kept[0].read_bytes() == left and notice["wal"] == str(kept[0])
        assert not list(cfg.db_path.parent.glob("*.before-open-*"))
        audited = con.execute(
            "SELECT actor, sha256, file_name, detail FROM audit_log WHERE action = 'commit_lost'"
        ).fetchall()
        assert len(audited) == 1 and audited[0][:3] == ("system", awards_sha, SAMPLE_FILES["awards"])
        assert "không còn trong cơ sở dữ liệu" in audited[0][3] and "hãy tải lại tệp này" in audited[0][3]
    finally:
        con.close()

    rebuild(cfg, "cli:test")  # a rebuild keeps the notice and the audit row, and names nothing twice
    con = open_database(cfg)
    try:
        assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'commit_lost'").fetchall() == [(1,)]
        assert len(recovery_notice(con)["lost"]) == 1
        # the way back the notice gives: upload the archived raw file again
        from kpi.ingest import ingest

        ingest(con, Path(lost["raw"]).read_bytes(), lost["file_name"], "cli:vanthu", cfg=cfg)
        assert con.execute("SELECT count(*) FROM submissions").fetchall() == [(2,)]
    finally:
        con.close()


def test_a_database_started_afresh_does_not_inherit_the_old_journal(cfg):
    con = open_database(cfg)
    load(con, cfg, "q1")
    con.close()
    cfg.db_path.unlink()  # the operator starts over; the old journal stays beside it
    con = open_database(cfg)
    try:
        assert recovery_notice(con) is None
    finally:
        con.close()


def test_the_admin_sees_what_was_lost_until_acknowledged(cfg, tmp_path, monkeypatch):
    wal = _second_upload_only_in_the_wal(cfg, tmp_path)
    _cut(wal, 300)
    rebuild(cfg, "cli:test")  # the first thing done after the crash: the loss is still found and shown
    monkeypatch.setenv("KPI_DB", str(cfg.db_path))
    monkeypatch.delenv("KPI_REQUIRE_LOGIN", raising=False)
    monkeypatch.chdir(PROJECT)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90).run()
        banner = " ".join(str(e.value) for e in at.error).replace("\\", "")
        assert "không còn trong cơ sở dữ liệu" in banner and SAMPLE_FILES["awards"] in banner
        assert (
            "Năm 2024" in banner
            and "vanthu (dòng lệnh)" in banner
            and " ngày " in banner
            and ".wal.incomplete-" in banner
        )
        admin = AppTest.from_file(str(PROJECT / "views" / "admin.py"), default_timeout=90).run()
        page = " ".join(str(m.value) for m in admin.markdown).replace("\\", "")
        assert SAMPLE_FILES["awards"] in page and "tải lại" in page
        admin.button(key="adm_ack").click().run()
        assert not admin.exception
        at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90).run()
        assert not any(SAMPLE_FILES["awards"] in str(e.value).replace("\\", "") for e in at.error)
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_stray_temp_files_of_the_raw_archive_are_cleaned_and_archived_files_kept(cfg, tmp_path):
    con = open_database(cfg)
    load(con, cfg, "q1")
    con.close()
    sha = sha256_of(sample_bytes("q1"))
    archived = raw_path(cfg.raw_dir, sha)
    before = archived.read_bytes()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)  # a process that has exited: a crash between fsync and rename
    stray = archived.with_suffix(f".tmp{dead}.140234")
    stray.write_bytes(before[:1000])
    other = raw_path(cfg.raw_dir, "ab" + "0" * 62).with_suffix(f".tmp{dead}.1")
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_bytes(b"half a file")
    mine = archived.with_suffix(f".tmp{os.getpid()}.1")  # this process may be writing it
    mine.write_bytes(b"being written")
    lookalike = archived.with_name("ghi-chu.tmp123.1")  # not a temp file of ours
    lookalike.write_bytes(b"x")
    wal_copy = cfg.db_path.with_name(f"kpi.duckdb.wal.before-open-{dead}")  # a process killed while opening
    wal_copy.write_bytes(b"wal")
    live = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        writing = archived.with_suffix(f".tmp{live.pid}.7")  # another live process, started after us
        writing.write_bytes(b"...")
        old = archived.with_suffix(f".tmp{live.pid}.8")
        old.write_bytes(b"...")
        os.utime(old, (1_000_000_000, 1_000_000_000))  # older than this process: no live writer
        con = open_database(cfg)
        con.close()
        assert not stray.exists() and not other.exists() and not old.exists() and not wal_copy.exists()
        assert writing.exists() and mine.exists() and lookalike.exists()
        assert archived.read_bytes() == before  # the archived file itself is never touched
        assert clean_raw_temps(cfg.raw_dir) == []
    finally:
        live.stdin.close()
        live.wait(30)
