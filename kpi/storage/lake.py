"""The shared store: DuckLake with its catalog in PostgreSQL (issue 20).

``KPI_STORE`` unset keeps the single DuckDB file (:mod:`kpi.storage.database`).
``KPI_STORE=ducklake:postgres:<libpq dsn>`` with ``KPI_DATA_PATH=<folder>`` opens an in-memory
DuckDB that ``ATTACH``\\es the DuckLake catalog as ``kpi_lake`` and ``USE``\\s it, so every statement
of the other modules runs unchanged against the lake: DuckDB stays the query engine, PostgreSQL
holds the catalog (which snapshot holds which Parquet file), the folder holds the Parquet files
(``<data path>/lake/``) and the raw uploads (``<data path>/raw/``). Every server mounts the folder.

The three DuckDB extensions come from the pinned packages ``duckdb-extension-ducklake``,
``-postgres-scanner`` and ``-parquet`` (1.5.5, as ``duckdb``) and are ``LOAD``\\ed from their
paths: nothing is downloaded at run time.

What DuckLake lacks and how the schema does without it (DuckDB's DuckLake docs, "Unsupported
features"): no primary keys, unique constraints or sequences (``PRIMARY KEY`` is left out of the
schema here; ids are ``max() + 1`` inside a transaction that holds the write claim, see
:func:`kpi.storage.store.claim`). Transactions are snapshots; DuckLake 1.5 detects a conflict
per table (measured: two transactions deleting or updating *any* rows of one table conflict, two
inserts never do), so every write that allocates an id or may change a series updates its claim
rows and the store-wide one, and a concurrent one conflicts; the loser's ``COMMIT`` fails
(:func:`is_conflict`) and the caller retries it (:func:`retrying`).

The data version that keys the caches is the lake's snapshot id (:func:`snapshot_id`).
"""

from __future__ import annotations

import importlib.util
import random
import time
from pathlib import Path

import duckdb

from kpi.errors import KpiError

__all__ = [
    "PREFIX",
    "ALIAS",
    "StoreUnavailable",
    "StoreConflict",
    "RETRIES",
    "retrying",
    "extension_path",
    "connect_lake",
    "is_lake",
    "snapshot_id",
    "is_conflict",
]

#: What ``KPI_STORE`` starts with for the shared store.
PREFIX = "ducklake:postgres:"

#: The name the lake is attached under (``USE``\\d, so statements need no prefix).
ALIAS = "kpi_lake"

_EXTENSIONS = (
    ("parquet", "duckdb_extension_parquet"),
    ("postgres_scanner", "duckdb_extension_postgres_scanner"),
    ("ducklake", "duckdb_extension_ducklake"),
)


class StoreUnavailable(KpiError):
    """The shared store cannot be opened: a missing extension package, PostgreSQL not answering,
    or a ``KPI_STORE`` this version does not know. Nothing was changed.

    :ivar detail: DuckDB's (or PostgreSQL's) own words.
    """

    def __init__(self, message_vi: str, detail: str = ""):
        super().__init__(message_vi + (f" Chi tiết kỹ thuật cho người quản trị: {detail[:200]}" if detail else ""))
        self.detail = detail


def extension_path(name: str, package: str) -> Path:
    """The ``.duckdb_extension`` file inside an installed extension package (``<package>/extensions/
    v<duckdb version>/<name>.duckdb_extension``).

    :raises StoreUnavailable: the package is not installed for this DuckDB.
    """
    spec = importlib.util.find_spec(package)
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        exact = Path(folder) / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
        if exact.is_file():
            return exact
    raise StoreUnavailable(
        f"Thiếu gói «{package.replace('_', '-')}» phiên bản {duckdb.__version__} cho kho dùng chung (DuckLake). "
        "Hãy cài lại các gói của chương trình: pip install -r requirements.txt."
    )


def connect_lake(store: str, data_path: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake of ``store`` (``ducklake:postgres:<dsn>``) attached and in
    use; the catalog is created on first use, the Parquet files go under ``data_path/lake``.

    :raises StoreUnavailable: an extension is missing, or PostgreSQL refused or did not answer.
    """
    if not store.startswith(PREFIX):
        raise StoreUnavailable(
            f"KPI_STORE=«{store}» không đúng dạng: chỉ hỗ trợ «{PREFIX}<chuỗi kết nối PostgreSQL>» "
            "(hoặc để trống để dùng một tệp DuckDB)."
        )
    lake_files = Path(data_path) / "lake"
    lake_files.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        for name, package in _EXTENSIONS:
            con.execute(f"LOAD {_literal(extension_path(name, package))}")
        con.execute(f"ATTACH {_literal(store)} AS {ALIAS} (DATA_PATH {_literal(str(lake_files) + '/')})")
        con.execute(f"USE {ALIAS}")
    except duckdb.Error as exc:
        con.close()
        raise StoreUnavailable(
            "Không mở được kho dùng chung (DuckLake trên PostgreSQL): máy chủ PostgreSQL không trả lời "
            "hoặc từ chối kết nối. Hãy kiểm tra KPI_STORE (máy, cổng, tên cơ sở dữ liệu, người dùng) và "
            "rằng PostgreSQL đang chạy. Không có gì bị thay đổi.",
            str(exc),
        ) from exc
    except BaseException:
        con.close()
        raise
    return con


def _literal(text: object) -> str:
    """A quoted SQL string (``LOAD`` and ``ATTACH`` take no parameters)."""
    return "'" + str(text).replace("'", "''") + "'"


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con`` (a connection or cursor) works on the shared store."""
    rows = con.execute("SELECT type FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return bool(rows) and rows[0][0] == "ducklake"


def snapshot_id(con: duckdb.DuckDBPyConnection) -> int:
    """The lake's current snapshot id: every committed write makes a new one (the data version)."""
    return int(con.execute(f"SELECT id FROM {ALIAS}.current_snapshot()").fetchall()[0][0])


def is_conflict(exc: BaseException) -> bool:
    """Whether a DuckDB error is DuckLake refusing a commit that conflicts with a concurrent one."""
    return isinstance(exc, duckdb.Error) and "Transaction conflict" in str(exc)


class StoreConflict(KpiError):
    """A write on the shared store met a concurrent write of another server (DuckLake refused its
    ``COMMIT``) and was rolled back; :func:`retrying` runs it again, and raises this with its
    Vietnamese message only after :data:`RETRIES` attempts. Nothing was stored."""

    def __init__(self, detail: str = ""):
        super().__init__(
            "Máy chủ khác đang ghi vào kho dùng chung cùng lúc nên thao tác này chưa được lưu (đã thử lại "
            f"{RETRIES} lần). Không có gì bị thay đổi; hãy thử lại sau ít phút."
        )
        self.detail = detail


#: How many times :func:`retrying` runs a write that conflicts, waiting a little more each time.
RETRIES = 30


def retrying(write, attempts: int = RETRIES):
    """Run ``write()`` (a function that opens its own :func:`kpi.storage.database.transaction`)
    again while it raises :class:`StoreConflict`, waiting 50 ms × 1.5ⁿ (at most 2 s) with jitter
    between attempts (measured: with 12 attempts of 20 ms × 1.5ⁿ, one of four processes committing
    ten files each in a loop ran out of them). A retried write reads the winner's rows (a duplicate
    file is then found as one). On the single file a conflict never happens: ``write`` runs once.

    :raises StoreConflict: still conflicting after ``attempts`` runs.
    """
    for attempt in range(attempts):
        try:
            return write()
        except StoreConflict:
            if attempt == attempts - 1:
                raise
            time.sleep(min(2.0, 0.05 * 1.5**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")
