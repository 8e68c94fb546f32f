"""DuckDB storage: the schema, opening the file, transactions, the raw-file archive.

One embedded file (``data/kpi.duckdb`` by default). Functions here and in the other modules take
the connection as their first argument; the app owns one connection per server process and hands
each script run a cursor (DuckDB's "multiple Python threads" guide), the command line opens its
own. Every write that changes figures runs inside :func:`transaction` and bumps the data version
(:func:`data_version`) that the app's caches are keyed by.

DuckDB lets one process open a file at a time (even read-only while another writes):
:func:`connect` turns DuckDB's lock error into :class:`~kpi.errors.DatabaseLocked`, which names the
file and the holding process.

Crash safety: committed transactions live in the write-ahead log (``kpi.duckdb.wal``) until a
checkpoint folds them into the file; a process killed mid-import leaves its open transaction out
of the WAL, so the file is entirely there or entirely absent. A WAL that DuckDB cannot replay
(damaged on disk) is **kept aside** — renamed ``kpi.duckdb.wal.broken-<time>``, never deleted — and
the file's last checkpointed state is opened; :func:`open_database` then writes a
``wal_set_aside`` audit row and a notice (:func:`recovery_notice`) that the app shows admins until
one acknowledges it (:func:`acknowledge_recovery`). A damaged database file itself raises
:class:`~kpi.errors.DatabaseCorrupt` and nothing is touched (restore a backup: :mod:`kpi.backup`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import threading
from pathlib import Path

import duckdb

from kpi.config import Settings
from kpi.errors import DatabaseCorrupt, DatabaseLocked

__all__ = [
    "SCHEMA_VERSION",
    "connect",
    "open_database",
    "init_schema",
    "transaction",
    "write_lock",
    "data_version",
    "bump_version",
    "archive_raw",
    "raw_path",
    "sha256_of",
    "scalar",
    "plan_version",
    "bump_plan_version",
    "recovery_notice",
    "acknowledge_recovery",
]

SCHEMA_VERSION = 1

#: Writes of one process go one at a time (DuckDB allows concurrent appends from cursors, but
#: supersede logic reads then writes; one lock keeps each import's view consistent).
write_lock = threading.RLock()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS plans (
    year INTEGER PRIMARY KEY, district VARCHAR, authority VARCHAR, authority_upper VARCHAR,
    province VARCHAR, place VARCHAR, title VARCHAR, doc_number VARCHAR, doc_date DATE,
    source VARCHAR, loaded_at TIMESTAMP, loaded_by VARCHAR);
CREATE TABLE IF NOT EXISTS indicators (
    year INTEGER, key VARCHAR, sort INTEGER, plan_no VARCHAR, grp VARCHAR, name VARCHAR,
    unit VARCHAR, target DOUBLE, target_lo DOUBLE, target_hi DOUBLE, target_text VARCHAR,
    decimals INTEGER, direction VARCHAR, over_year VARCHAR, across_units VARCHAR,
    when_known VARCHAR, parent VARCHAR, award VARCHAR, recipient VARCHAR, conferred_by VARCHAR,
    baseline DOUBLE, source_text VARCHAR, counted_from VARCHAR, PRIMARY KEY (year, key));
CREATE TABLE IF NOT EXISTS indicator_aliases (key VARCHAR, alias VARCHAR);
CREATE TABLE IF NOT EXISTS measure_units (written VARCHAR, unit VARCHAR, factor VARCHAR);
CREATE TABLE IF NOT EXISTS award_aliases (award VARCHAR, alias VARCHAR);
CREATE TABLE IF NOT EXISTS units (
    year INTEGER, unit VARCHAR, block VARCHAR, kind VARCHAR, sort INTEGER,
    PRIMARY KEY (year, unit));
CREATE TABLE IF NOT EXISTS unit_aliases (unit VARCHAR, alias VARCHAR);
CREATE SEQUENCE IF NOT EXISTS submission_ids START 1;
CREATE TABLE IF NOT EXISTS submissions (
    submission_id BIGINT PRIMARY KEY, sha256 VARCHAR NOT NULL, file_name VARCHAR,
    file_kind VARCHAR NOT NULL,          -- report | awards | registrations
    file_format VARCHAR, sheet VARCHAR, sender VARCHAR, subject VARCHAR,
    year INTEGER, quarter INTEGER,       -- quarter NULL for registers
    doc_date DATE, doc_number VARCHAR, title VARCHAR,
    uploaded_at TIMESTAMP NOT NULL, uploaded_by VARCHAR, seq BIGINT NOT NULL,
    status VARCHAR NOT NULL,             -- active | superseded | withdrawn
    status_note VARCHAR, options VARCHAR, layout VARCHAR, n_figures INTEGER);
CREATE TABLE IF NOT EXISTS observations (
    submission_id BIGINT NOT NULL, key VARCHAR NOT NULL, year INTEGER NOT NULL,
    quarter INTEGER NOT NULL, subject VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,               -- quarter | ytd | year_estimate | last_year | plan
    vintage VARCHAR NOT NULL,            -- estimate | preliminary | official
    value DOUBLE NOT NULL, written VARCHAR, written_unit VARCHAR, factor VARCHAR,
    sheet VARCHAR, cell VARCHAR, row_label VARCHAR, column_label VARCHAR, note VARCHAR);
CREATE TABLE IF NOT EXISTS awards (
    submission_id BIGINT NOT NULL, sheet VARCHAR, cell VARCHAR, row_number INTEGER,
    recipient VARCHAR, recipient_kind VARCHAR, unit VARCHAR, award_written VARCHAR,
    award VARCHAR, conferred_by VARCHAR, decision_number VARCHAR, decision_date DATE,
    achievement_year INTEGER, key VARCHAR, duplicate_of INTEGER, note VARCHAR);
CREATE TABLE IF NOT EXISTS registrations (
    submission_id BIGINT NOT NULL, sheet VARCHAR, cell VARCHAR, row_number INTEGER,
    unit VARCHAR, unit_written VARCHAR, block VARCHAR, registered_on DATE,
    doc_number VARCHAR, note VARCHAR);
CREATE TABLE IF NOT EXISTS issues (
    submission_id BIGINT NOT NULL, severity VARCHAR, code VARCHAR, sheet VARCHAR,
    cell VARCHAR, key VARCHAR, message VARCHAR);
CREATE SEQUENCE IF NOT EXISTS import_seq START 1;
CREATE TABLE IF NOT EXISTS import_log (
    seq BIGINT PRIMARY KEY, logged_at TIMESTAMP NOT NULL, action VARCHAR NOT NULL,
    sha256 VARCHAR, file_name VARCHAR, options VARCHAR, actor VARCHAR, note VARCHAR);
CREATE TABLE IF NOT EXISTS audit_log (
    logged_at TIMESTAMP NOT NULL, actor VARCHAR, action VARCHAR NOT NULL, sha256 VARCHAR,
    file_name VARCHAR, detail VARCHAR);
CREATE TABLE IF NOT EXISTS layouts (
    signature VARCHAR PRIMARY KEY, mapping VARCHAR NOT NULL, created_at TIMESTAMP,
    created_by VARCHAR, example_file VARCHAR);
CREATE TABLE IF NOT EXISTS target_history (
    changed_at TIMESTAMP NOT NULL, actor VARCHAR, year INTEGER, key VARCHAR, field VARCHAR,
    old_value VARCHAR, new_value VARCHAR, reason VARCHAR);
CREATE TABLE IF NOT EXISTS plan_documents (
    year INTEGER NOT NULL, version INTEGER NOT NULL, file_name VARCHAR, sha256 VARCHAR, text VARCHAR,
    doc_number VARCHAR, doc_date DATE, stored_at TIMESTAMP, stored_by VARCHAR,
    PRIMARY KEY (year, version));
CREATE TABLE IF NOT EXISTS users (
    name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, password_hash VARCHAR NOT NULL,
    unit VARCHAR, created_at TIMESTAMP, created_by VARCHAR);
CREATE TABLE IF NOT EXISTS signin_failures (
    kind VARCHAR NOT NULL, key VARCHAR NOT NULL, failures INTEGER NOT NULL, last_failed TIMESTAMP NOT NULL);
"""


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The first column of the first row, or ``None``; the result is fully consumed (DuckDB 2
    refuses ``register`` while a result is only partly fetched)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def sha256_of(data: bytes) -> str:
    """Hex sha256 of a file's bytes: the identity of a raw file."""
    return hashlib.sha256(data).hexdigest()


