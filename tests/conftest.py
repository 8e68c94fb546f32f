"""Shared fixtures: a real DuckDB file per test, the five samples loaded once per session and
copied per test, the app's environment, one server and one browser for the browser tests.

Helpers that are not fixtures (sample bytes, report builders, runners) live in ``tests/support/``.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kpi.bootstrap import open_database
from kpi.config import Settings, settings
from tests.support.browser import browser, page, server  # noqa: F401 - one server and one browser for all browser tests
from tests.support.postgres import backend, postgres  # noqa: F401 - the throwaway PostgreSQL and the two backends (issue 20)
from tests.support.samples import ACTOR, SAMPLE_FILES, SAMPLES, load, sample_bytes  # noqa: F401 - re-exported for fixtures below


@pytest.fixture
def app_env(cfg, monkeypatch):
    """The app under AppTest uses this test's own database (``KPI_DB``), sign-in as configured by
    default, and the project folder as its working directory (Streamlit's config is read there)."""
    monkeypatch.setenv("KPI_DB", str(cfg.db_path))
    monkeypatch.delenv("KPI_REQUIRE_LOGIN", raising=False)
    monkeypatch.chdir(Path(__file__).resolve().parents[1])


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    """Every test starts with Streamlit's caches empty: the app's loaders and figures are keyed by
    the data version, which two tests' databases can share (style.md, habit 11)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture
def cfg(tmp_path):
    """Settings whose database (and raw archive) live in the test's own folder."""
    return settings(db_path=tmp_path / "kpi.duckdb")


@pytest.fixture
def server_machine(monkeypatch):
    """The app's visitor connects from the server machine itself (the socket's peer 127.0.0.1).

    AppTest runs a page without a connection, so the visitor's address is unknown, and an unknown
    address is never the server machine (kpi.access.auth: until the first admin exists only the server
    machine writes). Tests of the README's first session, on the server machine, say so here."""
    import appkit.session

    monkeypatch.setattr(appkit.session, "peer_address", lambda: "127.0.0.1")


@pytest.fixture
def lan_visitor(monkeypatch):
    """The app's visitor connects over the LAN (the socket's peer 192.168.1.23)."""
    import appkit.session

    monkeypatch.setattr(appkit.session, "peer_address", lambda: "192.168.1.23")


@pytest.fixture(scope="session")
def _samples_loaded_folder(tmp_path_factory):
    """The five shared samples ingested once per session (as ``load`` does, in the order of the
    samples README) into a folder of its own: the database file, its import journal and the raw
    archive. Each test that asks for ``loaded`` gets a copy, so no test sees another's writes."""
    folder = tmp_path_factory.mktemp("samples-loaded")
    cfg = settings(db_path=folder / "kpi.duckdb")
    connection = open_database(cfg)
    load(connection, cfg, "q1", "h1", "q3", "registrations", "awards")
    connection.execute("CHECKPOINT")
    connection.close()
    return folder


@pytest.fixture(scope="session")
def _first_start_files(tmp_path_factory):
    """The database file as a first start leaves it (schema and plans), built once per session for
    each distinct setting but the file's path, so that ``con`` copies it instead of seeding every
    plan again for each of the ≈900 tests that ask for it (≈1 s each on a 2-core host)."""
    built: dict[Settings, Path] = {}

    def first_start(cfg: Settings) -> Path:
        key = replace(cfg, db_path=Path("kpi.duckdb"))
        if key not in built:
            folder = tmp_path_factory.mktemp("first-start")
            connection = open_database(replace(cfg, db_path=folder / "kpi.duckdb"))
            connection.execute("CHECKPOINT")
            connection.close()
            built[key] = folder
        return built[key]

    return first_start


@pytest.fixture
def con(cfg, request):
    """A fresh database file with the 2024 plan loaded (as on first start: a copy of the session's
    file opened again, which runs the same recovery checks); for a test that also asks for
    ``loaded``, a copy of the session's database with the five samples in it. A shared store
    (``KPI_STORE``) is opened as it is, not copied."""
    if "loaded" in request.fixturenames:
        shutil.copytree(request.getfixturevalue("_samples_loaded_folder"), cfg.db_path.parent, dirs_exist_ok=True)
    elif not cfg.store and not cfg.db_path.exists():
        shutil.copytree(request.getfixturevalue("_first_start_files")(cfg), cfg.db_path.parent, dirs_exist_ok=True)
    connection = open_database(cfg)
    yield connection
    connection.close()


@pytest.fixture
def loaded(con):
    """The database with all five shared samples loaded (a copy of the session's, see ``con``)."""
    return con
