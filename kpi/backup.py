"""Backups of the database, and restoring one.

* :func:`backup_to_file` makes a consistent copy while the database is in use: under the write
  lock (no import, withdrawal or target change can be half-way), ``ATTACH`` a new DuckDB file and
  ``COPY FROM DATABASE`` into it — one statement, one snapshot. The copy is written beside its
  destination, checked (it opens, its counts equal the source's) and only then renamed into place,
  so a backup file is either complete or absent. In the app it is an admin action on the
  "Quản trị hệ thống" page; from the command line (``python -m kpi backup --to FILE``) it runs while
  the app is stopped (DuckDB lets one process open the file).
* :func:`restore_from_file` (``python -m kpi restore --from FILE``, app stopped) builds a fresh file
  from a backup and swaps it in; the current file is kept as ``kpi.duckdb.before-restore-<time>``
  (``-2``, ``-3``… within the same second) — never overwritten, never deleted. It also works when
  the current file is damaged (that is what it is for). Uploads made after the backup are still in
  the import journal (:mod:`kpi.storage.database`), so the next open names them as missing in the recovery
  notice, with their raw files, to be uploaded again.

On the shared store (``KPI_STORE``, :mod:`kpi.storage.lake`) the same two functions work: a backup
is the whole lake copied into one DuckDB file by the same ``COPY FROM DATABASE`` (one snapshot, so
consistent while every server writes; readable by the single-file version too), and a restore
fills the lake back from such a file in one transaction (:func:`_restore_into_store`), the store as
it was kept first as a backup. The Parquet files and PostgreSQL's catalog need no copy of their
own for this; a PostgreSQL dump plus the data folder is the administrator's other way.

The raw uploads (``data/raw``) are not inside the database: copy that folder with the backup;
raw files plus ``python -m kpi rebuild`` stay the last line of defence.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from kpi.access.audit import record
from kpi.access.auth import require
from kpi.config import Settings
from kpi.errors import DatabaseCorrupt, DatabaseTooNew, KpiError
from kpi.storage.database import connect, init_schema, scalar, transaction, write_lock
from kpi.storage.lake import retrying
from kpi.storage.store import claim, open_store
from kpi.vn import format_number

__all__ = [
    "BackupResult",
    "RestoreResult",
    "backup_to_file",
    "restore_from_file",
    "default_backup_path",
    "list_backups",
]

#: Tables whose row counts must agree between a database and its copy.
_CHECKED = ("submissions", "observations", "awards", "registrations", "import_log", "users", "indicators")


@dataclass(frozen=True)
class BackupResult:
    """A backup made: where, how big, when, and the counts it was checked with."""

    path: Path
    size_bytes: int
    made_at: dt.datetime
    counts: dict[str, int]


@dataclass(frozen=True)
class RestoreResult:
    """A restore done: the database path, where the previous file was kept, the restored counts."""

    path: Path
    kept_as: Path | None
    counts: dict[str, int]


def default_backup_path(cfg: Settings, at: dt.datetime | None = None) -> Path:
    """``<database folder>/backups/kpi-YYYYmmdd-HHMMSS.duckdb`` (the app's backup button); a
    second backup within the same second gets ``-2``, ``-3``… rather than replacing the first."""
    at = at or dt.datetime.now()
    stem = _backup_folder(cfg) / f"kpi-{at:%Y%m%d-%H%M%S}"
    path, n = Path(f"{stem}.duckdb"), 1
    while path.exists():
        n += 1
        path = Path(f"{stem}-{n}.duckdb")
    return path


def list_backups(cfg: Settings) -> list[tuple[Path, int, dt.datetime]]:
    """The backups in the default folder, newest first: (path, size in bytes, modified at)."""
    folder = _backup_folder(cfg)
    if not folder.is_dir():
        return []
    found = [
        (p, p.stat().st_size, dt.datetime.fromtimestamp(p.stat().st_mtime).replace(microsecond=0))
        for p in folder.glob("*.duckdb")
        if p.is_file()
    ]
    return sorted(found, key=lambda item: item[2], reverse=True)


def _backup_folder(cfg: Settings) -> Path:
    """``backups/`` beside the database file, or in the shared store's folder (``KPI_DATA_PATH``)."""
    return (cfg.store_folder if cfg.store else cfg.db_path.parent) / "backups"


def _ident(name: str) -> str:
    """A quoted SQL identifier (database names come from file names)."""
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    """A quoted SQL string of a file path (DuckDB 1.5 takes no parameter in ``ATTACH``)."""
    return "'" + str(path).replace("'", "''") + "'"


def _counts(con, database: str | None = None) -> dict[str, int]:
    prefix = f"{_ident(database)}.main." if database else ""
    return {t: int(scalar(con, f"SELECT count(*) FROM {prefix}{t}")) for t in _CHECKED}


def _remove(path: Path) -> None:
    for p in (path, Path(str(path) + ".wal")):
        if p.exists():
            p.unlink()


def backup_to_file(con: duckdb.DuckDBPyConnection, path: Path | str, actor: str) -> BackupResult:
    """Copy the whole database into a new DuckDB file at ``path`` (see the module docstring).

    :param con: the open database (the app's cursor, or the command line's connection).
    :raises PermissionDenied: ``actor`` is not an admin.
    :raises KpiError: ``path`` is the database itself, or the copy did not check out.
    """
    require(con, actor, "backup")
    path = Path(path).absolute()
    source_file = scalar(con, "SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
    if source_file and Path(source_file).absolute() == path:
        raise KpiError("Không thể sao lưu đè lên chính tệp cơ sở dữ liệu đang dùng; hãy chọn tệp khác.")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    _remove(tmp)
    alias = f"kpi_backup_{os.getpid()}"
    with write_lock:
        current = scalar(con, "SELECT current_database()")
        made_at = dt.datetime.now().replace(microsecond=0)
        con.execute(f"ATTACH {_literal(tmp)} AS {_ident(alias)}")
        try:
            con.execute(f"COPY FROM DATABASE {_ident(current)} TO {_ident(alias)}")
            expected = _counts(con)
            copied = _counts(con, alias)
        finally:
            con.execute("DETACH " + _ident(alias))
        if copied != expected:
            _remove(tmp)
            raise KpiError(f"Bản sao lưu không khớp với cơ sở dữ liệu ({copied} ≠ {expected}); chưa ghi gì.")
        check = duckdb.connect(str(tmp))  # opens, replays its WAL, checkpoints into one file
        try:
            if _counts(check) != expected:
                raise KpiError("Bản sao lưu đọc lại không khớp với cơ sở dữ liệu; chưa ghi gì.")
            check.execute("CHECKPOINT")
        finally:
            check.close()
        os.replace(tmp, path)
        if Path(str(tmp) + ".wal").exists():
            os.replace(Path(str(tmp) + ".wal"), Path(str(path) + ".wal"))
        size = path.stat().st_size
        record(con, actor, "backup", file_name=path.name, detail=f"{path} ({format_number(size, 0)} byte; {expected})")
    return BackupResult(path, size, made_at, expected)


def _check_backup(source: Path) -> dict[str, int]:
    """Open a backup read-only and count its rows; refuse what is not one of ours."""
    if not source.is_file():
        raise KpiError(f"Không có tệp sao lưu «{source}».")
    try:
        con = connect(source, read_only=True)
    except DatabaseTooNew as exc:
        raise KpiError(
            f"Tệp sao lưu «{source}» được ghi bởi một phiên bản DuckDB mới hơn phiên bản đang dùng "
            f"(DuckDB {exc.version}) nên không đọc được; không có gì bị thay đổi. Hãy chọn một bản sao lưu "
            "do chính phiên bản này tạo."
        ) from exc
    except DatabaseCorrupt as exc:
        raise KpiError(f"Tệp «{source}» không phải là bản sao lưu đọc được ({exc.detail[:160]}).") from exc
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if not {"meta", "submissions", "observations", "import_log"} <= tables:
            raise KpiError(f"Tệp «{source}» không phải là bản sao lưu của bảng điều khiển (thiếu các bảng số liệu).")
        return {t: int(scalar(con, f"SELECT count(*) FROM {t}")) if t in tables else 0 for t in _CHECKED}
    finally:
        con.close()


def _restore_into_store(cfg: Settings, source: Path, actor: str, counts: dict[str, int]) -> RestoreResult:
    """Restore a backup file into the shared store (``KPI_STORE``): the store as it is now is first
    backed up beside the data (``<KPI_DATA_PATH>/backups/…before-restore…``), then one transaction
    empties every table and fills it from the backup (``INSERT … BY NAME``: a backup of an older
    version lacks columns, which stay empty). The servers may keep running: they see the restored
    data at their next rerun (a new snapshot). The raw archive is left as it is (it only grows)."""
    con = open_store(cfg)
    try:
        require(con, actor, "backup")
        kept = backup_to_file(
            con, _backup_folder(cfg) / f"before-restore-{dt.datetime.now():%Y%m%d-%H%M%S}.duckdb", actor
        ).path
        con.execute(f"ATTACH {_literal(source)} AS kpi_restore_source (READ_ONLY)")
        try:
            theirs = {
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = 'kpi_restore_source'"
                ).fetchall()
            }
            ours = {
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
                ).fetchall()
            }

            def swap() -> None:
                with transaction(con):
                    claim(con)
                    for table in sorted(ours):
                        con.execute(f"DELETE FROM {_ident(table)}")
                        if table in theirs:
                            con.execute(
                                f"INSERT INTO {_ident(table)} BY NAME SELECT * FROM kpi_restore_source.main.{_ident(table)}"
                            )
                    if _counts(con) != counts:
                        raise KpiError("Dữ liệu khôi phục không khớp với bản sao lưu; chưa thay đổi gì.")
                    record(
                        con, actor, "restore_backup", file_name=source.name, detail=f"khôi phục từ {source}; {counts}"
                    )

            with write_lock:
                retrying(swap)
        finally:
            con.execute("DETACH kpi_restore_source")
    finally:
        con.close()
    return RestoreResult(Path(cfg.store), kept, counts)


