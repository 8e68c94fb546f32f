"""Issue 20: the project pins DuckDB 1.5.5 (the DuckLake extension packages exist for 1.5.x); a
database file written by DuckDB 2.0 cannot be read by it. The command line and the pages must say
so in Vietnamese (what happened; a backup made by this version, or ``python -m kpi rebuild`` from
an import log of this version, restores it), never a traceback or "bị hỏng" (the file is intact).

The fixture ``tests/data/duckdb-2.0.1.duckdb.gz`` is a real file written by DuckDB 2.0.1:
``python3 -c "import duckdb; duckdb.connect('x.duckdb').execute('create table t(i int)')"``
with ``duckdb==2.0.1``, gzipped (a 268 KiB file of mostly zeros).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kpi.cli import main
from kpi.errors import DatabaseTooNew
from kpi.storage.database import connect
from tests.support.paths import PROJECT

FIXTURE = PROJECT / "tests" / "data" / "duckdb-2.0.1.duckdb.gz"


@pytest.fixture
def newer_file(tmp_path) -> Path:
    path = tmp_path / "kpi.duckdb"
    path.write_bytes(gzip.decompress(FIXTURE.read_bytes()))
    return path


def _says_what_to_do(text: str) -> None:
    assert "phiên bản DuckDB mới hơn" in text, text
    assert "python -m kpi restore --from" in text and "python -m kpi rebuild" in text, text
    assert "không bị hỏng" in text and "Traceback" not in text


def test_opening_a_file_of_a_newer_duckdb_raises_too_new_and_leaves_it_untouched(newer_file):
    before = newer_file.read_bytes()
    with pytest.raises(DatabaseTooNew) as caught:
        connect(newer_file)
    _says_what_to_do(caught.value.message_vi)
    assert newer_file.read_bytes() == before


def test_the_command_line_says_so_in_vietnamese(newer_file, capsys):
    code = main(["report", "--year", "2024", "--db", str(newer_file)])
    out, err = capsys.readouterr()
    assert code == 1
    _says_what_to_do(err)


def test_restoring_a_backup_written_by_a_newer_duckdb_is_refused_in_vietnamese(newer_file, tmp_path, capsys):
    code = main(["restore", "--from", str(newer_file), "--db", str(tmp_path / "other" / "kpi.duckdb")])
    _, err = capsys.readouterr()
    assert code == 1
    assert "phiên bản DuckDB mới hơn" in err and "Traceback" not in err


def test_rebuild_replays_the_import_journal_of_a_newer_file_and_keeps_the_file(newer_file, capsys):
    """The import log inside a 2.0 file cannot be read; the import journal beside it (JSON) can."""
    from kpi.storage.database import journal_path, raw_path, sha256_of
    from tests.support.samples import SAMPLE_FILES, sample_bytes

    data = sample_bytes("q1")
    sha = sha256_of(data)
    target = raw_path(newer_file.parent / "raw", sha)
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    entry = {"db": "x", "sha256": sha, "file_name": SAMPLE_FILES["q1"], "options": "{}", "actor": "cli:test"}
    journal_path(newer_file).write_text(json.dumps({**entry, "uploaded_at": "2024-04-10 09:00:00"}) + "\n")
    before = newer_file.read_bytes()
    assert main(["rebuild", "--db", str(newer_file)]) == 0
    out, err = capsys.readouterr()
    assert "phát lại 1 mục" in out, (out, err)
    assert (newer_file.parent / "kpi.duckdb.before-rebuild.1").read_bytes() == before
    assert main(["report", "--year", "2024", "--db", str(newer_file)]) == 0
    assert "Tổng vốn đầu tư toàn xã hội" in capsys.readouterr().out


def test_the_pages_say_so_in_vietnamese(newer_file, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(newer_file))
    monkeypatch.chdir(PROJECT)
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        _says_what_to_do(" ".join(e.value for e in at.error).replace("\\", ""))
    finally:
        st.cache_resource.clear()
