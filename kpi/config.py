"""Configuration in one place: a frozen dataclass built once from environment variables.

Every field has a default and a help text; :func:`settings` reads the environment (and, from the
app, anything put in ``st.secrets`` is passed in as ``overrides``). The command line's ``--db``
overrides ``KPI_DB``, which overrides the default ``data/kpi.duckdb`` (design.md, "The command
line"); when ``data/`` is not writable the default is under the user's Documents
(:func:`default_db_path`).
"""

from __future__ import annotations

import functools
import os
import tempfile
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

__all__ = ["Settings", "settings", "PROJECT_DIR", "DATA_DIR", "data_file", "default_db_path", "upload_limit_mb"]

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"


def data_file(data_dir: Path | str | None, name: str) -> Path:
    """A shared data file (vocabulary, aliases, units of measure…) of ``data_dir``, or the
    default data folder's when ``data_dir`` has none: a second district's folder holds its own
    plans and units, and may share the rest."""
    if data_dir is not None and (Path(data_dir) / name).exists():
        return Path(data_dir) / name
    return DATA_DIR / name


def _writable(folder: Path) -> bool:
    """A file can be created in ``folder`` (tried for real: on Windows ``os.access`` ignores the
    folder's permissions, e.g. under ``C:\\Program Files``)."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def default_db_path(data_dir: Path = DATA_DIR, documents: Path | None = None) -> Path:
    """Where the database goes when neither ``KPI_DB`` nor ``--db`` says: ``<data_dir>/kpi.duckdb``
    when the project's data folder is writable, else (a copy installed read-only, e.g. under
    ``C:\\Program Files``) ``<Documents>/kpi-dashboard/kpi.duckdb`` — ``documents`` defaults to the
    user's ``~/Documents`` (``~`` itself when there is none). The raw archive and the app's backups
    live beside the database, so they move with it (issue 18)."""
    if _writable(data_dir):
        return data_dir / "kpi.duckdb"
    if documents is None:
        home = Path.home()
        documents = home / "Documents" if (home / "Documents").is_dir() else home
    return documents / "kpi-dashboard" / "kpi.duckdb"


#: Streamlit's settings file, read by ``streamlit run`` started in the project folder.
STREAMLIT_CONFIG = PROJECT_DIR / ".streamlit" / "config.toml"


def upload_limit_mb() -> int:
    """The one upload limit, in MB (1 MB = 1 048 576 bytes): Streamlit's ``server.maxUploadSize``,
    read where Streamlit reads it — the environment variable ``STREAMLIT_SERVER_MAX_UPLOAD_SIZE``,
    else ``.streamlit/config.toml`` of the project, else Streamlit's default (200). The file chooser,
    Streamlit's upload endpoint and :func:`kpi.reading.workbook.check_size` (the command line too) thus
    refuse at the same byte; :attr:`Settings.max_upload_bytes` is this in bytes.

    :raises ValueError: the variable or the file gives something other than a positive integer.
    """
    raw = os.environ.get("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", "").strip()
    if not raw and STREAMLIT_CONFIG.exists():
        import tomllib

        value = tomllib.loads(STREAMLIT_CONFIG.read_text(encoding="utf-8")).get("server", {}).get("maxUploadSize")
        raw = "" if value is None else str(value)
    mb = int(raw) if raw else 200
    if mb < 1:
        raise ValueError(f"server.maxUploadSize must be a positive number of MB, not {raw!r}")
    return mb


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in {"1", "true", "yes", "on", "co", "có"}


@dataclass(frozen=True)
class Settings:
    """Settings of one process. Sizes are in bytes, times in seconds."""

    db_path: Path = field(
        default=DATA_DIR / "kpi.duckdb",
        metadata={"env": "KPI_DB", "help": "the DuckDB file (created on first start)"},
    )
    data_dir: Path = field(
        default=DATA_DIR,
        metadata={"env": "KPI_DATA_DIR", "help": "plans, units, aliases and vocabulary files"},
    )
    store: str = field(
        default="",
        metadata={
            "env": "KPI_STORE",
            "help": "empty: the DuckDB file KPI_DB; ducklake:postgres:<dsn>: the shared store (kpi.storage.lake)",
        },
    )
    data_path: Path | None = field(
        default=None,
        metadata={
            "env": "KPI_DATA_PATH",
            "help": "the shared store's folder every server mounts: Parquet files (lake/) and raw uploads (raw/)",
        },
    )
    max_upload_bytes: int = field(
        default_factory=lambda: upload_limit_mb() * 1024 * 1024,
        metadata={
            "env": "STREAMLIT_SERVER_MAX_UPLOAD_SIZE",
            "help": "largest accepted file: Streamlit's server.maxUploadSize (MB), see upload_limit_mb",
        },
    )
    max_uncompressed_bytes: int = field(
        default=400 * 1024 * 1024,
        metadata={"help": "largest total uncompressed size of a zipped workbook (zip bombs)"},
    )
    max_compression_ratio: int = field(
        default=150, metadata={"help": "largest uncompressed/compressed ratio of a big zip member"}
    )
    max_cells: int = field(default=6_000_000, metadata={"help": "most cells read from one workbook"})
    worker_memory_bytes: int = field(
        default=3 * 1024 * 1024 * 1024,
        metadata={"env": "KPI_WORKER_MEMORY_MB", "help": "address-space limit of the parser"},
    )
    worker_cpu_seconds: int = field(default=120, metadata={"help": "CPU-time limit of the parsing worker per file"})
    parse_timeout_seconds: float = field(default=90.0, metadata={"help": "wall-clock limit for parsing one file"})
    require_login: bool = field(
        default=False,
        metadata={"env": "KPI_REQUIRE_LOGIN", "help": "require sign-in to view the dashboard too"},
    )
    chromium_path: str | None = field(
        default=None,
        metadata={
            "env": "KPI_CHROMIUM",
            "help": "the browser that draws PNG pictures (default: /usr/bin/chromium or chromium on PATH)",
        },
    )
    render_timeout_seconds: float = field(
        default=60.0,
        metadata={"env": "KPI_RENDER_TIMEOUT", "help": "wall-clock limit for drawing one picture (PNG)"},
    )
    upload_session_bytes: int = field(
        default=3 * 20 * 1024 * 1024,
        metadata={
            "env": "KPI_UPLOAD_SESSION_MB",
            "help": "most bytes of unsaved uploads one browser session may hold (default 3 × the file limit)",
        },
    )
    upload_total_bytes: int = field(
        default=200 * 1024 * 1024,
        metadata={"env": "KPI_UPLOAD_TOTAL_MB", "help": "most bytes of unsaved uploads all sessions may hold"},
    )
    trusted_proxies: tuple[str, ...] = field(
        default=(),
        metadata={
            "env": "KPI_TRUSTED_PROXIES",
            "help": "reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated)",
        },
    )
    idle_timeout_seconds: float = field(
        default=30 * 60.0,
        metadata={"env": "KPI_IDLE_MINUTES", "help": "a signed-in tab is signed out after this idle time (minutes)"},
    )

    @property
    def raw_dir(self) -> Path:
        """The archive of raw uploads, beside the database: ``<db dir>/raw/<sha256>``; on the shared
        store, under its data path: ``<KPI_DATA_PATH>/raw``."""
        if self.store:
            return self.store_folder / "raw"
        return self.db_path.parent / "raw"

    @property
    def store_folder(self) -> Path:
        """The shared store's folder (``KPI_DATA_PATH``; without it, the database file's folder)."""
        return self.data_path if self.data_path is not None else self.db_path.parent


@functools.lru_cache(maxsize=1)
def _default_db_path() -> Path:
    return default_db_path()


def settings(**overrides) -> Settings:
    """Build :class:`Settings` from the environment, then ``overrides`` (``None`` values ignored)."""
    values: dict = {}
    env_db = os.environ.get("KPI_DB", "").strip()
    if env_db:
        values["db_path"] = Path(env_db)
    elif "db_path" not in overrides or overrides["db_path"] is None:
        values["db_path"] = _default_db_path()
    env_data = os.environ.get("KPI_DATA_DIR", "").strip()
    if env_data:
        values["data_dir"] = Path(env_data)
    values["worker_memory_bytes"] = _env_int("KPI_WORKER_MEMORY_MB", 3072) * 1024 * 1024
    values["require_login"] = _env_bool("KPI_REQUIRE_LOGIN", False)
    if "KPI_CHROMIUM" in os.environ:
        values["chromium_path"] = os.environ["KPI_CHROMIUM"].strip()
    raw_timeout = os.environ.get("KPI_RENDER_TIMEOUT", "").strip()
    if raw_timeout:
        values["render_timeout_seconds"] = float(raw_timeout)
    session_mb = _env_int("KPI_UPLOAD_SESSION_MB", 0)
    limit = overrides.get("max_upload_bytes") or upload_limit_mb() * 1024 * 1024
    values["upload_session_bytes"] = session_mb * 1024 * 1024 if session_mb > 0 else 3 * limit
    values["upload_total_bytes"] = _env_int("KPI_UPLOAD_TOTAL_MB", 200) * 1024 * 1024
    proxies = os.environ.get("KPI_TRUSTED_PROXIES", "").strip()
    if proxies:
        values["trusted_proxies"] = tuple(p.strip() for p in proxies.split(",") if p.strip())
    store = os.environ.get("KPI_STORE", "").strip()
    if store:
        values["store"] = store
        data_path = os.environ.get("KPI_DATA_PATH", "").strip()
        if data_path:
            values["data_path"] = Path(data_path)
    idle = os.environ.get("KPI_IDLE_MINUTES", "").strip()
    if idle:
        values["idle_timeout_seconds"] = float(idle) * 60
    known = {f.name for f in fields(Settings)}
    for key, value in overrides.items():
        if value is None:
            continue
        if key not in known:
            raise TypeError(f"unknown setting {key!r}")
        values[key] = Path(value) if key in {"db_path", "data_dir", "data_path"} else value
    return replace(Settings(), **values)