def restore_from_file(cfg: Settings, source: Path | str, actor: str) -> RestoreResult:
    """Replace the database of ``cfg`` by the backup ``source`` (the app must be stopped; on the
    shared store it need not be: :func:`_restore_into_store`).

    :raises DatabaseLocked: the app (or another process) holds the database; nothing changed.
    :raises PermissionDenied: ``actor`` is not an admin of the current database.
    :raises KpiError: ``source`` is not a readable backup; nothing changed.
    """
    source = Path(source).absolute()
    target = Path(cfg.db_path).absolute()
    if source == target:
        raise KpiError("Tệp sao lưu chính là tệp cơ sở dữ liệu; hãy chọn tệp sao lưu khác.")
    counts = _check_backup(source)
    if cfg.store:
        return _restore_into_store(cfg, source, actor, counts)
    current = None
    if target.exists():
        try:
            current = connect(target)  # DatabaseLocked while the app runs: nothing is touched
        except DatabaseCorrupt:
            current = None  # a damaged database is what a restore is for
    if current is not None:
        try:
            tables = {r[0] for r in current.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
            if "users" in tables:
                require(current, actor, "backup")
            current.execute("CHECKPOINT")
        finally:
            current.close()
    tmp = target.with_name(f".{target.name}.restore{os.getpid()}")
    _remove(tmp)
    target.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(f"ATTACH {_literal(source)} AS kpi_restore_source (READ_ONLY)")
        con.execute(f"COPY FROM DATABASE kpi_restore_source TO {_ident(scalar(con, 'SELECT current_database()'))}")
        con.execute("DETACH kpi_restore_source")
        init_schema(con)  # a backup from an older version gains the tables it lacks
        if _counts(con) != counts:
            raise KpiError("Dữ liệu khôi phục không khớp với bản sao lưu; chưa thay đổi gì.")
        record(con, actor, "restore_backup", file_name=source.name, detail=f"khôi phục từ {source}; {counts}")
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        _remove(tmp)
        raise
    con.close()
    kept = None
    if target.exists():
        stem = f"{target.name}.before-restore-{dt.datetime.now():%Y%m%d-%H%M%S}"
        kept, n = target.with_name(stem), 1
        while kept.exists():  # a second restore within the same second: never over the first kept copy
            n += 1
            kept = target.with_name(f"{stem}-{n}")
        os.replace(target, kept)
        wal = Path(str(target) + ".wal")
        if wal.exists():
            os.replace(wal, Path(str(kept) + ".wal"))
    os.replace(tmp, target)
    if Path(str(tmp) + ".wal").exists():
        os.replace(Path(str(tmp) + ".wal"), Path(str(target) + ".wal"))
    return RestoreResult(target, kept, counts)
