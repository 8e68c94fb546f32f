"""DuckDB storage: the schema, opening the file, transactions, the raw-file archive.

Nothing here checks a role, writes an audit row or seeds a plan: that is :mod:`kpi.bootstrap`
(first start), :mod:`kpi.access` (roles, audit) and :mod:`kpi.storage.catalogue` (plans).

One embedded file (``data/kpi.duckdb`` by default), or the shared store of several servers
(``KPI_STORE``: DuckLake on PostgreSQL, :mod:`kpi.storage.lake`, opened by
:func:`kpi.storage.store.open_store`) on which the same schema and statements run; the WAL, the
journal and the lock below are the file's. Functions here and in the other modules take
the connection as their first argument; the app owns one connection per server process and hands
each script run a cursor (DuckDB's "multiple Python threads" guide), the command line opens its
own. Every write that changes figures runs inside :func:`transaction` and bumps the data version
(:func:`data_version`) that the app's caches are keyed by, rewriting the current figures it
changed in the same transaction (:mod:`kpi.storage.current`).

DuckDB lets one process open a file at a time (even read-only while another writes):
:func:`connect` turns DuckDB's lock error into :class:`~kpi.errors.DatabaseLocked`, which names the
file and the holding process.

Crash safety: committed transactions live in the write-ahead log (``kpi.duckdb.wal``) until a
checkpoint folds them into the file; a process killed mid-import leaves its open transaction out
of the WAL, so the file is entirely there or entirely absent. A WAL that DuckDB cannot replay
(damaged on disk) is **kept aside** — renamed ``kpi.duckdb.wal.broken-<time>``, never deleted — and
the file's last checkpointed state is opened; :func:`kpi.bootstrap.open_database` then writes a
``wal_set_aside`` audit row and a notice (:func:`recovery_notice`) that the app shows admins until
one acknowledges it (:func:`kpi.bootstrap.acknowledge_recovery`). A damaged database file itself raises
:class:`~kpi.errors.DatabaseCorrupt` and nothing is touched (restore a backup: :mod:`kpi.backup`).

A WAL cut short (a torn write, a disk that lost its tail) is worse: DuckDB replays the part that is
left without a word, so the last commits vanish. Hence the **import journal**
(``kpi.duckdb.imports.jsonl`` beside the database, :func:`journal_commit`): one fsynced JSON line
per upload, appended only after its transaction has committed. On every open,
:func:`open_checked` compares it with the ``submissions`` table (:func:`lost_commits`): an entry
whose file is not in the database is a commit that was lost — the WAL as it was before the open is
kept as ``kpi.duckdb.wal.incomplete-<time>``, each lost upload gets a ``commit_lost`` audit row and
the recovery notice names them (file, period, when, who, its raw file). A crash before ``COMMIT``
leaves its raw file in ``raw/`` (archived first, fsynced) but no journal line, so it is never taken
for a loss. Journal lines carry the database's identity (``meta.db_id``), so a database started
afresh at the same path does not inherit an older one's journal, and a backup restored over it
does (the uploads made after the backup are then named as missing, which they are).

Temp files of the raw archive a crash left (``raw/ab/<sha256>.tmp<pid>.<thread>``) are removed on
open (:func:`clean_raw_temps`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from kpi.config import Settings
from kpi.errors import DatabaseCorrupt, DatabaseLocked, DatabaseTooNew
from kpi.storage import current, lake
from kpi.storage.schema import SCHEMA, SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "connect",
    "open_checked",
    "Recovery",
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
    "set_recovery_notice",
    "clear_recovery_notice",
    "journal_path",
    "journal_commit",
    "lost_commits",
    "clean_raw_temps",
]

#: Writes of one process go one at a time (DuckDB allows concurrent appends from cursors, but
#: supersede logic reads then writes; one lock keeps each import's view consistent).
write_lock = threading.RLock()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The first column of the first row, or ``None``; the result is fully consumed (DuckDB 2
    refuses ``register`` while a result is only partly fetched)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def sha256_of(data: bytes) -> str:
    """Hex sha256 of a file's bytes: the identity of a raw file."""
    return hashlib.sha256(data).hexdigest()


_LOCK_RE = re.compile(r"Conflicting lock is held in (.+?)(?:\. See also|$)", re.S)

#: DuckDB's words for a file whose storage format is newer than this DuckDB reads.
_TOO_NEW_RE = re.compile(r"created with an? newer version of DuckDB|read a database file with version number", re.I)

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
    :raises DatabaseTooNew: a newer DuckDB wrote the file (a :class:`DatabaseCorrupt`); nothing was changed.
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
        if _TOO_NEW_RE.search(str(exc)):
            raise DatabaseTooNew(str(path), str(exc), duckdb.__version__) from exc
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