_LOCK_RE = re.compile(r"Conflicting lock is held in (.+?)(?:\. See also|$)", re.S)

#: WAL files set aside by :func:`connect` in this process, by database path, until
#: :func:`open_database` records them: path → (where the WAL went, DuckDB's message).
_SET_ASIDE: dict[str, tuple[Path, str]] = {}


def _is_lock_error(exc: Exception) -> re.Match | bool:
    text = str(exc)
    return _LOCK_RE.search(text) or "Could not set lock" in text


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("SET enable_progress_bar = false")  # no progress bar on a server's terminal
    return con


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file (creating its folder), translating the one-process lock error; a WAL
    that cannot be replayed is renamed aside and the last checkpointed state opened (see the
    module docstring).

    :raises DatabaseLocked: another process holds the file; nothing was changed.
    :raises DatabaseCorrupt: the file itself is damaged; nothing was changed.
    """
    path = Path(path)
    if str(path) == ":memory:":
        return duckdb.connect(":memory:")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _open(path, read_only)
    except duckdb.Error as exc:
        if _is_lock_error(exc):
            m = _LOCK_RE.search(str(exc))
            raise DatabaseLocked(str(path), m.group(1).strip() if m else "không rõ tiến trình") from exc
        wal = Path(str(path) + ".wal")
        unreplayable = "replaying WAL" in str(exc) or "Corrupt WAL" in str(exc)
        if not unreplayable or not wal.exists() or read_only:
            raise DatabaseCorrupt(str(path), str(exc)) from exc
        aside = wal.with_name(f"{wal.name}.broken-{dt.datetime.now():%Y%m%d-%H%M%S}")
        os.replace(wal, aside)
        _SET_ASIDE[str(path)] = (aside, str(exc))
        try:
            return _open(path, False)
        except duckdb.Error as again:
            raise DatabaseCorrupt(str(path), str(again)) from again


def init_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table that does not exist yet (idempotent)."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            con.execute(statement)
    con.execute(
        "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) DO NOTHING",
        [str(SCHEMA_VERSION)],
    )
    con.execute("INSERT INTO meta VALUES ('data_version', '0') ON CONFLICT (key) DO NOTHING")
    con.execute("INSERT INTO meta VALUES ('plan_version', '0') ON CONFLICT (key) DO NOTHING")


def open_database(cfg: Settings, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and on first start create) the database of ``cfg``: schema, then every plan under
    ``data/plans`` that it does not hold yet.

    :raises DatabaseLocked: another process holds the file.
    """
    from kpi.plan import seed_plans

    con = connect(cfg.db_path, read_only=read_only)
    if read_only:
        return con
    with write_lock:
        init_schema(con)
        with transaction(con):
            if seed_plans(con, cfg.data_dir):
                bump_version(con)
        set_aside = _SET_ASIDE.pop(str(Path(cfg.db_path)), None)
        if set_aside is not None:
            _record_set_aside(con, *set_aside)
    return con


