"""The kept current figures (kpi.storage.current): after every kind of write the table holds exactly
what the winners worked out from the stored figures say, reports read from it equal reports worked
out live, and a table that is not of the data version is never read."""

from __future__ import annotations

import sys

import duckdb
import pandas as pd
import pytest

from kpi.bootstrap import open_database
from kpi.ingest import ingest
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting import attainment_report as ar
from kpi.storage import current
from kpi.storage.catalogue import load_catalogue
from kpi.storage.figures import district_figure_records
from kpi.storage.store import store_state
from kpi.submissions import restore_submission, withdraw_submission
from tests.support.ledger import REF, q1_version
from tests.support.paths import PROJECT
from tests.support.samples import ACTOR, load

_LIVE = current.WINNERS_SQL.format(where="")


def _differences(con) -> int:
    """Rows in one of (kept table, winners worked out now) and not in the other."""
    kept_not_live = con.execute(f"SELECT count(*) FROM (FROM current_figures EXCEPT ALL {_LIVE})").fetchone()[0]
    live_not_kept = con.execute(f"SELECT count(*) FROM ({_LIVE} EXCEPT ALL FROM current_figures)").fetchone()[0]
    return kept_not_live + live_not_kept


def _both_ways(con, year=2024, quarter=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The attainment table read from the kept table and worked out live."""
    catalogue = load_catalogue(con, year)
    kept = ar._attainment_report(con, year, quarter, None, catalogue, True).table
    live = ar._attainment_report(con, year, quarter, None, catalogue, False).table
    return kept, live


def _assert_in_step(con) -> None:
    assert current.is_fresh(con) and store_state(con).fresh
    assert _differences(con) == 0
    for quarter in (None, 1, 2, 3, 4):
        kept, live = _both_ways(con, quarter=quarter)
        pd.testing.assert_frame_equal(kept, live)


def test_every_write_keeps_the_table_in_step(con, cfg):
    assert con.execute("SELECT count(*) FROM current_figures").fetchone()[0] == 0
    _assert_in_step(con)
    load(con, cfg, "q1")
    kept = con.execute(
        "SELECT value FROM current_figures WHERE key = 'CT01' AND kind = 'ytd' AND quarter = 1"
    ).fetchall()
    assert kept == [(520.4,)]  # the Q1 sample's year to date (samples README)
    _assert_in_step(con)
    ingest(con, q1_version(530.4, 530.4, REF.format(n=60, d="15/4/2024")), "sua.xlsx", ACTOR, ImportOptions(), cfg)
    assert con.execute(
        "SELECT value FROM current_figures WHERE key = 'CT01' AND kind = 'ytd' AND quarter = 1"
    ).fetchall() == [(530.4,)]  # the correction supersedes
    _assert_in_step(con)
    restore_submission(con, 1, ACTOR, reason="bản sửa nhầm")
    _assert_in_step(con)
    withdraw_submission(con, 1, ACTOR)  # the remaining version is used again
    assert con.execute(
        "SELECT value FROM current_figures WHERE key = 'CT01' AND kind = 'ytd' AND quarter = 1"
    ).fetchall() == [(530.4,)]
    _assert_in_step(con)
    load(con, cfg, "h1", "q3", "registrations", "awards")
    _assert_in_step(con)
    assert ar.attainment_report(con, 2024).table.set_index("key").loc["CT01", "actual"] == pytest.approx(2438.3)


def test_a_write_around_the_version_bump_is_never_read_stale(loaded):
    """Figures written without :func:`bump_version`'s refresh (a tool, an older release) make the
    table stale: readers work the winners out instead, and the next open for writing rewrites it."""
    before = ar.attainment_report(loaded, 2024).table.set_index("key").loc["CT01", "actual"]
    loaded.execute("UPDATE observations SET value = value + 1000 WHERE key = 'CT01'")
    loaded.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'")
    assert not current.is_fresh(loaded) and not store_state(loaded).fresh
    after = ar.attainment_report(loaded, 2024).table.set_index("key").loc["CT01", "actual"]
    assert after == pytest.approx(before + 1000)


def test_a_file_of_an_older_release_is_read_live_then_filled(loaded, cfg):
    expected = ar.attainment_report(loaded, 2024).table
    loaded.execute("DROP TABLE current_figures")
    loaded.execute(f"DELETE FROM meta WHERE key = '{current.KEPT_AT}'")
    loaded.execute("CHECKPOINT")
    loaded.close()
    ar._REPORTS.clear()
    read_only = duckdb.connect(str(cfg.db_path), read_only=True)
    try:
        assert not store_state(read_only).fresh
        catalogue = load_catalogue(read_only, 2024)
        pd.testing.assert_frame_equal(
            ar._attainment_report(read_only, 2024, None, None, catalogue, False).table, expected
        )
    finally:
        read_only.close()
    reopened = open_database(cfg)
    try:
        _assert_in_step(reopened)
        pd.testing.assert_frame_equal(ar.attainment_report(reopened, 2024).table, expected)
    finally:
        reopened.close()


def test_unit_sums_from_the_table_equal_those_worked_out(tmp_path):
    """A district whose figures are only its communes' (bench/scale.py writes 6 units, 2 years):
    the sums, counts, vintages and sources read from the kept table equal the live ones."""
    sys.path.insert(0, str(PROJECT / "bench"))
    try:
        from scale import generate
    finally:
        sys.path.remove(str(PROJECT / "bench"))
    db = tmp_path / "district.duckdb"
    generate(db, 6, range(2023, 2025))
    con = duckdb.connect(str(db))
    try:
        assert _differences(con) == 0 and current.is_fresh(con)
        catalogue = load_catalogue(con, 2024)
        for quarter in (1, 4):
            kept = district_figure_records(con, catalogue, 2024, quarter, catalogue.district_unit, fresh=True)
            live = district_figure_records(con, catalogue, 2024, quarter, catalogue.district_unit, fresh=False)
            assert kept == live and kept
            sums = [r for records in kept.values() for r in records]
            assert all(r["note"] == "tổng của 6 đơn vị" for r in sums)
            by_hand = con.execute(
                "SELECT round(sum(value), 6) FROM observations WHERE key = ? AND year = 2024 AND quarter = ? AND kind = 'ytd'",
                [sums[0]["key"], quarter],
            ).fetchone()[0]
            ytd = next(r for r in kept[sums[0]["key"]] if r["kind"] == "ytd" and r["quarter"] == quarter)
            assert ytd["value"] == pytest.approx(by_hand)
    finally:
        con.close()