_PRIMARY_KEY_RE = re.compile(r",\s*PRIMARY KEY \([^)]*\)|\s+PRIMARY KEY", re.I)


def init_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table that does not exist yet (idempotent) and raise an older database's
    ``schema_version`` (:mod:`kpi.storage.schema`: the schema grows by tables). On the shared store the primary
    keys are left out (DuckLake has none, :mod:`kpi.storage.lake`) and the whole schema is one
    transaction, so two servers starting at once on an empty store conflict and the loser, retried,
    finds the tables there."""
    on_lake = lake.is_lake(con)
    schema = _PRIMARY_KEY_RE.sub("", SCHEMA) if on_lake else SCHEMA

    def create() -> None:
        with transaction(con):
            for statement in schema.split(";"):
                if statement.strip():
                    con.execute(statement)
            for key, value in (("schema_version", str(SCHEMA_VERSION)), ("data_version", "0"), ("plan_version", "0")):
                con.execute(
                    "INSERT INTO meta SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = ?)",
                    [key, value, key],
                )
            # an older database: the tables it lacked were created above, nothing else changes
            con.execute(
                "UPDATE meta SET value = ? WHERE key = 'schema_version' AND TRY_CAST(value AS INTEGER) < ?",
                [str(SCHEMA_VERSION), SCHEMA_VERSION],
            )
            con.execute(
                "INSERT INTO claims SELECT 'store', 'writes', 0, NULL"
                " WHERE NOT EXISTS (SELECT 1 FROM claims WHERE kind = 'store')"
            )

    lake.retrying(create) if on_lake else create()


@dataclass(frozen=True)
class Recovery:
    """What :func:`open_checked` found to recover (see the module docstring); :mod:`kpi.bootstrap`
    writes its audit rows and the notice."""

    #: The WAL DuckDB refused, as kept aside, and DuckDB's words; ``None`` when it replayed.
    set_aside: tuple[Path, str] | None = None
    #: Import-journal entries whose upload is missing from the database (:func:`lost_commits`).
    lost: list[dict] = field(default_factory=list)
    #: Where the WAL as it was before the open is kept when commits were lost, else ``None``.
    kept_wal: Path | None = None
    #: The raw-file archive beside the database file (``raw/``), where lost uploads' files are.
    raw_dir: Path | None = None


def open_checked(cfg: Settings) -> tuple[duckdb.DuckDBPyConnection, Recovery]:
    """Open (and on first start create) the database of ``cfg`` for writing: the schema and the
    database's identity, then the recovery checks of the module docstring (a WAL DuckDB refused,
    uploads of the import journal missing from the database, stale temp files of the raw archive).
    Seeding the plans and auditing what was found is :func:`kpi.bootstrap.open_database`'s.

    :raises DatabaseLocked: another process holds the file.
    :raises DatabaseCorrupt: the file itself is damaged.
    """
    wal_copy = _copy_wal(Path(cfg.db_path))
    try:
        con = connect(cfg.db_path)
    except BaseException:
        _discard(wal_copy)
        raise
    with write_lock:
        init_schema(con)
        _ensure_database_id(con)
        if not current.is_fresh(con):  # an older release's file, or one written around bump_version
            with transaction(con):
                current.refresh(con, None, was_fresh=False)
        set_aside = _SET_ASIDE.pop(str(Path(cfg.db_path)), None)
        if set_aside is not None:
            _discard(wal_copy)  # the WAL itself was kept aside
            wal_copy = None
        lost = lost_commits(con)
        kept = None
        if lost:
            kept = _keep_wal_copy(wal_copy) if wal_copy is not None else (set_aside[0] if set_aside else None)
        else:
            _discard(wal_copy)
    if str(cfg.db_path) != ":memory:":
        clean_raw_temps(cfg.raw_dir)
    raw_dir = Path(str(_database_file(con))).parent / "raw"
    return con, Recovery(set_aside=set_aside, lost=lost, kept_wal=kept, raw_dir=raw_dir)


def set_recovery_notice(con: duckdb.DuckDBPyConnection, notice: dict) -> None:
    """Store the notice :func:`recovery_notice` returns (in the caller's transaction)."""
    con.execute("DELETE FROM meta WHERE key = 'recovery_notice'")
    con.execute("INSERT INTO meta VALUES ('recovery_notice', ?)", [json.dumps(notice, ensure_ascii=False)])


def clear_recovery_notice(con: duckdb.DuckDBPyConnection) -> None:
    """Remove the recovery notice (in the caller's transaction)."""
    con.execute("DELETE FROM meta WHERE key = 'recovery_notice'")


def recovery_notice(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The pending notice of a recovery at start-up, or ``None``; shown to admins until
    :func:`acknowledge_recovery`. Keys: ``at`` (ISO time), ``wal`` (where the set-aside WAL is
    kept, ``""`` if none), ``error`` (DuckDB's words for a WAL it refused, ``""`` otherwise) and,
    when committed uploads were found missing, ``lost``: a list of dicts ``file_name``,
    ``sha256``, ``kind``, ``year``, ``quarter``, ``uploaded_at``, ``actor``, ``raw`` (the raw file's
    path in the archive)."""
    raw = scalar(con, "SELECT value FROM meta WHERE key = 'recovery_notice'")
    return json.loads(raw) if raw else None


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """``BEGIN`` … ``COMMIT``, or ``ROLLBACK`` on any exception (then re-raised). A commit the
    shared store refuses for a concurrent write (:func:`kpi.storage.lake.is_conflict`) is rolled
    back and raised as :class:`StoreConflict`."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException as exc:
        with contextlib.suppress(duckdb.Error):  # a refused COMMIT may have ended it already
            con.execute("ROLLBACK")
        if lake.is_conflict(exc):
            raise lake.StoreConflict(str(exc)) from exc
        raise


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """The counter every import, withdrawal, restore and target change bumps (cache key); on the
    shared store, the lake's snapshot id (every committed write of any server makes a new one)."""
    if lake.is_lake(con):
        return lake.snapshot_id(con)
    value = scalar(con, "SELECT value FROM meta WHERE key = 'data_version'")
    return int(value) if value is not None else 0


def bump_version(con: duckdb.DuckDBPyConnection, figures_of: Iterable[int] | None = None) -> int:
    """Increment the data version inside the caller's transaction and rewrite the current figures
    of ``figures_of`` — the submissions whose status or figures it changed; ``()``: no figure
    changed; ``None``: unknown, all (:func:`kpi.storage.current.refresh`). Returns the new value.
    On the shared store the snapshot id is the version and the commit makes it: nothing to write."""
    if lake.is_lake(con):
        return lake.snapshot_id(con)
    was_fresh = current.is_fresh(con)
    con.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'")
    current.refresh(con, figures_of, was_fresh)
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
    bump_version(con, figures_of=())
    return plan_version(con)


def raw_path(raw_dir: Path, sha256: str) -> Path:
    """Where a raw file lives in the archive: ``raw/ab/abcdef….bin``."""
    return raw_dir / sha256[:2] / f"{sha256}.bin"


def archive_raw(raw_dir: Path, data: bytes, sha256: str | None = None) -> Path:
    """Write a raw file into the archive atomically (temp file ``<sha256>.tmp<pid>.<thread>``,
    fsync, rename, fsync of the folder); idempotent. :func:`kpi.ingest.commit` calls it inside
    its transaction, before ``COMMIT``: a committed upload always has its raw file on disk."""
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
    _fsync_dir(target.parent)  # the rename itself survives a power cut before the DB commit
    return target


# -- the import journal, lost commits, stale temp files ----------------------------------------

#: When this process started (the module is imported at start): a raw-archive temp file older
#: than this, of another process, has no live writer.
_STARTED = time.time()

_TEMP_RE = re.compile(r"^[0-9a-f]{64}\.tmp(\d+)\.\d+$")


def _fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (POSIX; a no-op where folders cannot be
    opened, as on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _database_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind ``con`` (a connection or a cursor), ``None`` in memory or on the shared store."""
    rows = con.execute("SELECT path, type FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return Path(rows[0][0]) if rows and rows[0][0] and rows[0][1] == "duckdb" else None


def journal_path(db_path: Path | str) -> Path:
    """The import journal of a database file: ``kpi.duckdb`` → ``kpi.duckdb.imports.jsonl``."""
    return Path(str(db_path) + ".imports.jsonl")


def _ensure_database_id(con: duckdb.DuckDBPyConnection) -> str:
    """The database's identity (``meta.db_id``, a random hex string), created on first open and
    checkpointed at once so a lost WAL cannot take it away."""
    db_id = scalar(con, "SELECT value FROM meta WHERE key = 'db_id'")
    if db_id:
        return db_id
    db_id = uuid.uuid4().hex
    con.execute("INSERT INTO meta SELECT 'db_id', ? WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'db_id')", [db_id])
    con.execute("CHECKPOINT")
    return scalar(con, "SELECT value FROM meta WHERE key = 'db_id'")


def journal_commit(con: duckdb.DuckDBPyConnection, entry: dict) -> None:
    """Append one committed upload to the import journal (see the module docstring): one JSON
    line, fsynced. Call it only **after** the upload's transaction has committed.

    :param entry: ``sha256``, ``file_name``, ``submission_id``, ``kind``, ``year``, ``quarter``,
        ``uploaded_at``, ``actor``, ``options``; the database's ``db`` id is added here.
    Nothing is written for a database in memory or without an id (opened without
    :func:`open_database`). A journal that cannot be written (disk full…) is logged, not raised:
    the upload itself is stored.
    """
    path = _database_file(con)
    db_id = scalar(con, "SELECT value FROM meta WHERE key = 'db_id'") if path else None
    if not path or not db_id:
        return
    line = json.dumps({"db": db_id, **entry}, ensure_ascii=False, default=str) + "\n"
    target = journal_path(path)
    try:
        new = not target.exists()
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        if new:
            _fsync_dir(target.parent)
    except OSError as exc:
        import logging

        logging.getLogger(__name__).warning("import journal %s not written: %s", target, exc)


def lost_commits(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Uploads the import journal holds as committed whose file is not in ``submissions`` and
    that no ``commit_lost`` audit row has named yet, in journal order (one per sha256). Lines of
    another database (``db`` ≠ ``meta.db_id``) and a torn last line are ignored.

    :returns: the journal entries (dicts, see :func:`journal_commit`).
    """
    path = _database_file(con)
    db_id = scalar(con, "SELECT value FROM meta WHERE key = 'db_id'") if path else None
    if not path or not db_id or not journal_path(path).exists():
        return []
    entries: dict[str, dict] = {}
    with open(journal_path(path), encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line torn by a crash while it was written
            if isinstance(entry, dict) and entry.get("db") == db_id and isinstance(entry.get("sha256"), str):
                entries.setdefault(entry["sha256"], entry)
    if not entries:
        return []
    present = {r[0] for r in con.execute("SELECT DISTINCT sha256 FROM submissions").fetchall()}
    named = {r[0] for r in con.execute("SELECT DISTINCT sha256 FROM audit_log WHERE action = 'commit_lost'").fetchall()}
    return [e for sha, e in entries.items() if sha not in present and sha not in named]


def _copy_wal(db_path: Path) -> Path | None:
    """Copy the WAL as it is before DuckDB replays it (DuckDB replays a cut WAL's prefix
    silently), so it can be kept if commits turn out lost; ``None`` without a WAL."""
    wal = Path(str(db_path) + ".wal")
    if str(db_path) == ":memory:":
        return None
    for stale in wal.parent.glob(f"{wal.name}.before-open-*"):  # a process killed while it opened
        pid = stale.name.rsplit("-", 1)[1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            _discard(stale)
    if not wal.exists():
        return None
    copy = wal.with_name(f"{wal.name}.before-open-{os.getpid()}")
    try:
        with open(wal, "rb") as src, open(copy, "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    except OSError:
        _discard(copy)
        return None
    return copy


def _discard(copy: Path | None) -> None:
    """Remove this process's own pre-open copy of the WAL (never the WAL itself)."""
    if copy is not None:
        with contextlib.suppress(OSError):
            copy.unlink()


def _keep_wal_copy(copy: Path) -> Path:
    """Keep the pre-open copy as ``kpi.duckdb.wal.incomplete-<time>`` (never overwriting)."""
    stem = copy.name.rsplit(".before-open-", 1)[0]
    base = copy.with_name(f"{stem}.incomplete-{dt.datetime.now():%Y%m%d-%H%M%S}")
    kept, n = base, 1
    while kept.exists():
        n += 1
        kept = base.with_name(f"{base.name}-{n}")
    os.replace(copy, kept)
    return kept


def clean_raw_temps(raw_dir: Path) -> list[Path]:
    """Remove temp files of the raw archive with no live writer: ``<sha256>.tmp<pid>.<thread>``
    of another process that is gone, or older than this process. Archived files
    (``<sha256>.bin``) and anything else are never touched.

    :returns: the files removed.
    """
    removed: list[Path] = []
    if not raw_dir.is_dir():
        return removed
    for folder in raw_dir.iterdir():
        if len(folder.name) != 2 or not folder.is_dir():
            continue
        for path in folder.iterdir():
            m = _TEMP_RE.match(path.name)
            if not m or int(m.group(1)) == os.getpid() or not path.is_file():
                continue
            try:
                if _alive(int(m.group(1))) and path.stat().st_mtime >= _STARTED:
                    continue
                path.unlink()
            except OSError:
                continue
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # it exists, run by another user
    return True