def _record_set_aside(con: duckdb.DuckDBPyConnection, aside: Path, error: str) -> None:
    from kpi.audit import record

    now = dt.datetime.now().replace(microsecond=0)
    notice = {"at": now.isoformat(sep=" "), "wal": str(aside), "error": error[:500]}
    with transaction(con):
        con.execute(
            "INSERT INTO meta VALUES ('recovery_notice', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [json.dumps(notice, ensure_ascii=False)],
        )
        record(
            con,
            "system",
            "wal_set_aside",
            file_name=aside.name,
            detail=f"Nhật ký WAL không phát lại được, đã để riêng tại {aside}; mở trạng thái tốt gần nhất. "
            f"Lỗi: {error[:300]}",
            at=now,
        )
        bump_version(con)


def recovery_notice(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The pending notice of a WAL set aside (``at``, ``wal``: where it is kept, ``error``), or
    ``None``. Shown to admins until :func:`acknowledge_recovery`."""
    raw = scalar(con, "SELECT value FROM meta WHERE key = 'recovery_notice'")
    return json.loads(raw) if raw else None


def acknowledge_recovery(con: duckdb.DuckDBPyConnection, actor: str) -> None:
    """An admin has seen the recovery notice: it is cleared (and the acknowledgement audited).

    :raises kpi.errors.PermissionDenied: ``actor`` is not an admin.
    """
    from kpi.audit import record
    from kpi.auth import require

    require(con, actor, "backup")
    with write_lock, transaction(con):
        notice = recovery_notice(con)
        con.execute("DELETE FROM meta WHERE key = 'recovery_notice'")
        record(con, actor, "recovery_acknowledged", detail=(notice or {}).get("wal", ""))


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """``BEGIN`` … ``COMMIT``, or ``ROLLBACK`` on any exception (then re-raised)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """The counter every import, withdrawal, restore and target change bumps (cache key)."""
    value = scalar(con, "SELECT value FROM meta WHERE key = 'data_version'")
    return int(value) if value is not None else 0


def bump_version(con: duckdb.DuckDBPyConnection) -> int:
    """Increment the data version inside the caller's transaction; returns the new value."""
    con.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'")
    return data_version(con)


def plan_version(con: duckdb.DuckDBPyConnection) -> int:
    """The counter every change of plans, units or alias tables bumps (the catalogue cache key)."""
    value = scalar(con, "SELECT value FROM meta WHERE key = 'plan_version'")
    return int(value) if value is not None else 0


def bump_plan_version(con: duckdb.DuckDBPyConnection) -> int:
    """Increment the plan version (and the data version: verdicts depend on the plan) inside the
    caller's transaction. Every function that writes plans, indicators, units or alias tables must
    call it."""
    con.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'plan_version'")
    bump_version(con)
    return plan_version(con)


def raw_path(raw_dir: Path, sha256: str) -> Path:
    """Where a raw file lives in the archive: ``raw/ab/abcdef….bin``."""
    return raw_dir / sha256[:2] / f"{sha256}.bin"


def archive_raw(raw_dir: Path, data: bytes, sha256: str | None = None) -> Path:
    """Write a raw file into the archive atomically (temp file, fsync, rename); idempotent."""
    sha256 = sha256 or sha256_of(data)
    target = raw_path(raw_dir, sha256)
    if target.exists() and target.stat().st_size == len(data):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}.{threading.get_ident()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target
