"""Shared fixtures: a real DuckDB file per test, the shared samples as bytes, loaded databases.

The samples under ``data/samples/`` are byte-identical copies of ``../shared/samples/``
(``test_samples_are_the_shared_ones`` checks their sha256).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kpi.access.auth import operator
from kpi.bootstrap import open_database
from kpi.config import DATA_DIR, settings
from kpi.ingest import ingest
from tests.browser import browser, page, server  # noqa: F401 - one server and one browser for all browser tests
from tests.postgres import backend, postgres  # noqa: F401 - the throwaway PostgreSQL and the two backends (issue 20)

SAMPLES = DATA_DIR / "samples"
SAMPLE_FILES = {
    "q1": "bao-cao-quy-1-2024.xlsx",
    "h1": "bao-cao-6-thang-2024.xls",
    "q3": "bao-cao-9-thang-2024.ods",
    "registrations": "dang-ky-thi-dua-2024.xlsx",
    "awards": "khen-thuong-2024.xlsx",
}
SHARED = Path(__file__).resolve().parents[2] / "shared" / "samples"
TESTS = Path(__file__).resolve().parent
ACTOR = operator("test")  # the command line's operator (an admin), shown as "cli:test"


def sample_bytes(name: str) -> bytes:
    """A shared sample by short name ("q1") or file name."""
    return (SAMPLES / SAMPLE_FILES.get(name, name)).read_bytes()


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


@pytest.fixture
def con(cfg):
    """A fresh database file with the 2024 plan loaded (as on first start)."""
    connection = open_database(cfg)
    yield connection
    connection.close()


def load(con, cfg, *names: str, **options):
    """Ingest shared samples by short name, in the order given; returns the commit results."""
    from kpi.reading.report_sheets import ImportOptions

    results = []
    for name in names:
        _prep, committed = ingest(
            con, sample_bytes(name), SAMPLE_FILES.get(name, name), ACTOR, ImportOptions(**options), cfg
        )
        results.append(committed)
    return results


@pytest.fixture
def loaded(con, cfg):
    """The database with all five shared samples loaded."""
    load(con, cfg, "q1", "h1", "q3", "registrations", "awards")
    return con
