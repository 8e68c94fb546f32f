"""Crash safety with real processes: an import killed half-way leaves nothing of its file; a WAL
that cannot be replayed is kept aside and the last good state opened; a damaged file is named."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from kpi.bootstrap import open_database
from kpi.errors import DatabaseCorrupt
from kpi.storage.database import data_version, recovery_notice
from tests.support.crash import kill_with_a_wal
from tests.support.ledger import REF, q1_version
from tests.support.paths import PROJECT

#: A process that has imported the core once and forks a fresh child per import (a new Python
#: per kill would spend ~1 s of each of the 20 rounds importing pandas and DuckDB). Each child is
#: a real process with its own DuckDB instance: it opens the database, imports a file and
#: announces when its figures are inserted inside the open import transaction; with "hold" it
#: then waits there (to be killed mid-transaction), with "race" it goes on at once (the kill lands
#: somewhere in the rest of the commit), with "finish" it announces the commit too. The parent
#: never opens the database, so no DuckDB state crosses the fork.
FORKER = r"""
import os, sys, time
from kpi import ingest as m, ingest_rows
from kpi.config import settings
from kpi.bootstrap import open_database

real = ingest_rows._insert_frame

def child(db, path, mode):
    cfg = settings(db_path=db)
    con = open_database(cfg)

    def inserted_then(c, table, frame, sid):
        real(c, table, frame, sid)
        if table == "observations":
            print("inserted", flush=True)
            if mode == "hold":
                time.sleep(600)

    ingest_rows._insert_frame = inserted_then
    m.ingest(con, open(path, "rb").read(), path.rsplit("/", 1)[-1], "cli:test", cfg=cfg)
    print("committed", flush=True)
    time.sleep(600)

print("ready", flush=True)
for line in sys.stdin:
    db, path, mode = line.split()
    pid = os.fork()
    if pid == 0:
        try:
            child(db, path, mode)
        finally:
            os._exit(0)
    print("pid", pid, flush=True)
    os.waitpid(pid, 0)
    print("reaped", flush=True)
