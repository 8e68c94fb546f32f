"""Issue 16, finding 10: a damaged *data block* of the database file (not its header).

DuckDB checks a block's checksum only when a query reads it, so such a file opens fine and fails
later, on the commands and pages that read the block. Each must end in the Vietnamese message of
:class:`kpi.errors.DatabaseCorrupt` (restore a backup), never a traceback or Streamlit's English
error box. The damage is made the way the tester made it: one byte flipped at 24 offsets spread
through the file after its three 4 KiB headers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kpi.bootstrap import open_database
from kpi.cli import main
from kpi.config import settings
from tests.support.paths import PROJECT
from tests.support.samples import load

HEADERS = 3 * 4096
OFFSETS = 24  # as in the trial


@pytest.fixture(scope="module")
def sample_database(tmp_path_factory) -> bytes:
    """The five samples stored and checkpointed into the file: the bytes of ``kpi.duckdb``."""
    cfg = settings(db_path=tmp_path_factory.mktemp("whole") / "kpi.duckdb")
    con = open_database(cfg)
    load(con, cfg, "q1", "h1", "q3", "registrations", "awards")
    con.execute("CHECKPOINT")
    con.close()
    return cfg.db_path.read_bytes()


def damaged(data: bytes, number: int) -> bytes:
    """``data`` with one byte flipped at the ``number``-th of :data:`OFFSETS` spread offsets."""
    offset = HEADERS + (len(data) - HEADERS) * (2 * number + 1) // (2 * OFFSETS)
    out = bytearray(data)
    out[offset] ^= 0xFF
    return bytes(out)


def test_every_damaged_block_gives_the_vietnamese_message_on_the_command_line(sample_database, tmp_path, capsys):
    answered = 0
    for number in range(OFFSETS):
        path = tmp_path / f"{number}" / "kpi.duckdb"
        path.parent.mkdir()
        path.write_bytes(damaged(sample_database, number))
        code = main(["report", "--year", "2024", "--db", str(path)])  # a traceback fails the test here
        out, err = capsys.readouterr()
        assert code in (0, 1), number
        if code == 1:
            answered += 1
            assert "bị hỏng" in err and "python -m kpi restore --from" in err, err
            assert "Traceback" not in err
        else:
            assert "Tổng vốn đầu tư toàn xã hội" in out
    assert answered >= 3  # the damage did reach blocks the report reads (14 of 24 with DuckDB 1.x)


def _opens_but_a_query_fails(path: Path) -> bool:
    from kpi.errors import DatabaseCorrupt
    from kpi.reporting.attainment_report import attainment_report

    try:
        con = open_database(settings(db_path=path))
    except DatabaseCorrupt:
        return False  # damage met at opening: the app answered that already
    try:
        attainment_report(con, 2024, None)
    except duckdb.Error:
        return True
    finally:
        con.close()
    return False


@pytest.fixture
def damaged_app(sample_database, tmp_path, monkeypatch):
    """A database that opens but holds a damaged block the overview reads, opened by the app."""
    for number in range(OFFSETS):
        path = tmp_path / f"{number}" / "kpi.duckdb"
        path.parent.mkdir()
        path.write_bytes(damaged(sample_database, number))
        if _opens_but_a_query_fails(path):
            break
        shutil.rmtree(path.parent)
    else:
        pytest.fail("no offset reached a data block the report reads")
    monkeypatch.setenv("KPI_DB", str(path))
    monkeypatch.chdir(PROJECT)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("page", ["views/overview.py", "views/data.py", "views/awards.py"])
def test_pages_on_a_damaged_block_say_so_in_vietnamese(damaged_app, page):
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "bị hỏng" in errors and "python -m kpi restore --from" in errors


def test_checking_a_file_against_a_damaged_database_blames_the_database(sample_database, tmp_path):
    """prepare() turned any exception into «lỗi của phần mềm … gửi tệp cho quản trị viên»; a damaged
    block met while checking a good file is the database's fault, and says so."""
    from kpi.errors import DatabaseCorrupt
    from kpi.ingest import prepare
    from kpi.reading.report_sheets import ImportOptions
    from tests.support.samples import sample_bytes

    blamed = 0
    for number in range(OFFSETS):
        cfg = settings(db_path=tmp_path / f"{number}" / "kpi.duckdb")
        cfg.db_path.parent.mkdir()
        cfg.db_path.write_bytes(damaged(sample_database, number))
        try:
            con = open_database(cfg)
        except (DatabaseCorrupt, duckdb.Error):
            continue  # met at opening: the boundaries answer that (tests above)
        try:
            prep = prepare(con, sample_bytes("q1"), "q1.xlsx", ImportOptions(), cfg)
            assert "internal_error" not in [e.code for e in prep.errors], number
        except DatabaseCorrupt as exc:
            blamed += 1
            assert exc.reading and "python -m kpi restore --from" in exc.message_vi
        finally:
            con.close()
    assert blamed >= 1
