"""The storage seam (issue 20): opening the single file or the shared store, and the writes both
can hold — claim rows instead of locks, ids without sequences — and the version that keys the caches. Both backends run the same statements (see
:mod:`kpi.storage.lake` for why DuckLake needs them); on the single file the process's
:data:`kpi.storage.database.write_lock` serialises writes already and the claim rows only count.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from kpi.config import Settings
from kpi.storage import current, lake
from kpi.storage.database import Recovery, data_version, init_schema, open_checked, scalar

__all__ = [
    "cursor",
    "open_store",
    "open_for_writing",
    "claim",
    "next_seq",
    "next_submission_id",
    "store_version",
    "store_state",
    "StoreState",
]


def claim(con: duckdb.DuckDBPyConnection, *keys: tuple[str, str]) -> None:
    """Take the write claims (in the caller's transaction): the store-wide row and one row per
    ``(kind, key)`` — ``("series", …)`` for a series, ``("sha256", …)`` for a file's bytes. On the
    shared store a concurrent transaction that takes any claim conflicts with this one at
    ``COMMIT`` (DuckLake 1.5 detects conflicts per table; the store-wide row also makes the
    conflict certain under row-level detection, and covers a first claim of a new key, which two
    inserts would not). Every write that allocates an id (:func:`next_seq`) or changes which
    version of a series is active takes it. On the single file writes are serialised already."""
    wanted = [("store", "writes"), *keys]
    condition = " OR ".join(["(kind = ? AND key = ?)"] * len(wanted))
    params = [v for pair in wanted for v in pair]
    con.execute(f"UPDATE claims SET n = n + 1, claimed_at = now() WHERE {condition}", params)
    for kind, key in keys:
        con.execute(
            "INSERT INTO claims SELECT ?, ?, 1, now() WHERE NOT EXISTS (SELECT 1 FROM claims WHERE kind = ? AND key = ?)",
            [kind, key, kind, key],
        )


def next_seq(con: duckdb.DuckDBPyConnection) -> int:
    """The next import-log number (``max + 1`` of the log and of the submissions' ``seq``), after
    taking the write claim (:func:`claim`): no sequences, so the shared store can hold it."""
    claim(con)
    return int(
        scalar(
            con,
            "SELECT greatest((SELECT coalesce(max(seq), 0) FROM import_log),"
            " (SELECT coalesce(max(seq), 0) FROM submissions)) + 1",
        )
    )


def next_submission_id(con: duckdb.DuckDBPyConnection) -> int:
    """The next submission id (``max + 1``), in a transaction that holds the write claim."""
    return int(scalar(con, "SELECT coalesce(max(submission_id), 0) + 1 FROM submissions"))


class StoreState(NamedTuple):
    """What a reader needs to know of the store before it asks anything (:func:`store_state`:
    two small statements on the file).

    :ivar path: the database file, or the lake's catalog ("" in memory): what caches tell stores apart by.
    :ivar version: the data version (:func:`kpi.storage.database.data_version`).
    :ivar plan_version: the plan version (:func:`kpi.storage.database.plan_version`), as stored (text).
    :ivar fresh: whether the kept current figures are of this data version (:mod:`kpi.storage.current`).
    """

    path: str
    version: int
    plan_version: str | None
    fresh: bool


_META_SQL = f"""
SELECT max(value) FILTER (key = 'data_version'), max(value) FILTER (key = 'plan_version'),
       max(value) FILTER (key = '{current.KEPT_AT}') FROM meta
"""


def store_state(con: duckdb.DuckDBPyConnection) -> StoreState:
    """The store's :class:`StoreState`, in two small statements (measured: one statement joining
    ``duckdb_databases()`` with ``meta`` costs more than both); on the shared store the version is
    the lake's snapshot id and no current-figures table is kept."""
    rows = con.execute("SELECT path, type FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    path, kind = rows[0] if rows else ("", "")
    version, plan, kept_at = con.execute(_META_SQL).fetchall()[0]
    if kind == "ducklake":
        return StoreState(str(path), lake.snapshot_id(con), plan, False)
    return StoreState(str(path or ""), int(version or 0), plan, current.fresh(kept_at, version))


def store_version(con: duckdb.DuckDBPyConnection) -> tuple[str, int]:
    """What caches are keyed by: the store (the database file, or the lake's catalog) and its
    data version (:func:`kpi.storage.database.data_version`)."""
    rows = con.execute("SELECT path, type FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    path, kind = rows[0] if rows else ("", "")
    if kind == "ducklake":
        return str(path), lake.snapshot_id(con)
    return str(path or ""), data_version(con)


def open_store(cfg: Settings) -> duckdb.DuckDBPyConnection:
    """Open the shared store of ``cfg`` (``KPI_STORE``, :mod:`kpi.storage.lake`) with its schema.
    Its catalog is a PostgreSQL database: no WAL, no journal, no lock to recover from here.

    :raises kpi.storage.lake.StoreUnavailable: an extension is missing or PostgreSQL did not answer.
    """
    con = lake.connect_lake(cfg.store, cfg.store_folder)
    try:
        init_schema(con)
    except BaseException:
        con.close()
        raise
    return con


def open_for_writing(cfg: Settings) -> tuple[duckdb.DuckDBPyConnection, Recovery]:
    """The store of ``cfg`` opened for writing: the shared store (:func:`open_store`, nothing to
    recover), or the file with its recovery checks (:func:`kpi.storage.database.open_checked`)."""
    if cfg.store:
        return open_store(cfg), Recovery(raw_dir=cfg.raw_dir)
    return open_checked(cfg)


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    r"""A cursor of the process's connection (one per script run or thread) on the same store. A
    DuckDB cursor starts on the in-memory database, not on what its connection ``USE``\s, so on
    the shared store it is pointed at the lake here."""
    cur = con.cursor()
    attached = {r[0] for r in cur.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
    if lake.ALIAS in attached:
        cur.execute(f"USE {lake.ALIAS}")
    return cur
