"""A throwaway PostgreSQL cluster for the shared-store tests (issue 20), and the two backends.

:func:`postgres` (session scope) runs Debian's ``initdb`` in a temporary folder owned by the
``postgres`` user (``initdb`` refuses root, so it runs through ``runuser -u postgres`` when the
tests run as root), starts the server on a free loopback port with its socket in that folder, and
stops it (``pg_ctl stop -m immediate``) and removes the folder at the end. Without the binaries
(``apt-get install postgresql``; ``.ci/run`` installs them) every test that needs it is skipped
with that reason — and fails under ``CI=true``, as the browser tests do without chromium.

:func:`backend` parametrises a test over ``file`` (the single DuckDB file, the default) and
``lake`` (DuckLake on the cluster, a fresh PostgreSQL database per test): it returns the
:class:`~kpi.config.Settings` to open, and the environment a subprocess or a server needs.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from kpi.config import Settings, settings

__all__ = ["PG_BIN", "Cluster", "binaries_missing", "throwaway_cluster", "postgres", "backend", "Backend"]

#: Where Debian puts the server's programs (the newest version there).
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), Path("/nonexistent"))


@dataclass(frozen=True)
class Cluster:
    """A running cluster: its port, socket folder and superuser; :meth:`new_database` gives each test
    its own database."""

    port: int
    folder: Path
    user: str = "postgres"

    def dsn(self, dbname: str) -> str:
        return f"host=127.0.0.1 port={self.port} user={self.user} dbname={dbname}"

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        out = subprocess.run(
            ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", self.dsn(dbname), "-c", sql],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return out.stdout

    def new_database(self) -> str:
        name = f"kpi_test_{os.getpid()}_{next(_NAMES)}"
        self.psql(f"CREATE DATABASE {name}")
        return name


_NAMES = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    """Run a server program as ``postgres`` when the tests run as root (initdb refuses root)."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def binaries_missing() -> str | None:
    """Why no throwaway cluster can be started here, or ``None`` when it can."""
    if not (PG_BIN / "initdb").exists() or shutil.which("psql") is None:
        return "PostgreSQL is not installed (apt-get install postgresql): the shared-store tests need it"
    return None


@contextlib.contextmanager
def throwaway_cluster():
    """Start a cluster in a temporary folder on a free loopback port; stop and remove it on exit
    (the pytest fixture :func:`postgres` and ``bench/run.py`` use it)."""
    initdb, pg_ctl = PG_BIN / "initdb", PG_BIN / "pg_ctl"
    folder = Path(tempfile.mkdtemp(prefix="kpi-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    port = _free_port()
    try:
        subprocess.run(
            _as_postgres([str(initdb), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"]),
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        subprocess.run(
            _as_postgres([str(pg_ctl), "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w", "start"]),
            check=True,
            capture_output=True,
            timeout=120,
        )
        yield Cluster(port, folder)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                _as_postgres([str(pg_ctl), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                capture_output=True,
                timeout=120,
            )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres():
    """The session's throwaway cluster (see the module docstring); skipped without the binaries."""
    missing = binaries_missing()
    if missing:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(missing)  # CI installs it (.ci/run): its absence there is a broken set-up
        pytest.skip(missing)
    with throwaway_cluster() as cluster:
        yield cluster


@dataclass(frozen=True)
class Backend:
    """One backend of a parametrised test: its name, the settings to open, the environment."""

    name: str
    cfg: Settings
    env: dict[str, str]

    def environ(self) -> dict[str, str]:
        """``os.environ`` for a subprocess or an app server on this backend."""
        env = {k: v for k, v in os.environ.items() if k not in ("KPI_STORE", "KPI_DATA_PATH")}
        return {**env, **self.env}


@pytest.fixture(params=["file", "lake"])
def backend(request, tmp_path) -> Backend:
    """The single file, then the shared store on the session's cluster (see the module docstring)."""
    db_path = tmp_path / "kpi.duckdb"
    if request.param == "file":
        return Backend("file", settings(db_path=db_path), {"KPI_DB": str(db_path)})
    cluster = request.getfixturevalue("postgres")
    store = "ducklake:postgres:" + cluster.dsn(cluster.new_database())
    shared = tmp_path / "shared"
    cfg = replace(settings(db_path=db_path), store=store, data_path=shared)
    env = {"KPI_DB": str(db_path), "KPI_STORE": store, "KPI_DATA_PATH": str(shared)}
    return Backend("lake", cfg, env)
