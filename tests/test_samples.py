"""The shared samples give the figures of ../shared/samples/README.md, in any order, loaded twice."""

from __future__ import annotations

import hashlib
import itertools

import pytest

from kpi.reporting.attainment_report import attainment_report, report_records
from kpi.storage.figures import current_figures
from tests.support.ledger import AFTER_ALL, AFTER_Q1
from tests.support.samples import SAMPLE_FILES, SAMPLES, SHARED, load


def records(con, quarter=None):
    return {r["key"]: r for r in report_records(attainment_report(con, 2024, quarter))}


def assert_after_all(got: dict) -> None:
    assert list(got) == list(AFTER_ALL)
    for key, (actual, basis, period, pct, status) in AFTER_ALL.items():
        row = got[key]
        assert (row["actual"], row["basis"], row["period"], row["attainment_pct"], row["status"]) == (
            actual,
            basis,
            period,
            pct,
            status,
        ), key


def test_samples_are_the_shared_ones():
    for name in SAMPLE_FILES.values():
        ours = hashlib.sha256((SAMPLES / name).read_bytes()).hexdigest()
        if (SHARED / name).exists():
            assert ours == hashlib.sha256((SHARED / name).read_bytes()).hexdigest(), name
    # Pinned too, so the check holds where ../shared is absent (a clean clone in CI).
    assert hashlib.sha256((SAMPLES / SAMPLE_FILES["q1"]).read_bytes()).hexdigest().startswith("5e908095dd41a843")


def test_q1_alone(con, cfg):
    load(con, cfg, "q1")
    got = records(con, quarter=1)
    for key, (actual, basis, pct, status) in AFTER_Q1.items():
        row = got[key]
        assert (row["actual"], row["basis"], row["attainment_pct"], row["status"]) == (actual, basis, pct, status), key
    assert got["CT01"]["period"] == "2024-Q1"
    assert got["CT03"]["period"] is None


def test_q1_pro_rata_is_a_quarter_of_the_target(con, cfg):
    load(con, cfg, "q1")
    table = attainment_report(con, 2024, 1).table.set_index("key")
    assert table.loc["CT01", "compared_with"] == pytest.approx(825.225)  # 3300.9 × 1/4


def test_all_five(loaded):
    assert_after_all(records(loaded))


def test_q2_own_amount_is_derived_not_stored(loaded):
    figures = current_figures(loaded, 2024, subject="UBND huyện Tam Nông")
    ct01 = figures[figures["key"] == "CT01"].set_index(["quarter", "kind"])["value"]
    assert ct01[(2, "ytd")] == pytest.approx(1426.0)
    assert ct01[(3, "ytd")] == pytest.approx(2438.3)
    assert (2, "quarter") not in ct01.index  # the six-month report gives only the year to date
    assert ct01[(3, "ytd")] - ct01[(2, "ytd")] == pytest.approx(1012.3)
    assert ct01[(2, "ytd")] - ct01[(1, "ytd")] == pytest.approx(905.6)


@pytest.mark.parametrize(
    "order",
    [
        ("awards", "registrations", "q3", "h1", "q1"),
        ("q3", "q1", "awards", "h1", "registrations"),
    ],
)
def test_any_order_and_twice_gives_the_same_report(con, cfg, order):
    first = load(con, cfg, *order)
    assert [c.status for c in first] == ["active"] * 5
    again = load(con, cfg, *order)
    assert [c.status for c in again] == ["duplicate"] * 5
    assert_after_all(records(con))
    assert con.execute("SELECT count(*) FROM submissions").fetchall()[0][0] == 5


def test_every_permutation_of_the_reports(cfg, tmp_path):
    """The three quarterly reports in all six orders give the same Q3 figures."""
    from kpi.bootstrap import open_database
    from kpi.config import settings

    seen = set()
    for n, order in enumerate(itertools.permutations(["q1", "h1", "q3"])):
        c = settings(db_path=tmp_path / f"p{n}.duckdb")
        con = open_database(c)
        load(con, c, *order)
        got = records(con)
        seen.add(tuple((k, got[k]["actual"], got[k]["status"]) for k in sorted(got)))
        con.close()
    assert len(seen) == 1


def test_award_register_details(loaded):
    from kpi.storage.awards import award_rows

    everything = award_rows(loaded)
    assert len(everything) == 97  # every row is kept, the 2023 one too
    old = everything[everything["achievement_year"] == 2023]
    assert list(old["recipient"]) == ["Lê Thị Hạnh"]
    rows = award_rows(loaded, 2024)
    assert len(rows) == 96
    assert int(rows["counted"].sum()) == 94  # 96 rows of 2024 − one typed twice − the Giấy khen
    dup = rows[rows["duplicate_of"].notna()]
    assert list(dup["row_number"]) == [89] and int(dup["duplicate_of"].iloc[0]) == 31
    giay_khen = rows[rows["award_written"].str.startswith("Giấy khen")]
    assert len(giay_khen) == 1 and giay_khen["key"].iloc[0] == "" and not giay_khen["counted"].any()


def test_registrations_are_counted_by_date(loaded):
    """All 30 units registered in February–March 2024: TD01 is 100 % at every quarter."""
    for q in (1, 2, 3):
        assert records(loaded, q)["TD01"]["actual"] == 100


def test_estimate_is_replaced_by_the_official_figure(loaded):
    got = records(loaded, quarter=2)
    assert (got["CT01"]["actual"], got["CT01"]["basis"]) == (1426.0, "estimate")
    assert (got["CT07a"]["actual"], got["CT07a"]["basis"]) == (10.2, "estimate")
    got = records(loaded, quarter=3)
    assert (got["CT07a"]["actual"], got["CT07a"]["basis"]) == (10.4, "actual")


@pytest.mark.parametrize(
    "name,warnings",
    [
        ("q1", []),
        ("h1", []),  # its poverty rates 0,18 and 0,23 % are percents, not fractions (targets 0,17 / 0,22 %)
        ("q3", ["no_doc_date"]),
        ("registrations", []),
        ("awards", ["duplicate_award"]),  # the register lists one award twice, on purpose
    ],
)
def test_each_sample_warns_only_about_what_is_really_there(con, cfg, name, warnings):
    from kpi.ingest import prepare
    from kpi.reading.report_sheets import ImportOptions

    data = (SAMPLES / SAMPLE_FILES[name]).read_bytes()
    prep = prepare(con, data, SAMPLE_FILES[name], ImportOptions(), cfg)
    assert [i.code for i in prep.warnings] == warnings