"""


def _counts(con) -> dict:
    row = con.execute(
        """SELECT (SELECT count(*) FROM submissions),
                  (SELECT count(*) FROM submissions WHERE status = 'active'),
                  (SELECT count(*) FROM observations),
                  (SELECT coalesce(sum(n_figures), 0) FROM submissions),
                  (SELECT count(*) FROM import_log),
                  (SELECT count(*) FROM audit_log WHERE action = 'upload'),
                  (SELECT count(*) FROM observations o
                     WHERE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.submission_id = o.submission_id))"""
    ).fetchall()[0]
    keys = ("submissions", "active", "observations", "declared", "import_log", "audited", "orphans")
    return dict(zip(keys, row, strict=True))


@pytest.mark.slow
def test_an_import_killed_mid_transaction_leaves_nothing_partial(cfg, tmp_path):
    con = open_database(cfg)
    base = data_version(con)  # the plan's loading counts too
    con.close()
    files = []
    for i in range(20):
        path = tmp_path / f"bao-cao-quy-1-ban-{i:02d}.xlsx"
        path.write_bytes(q1_version(600.0 + i, 600.0 + i, REF.format(n=70 + i, d=f"{i + 1}/5/2024")))
        files.append(path)
    modes = ["hold", "hold", "race", "finish"] * 5
    stored, outcomes = 0, []
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "KPI_PARSE_IN_PROCESS": "1"}
    forker = subprocess.Popen(
        [sys.executable, "-c", FORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=PROJECT
    )
    assert forker.stdout.readline().strip() == "ready"
    try:
        for path, mode in zip(files, modes, strict=True):
            forker.stdin.write(f"{cfg.db_path} {path} {mode}\n")
            forker.stdin.flush()
            word, pid = forker.stdout.readline().split()
            assert word == "pid"
            try:
                assert forker.stdout.readline().strip() == "inserted"  # rows are in, the transaction open
                if mode == "finish":
                    assert forker.stdout.readline().strip() == "committed"
            finally:
                os.kill(int(pid), signal.SIGKILL)
                line = forker.stdout.readline().strip()
                if mode == "race" and line == "committed":  # the commit won the race: it landed whole
                    line = forker.stdout.readline().strip()
                assert line == "reaped"
            outcomes.append(_check_after_kill(cfg, base, files, path, mode, stored))
            stored += outcomes[-1][1]
    finally:
        forker.stdin.close()
        forker.wait(30)
        forker.stdout.close()
    assert stored == sum(c for _m, c in outcomes) and stored >= 5
    assert {c for m, c in outcomes if m == "hold"} == {False}


def _check_after_kill(cfg, base, files, path, mode, stored) -> tuple[str, bool]:
    """Reopen the database a killed import left (DuckDB replays its WAL) and check that nothing of
    a file is partial. :returns: (mode, whether this file was committed)."""
    con = open_database(cfg)
    try:
        counts = _counts(con)
        assert counts["submissions"] in (stored, stored + 1), counts
        committed = counts["submissions"] == stored + 1
        if mode == "hold":
            assert not committed, "a transaction killed before COMMIT must leave nothing"
        if mode == "finish":
            assert committed
        now = counts["submissions"]
        assert counts["observations"] == counts["declared"] == 30 * now  # every file whole
        assert counts["import_log"] == counts["audited"] == now and counts["orphans"] == 0
        assert counts["active"] == (1 if now else 0)  # the supersede went with its file
        assert data_version(con) == base + now
        # a kill before COMMIT leaves a raw file but no journal line: never taken for a lost commit
        assert recovery_notice(con) is None
        assert not list(cfg.db_path.parent.glob("kpi.duckdb.wal.*"))  # the WAL's pre-open copy is not kept
        if committed:
            figure = con.execute(
                "SELECT value FROM observations o JOIN submissions s USING (submission_id) "
                "WHERE s.status = 'active' AND o.key = 'CT01' AND o.kind = 'ytd'"
            ).fetchall()
            assert figure == [(600.0 + files.index(path),)]
    finally:
        con.close()
    return mode, committed


def test_a_wal_that_cannot_be_replayed_is_kept_aside_and_the_last_good_state_opened(cfg):
    con = open_database(cfg)
    con.execute("CHECKPOINT")
    con.close()
    kill_with_a_wal(cfg.db_path)
    wal = Path(str(cfg.db_path) + ".wal")
    assert wal.exists() and wal.stat().st_size > 0
    damaged = bytearray(wal.read_bytes())
    for i in range(120, len(damaged) - 8, 97):  # bytes flipped on disk, as by a failing drive
        damaged[i] ^= 0xFF
    wal.write_bytes(bytes(damaged))
    with pytest.raises(duckdb.Error, match="WAL"):
        duckdb.connect(str(cfg.db_path)).close()  # what DuckDB alone does: refuse to open

    con = open_database(cfg)
    try:
        kept = list(cfg.db_path.parent.glob("kpi.duckdb.wal.broken-*"))
        assert len(kept) == 1 and kept[0].read_bytes() == bytes(damaged)  # kept aside, never deleted
        assert not wal.exists() or wal.read_bytes() != bytes(damaged)
        notice = recovery_notice(con)
        assert notice["wal"] == str(kept[0]) and "WAL" in notice["error"]
        logged = con.execute("SELECT actor, file_name, detail FROM audit_log WHERE action = 'wal_set_aside'").fetchall()
        assert logged[0][:2] == ("system", kept[0].name) and "trạng thái tốt gần nhất" in logged[0][2]
        assert con.execute("SELECT count(*) FROM indicators").fetchall()[0][0] == 23  # the last good state
        assert con.execute("SELECT count(*) FROM audit_log WHERE file_name = 'chi-trong-wal.xlsx'").fetchall() == [(0,)]
    finally:
        con.close()


def test_a_damaged_database_file_is_named_and_left_alone(cfg, tmp_path):
    open_database(cfg).close()
    data = bytearray(cfg.db_path.read_bytes())
    data[100] ^= 0xFF  # the header's checksum no longer matches
    cfg.db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt) as caught:
        open_database(cfg)
    assert str(cfg.db_path) in caught.value.message_vi and "restore --from" in caught.value.message_vi
    assert cfg.db_path.read_bytes() == bytes(data)  # nothing touched
    done = subprocess.run(
        [sys.executable, "-m", "kpi", "report", "--db", str(cfg.db_path)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        timeout=120,
    )
    assert done.returncode == 1 and "bị hỏng" in done.stderr and "Traceback" not in done.stderr
