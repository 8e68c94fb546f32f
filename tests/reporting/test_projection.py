"""Year-end projection from 1–3 quarters, worked out by hand; last year's figures; the chart."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from kpi.output.charts import add_projection, indicator_chart
from kpi.plans.source import copy_plan
from kpi.reporting.attainment_report import attainment_report, indicator_series
from kpi.reporting.projection import indicator_projection, last_year_path, project_year_end
from kpi.storage.catalogue import load_catalogue
from tests.support.ledger import report
from tests.support.samples import ACTOR, load


@pytest.fixture
def cat(con):
    return load_catalogue(con, 2024)


D = Decimal

# (key, this year's figures, last year's, expected value, method, status, path).
CASES = [
    # A flow without last year's year end: the run rate. 2.438,3 × 4 / 3 = 3.251,0666… < 3.300,9.
    (
        "CT01",
        {1: 520.4, 2: 1426.0, 3: 2438.3},
        {2: 1301.5},
        D("2438.3") * 4 / 3,
        "run_rate",
        "not_met",
        [(3, D("2438.3")), (4, D("2438.3") * 4 / 3)],
    ),
    # Run rate from Q1: 520,4 × 4 = 2.081,6.
    (
        "CT01",
        {1: 520.4},
        None,
        D("2081.6"),
        "run_rate",
        "not_met",
        [(1, D("520.4")), (2, D("1040.8")), (3, D("1561.2")), (4, D("2081.6"))],
    ),
    # Seasonal: last year 1.400 of 3.200 by Q2 (43,75 %): 1.426 / 0,4375 = 3.259,428571…
    (
        "CT01",
        {1: 520.4, 2: 1426.0},
        {1: 500, 2: 1400, 3: 2300, 4: 3200},
        D("1426") / (D("1400") / D("3200")),
        "seasonal",
        "not_met",
        None,
    ),
    # Seasonal, exceeded: 480 of 640 by Q3 (75 %): 612 / 0,75 = 816 > 805.
    ("CT02", {3: 612}, {3: 480, 4: 640}, D("816"), "seasonal", "exceeded", [(3, D("612")), (4, D("816"))]),
    # A level keeps its latest figure: 53,4 = 53,4 (met); 94,1 < 94,5 (not met).
    ("CT07b", {1: 53.0, 3: 53.4}, None, D("53.4"), "latest", "met", [(3, D("53.4")), (4, D("53.4"))]),
    ("CT08", {3: 94.1}, {3: 92.0, 4: 93.0}, D("94.1"), "latest", "not_met", [(3, D("94.1")), (4, D("94.1"))]),
    # Lower is better: 0,16 ≤ 0,17.
    ("CT06a", {2: 0.16}, None, D("0.16"), "latest", "exceeded", [(2, D("0.16")), (3, D("0.16")), (4, D("0.16"))]),
]


@pytest.mark.parametrize(("key", "figures", "last_year", "value", "method", "status", "path"), CASES)
def test_projection(cat, key, figures, last_year, value, method, status, path):
    p = project_year_end(cat[key], figures, last_year)
    assert (p.value, p.method, p.status) == (value, method, status)
    if path is not None:
        assert list(p.path) == path


def test_seasonal_path_follows_last_years_shape(cat):
    p = project_year_end(cat["CT01"], {2: 1426.0}, {1: 500, 2: 1400, 3: 2300, 4: 3200})
    value = D("1426") / D("0.4375")
    assert list(p.path) == [(2, D("1426")), (3, value * 2300 / 3200), (4, value)]
    assert p.share_pct == D("43.75")
    assert p.method_text == "theo tỷ trọng mùa vụ năm trước (6 tháng = 43,75 % cả năm)"
    assert p.text("tỷ đồng", 1) == (
        "Dự kiến cả năm: 3.259,4 tỷ đồng (theo tỷ trọng mùa vụ năm trước (6 tháng = 43,75 % cả năm)) "
        "— Dự kiến không đạt"
    )


def test_no_projection_for_awards_registrations_a_complete_year_or_nothing(cat):
    assert project_year_end(cat["TD09"], {3: 40}).method == "none"
    assert project_year_end(cat["TD01"], {3: 90}).method == "none"
    assert project_year_end(cat["CT01"], {4: 3400}).method == "none"
    assert project_year_end(cat["CT01"], {}).method == "none"
    assert project_year_end(cat["CT01"], {4: 3400}).verdict_text == ""


def test_a_range_and_a_cut_are_judged_like_the_years_figure(cat):
    ranged = replace(cat["CT09"], direction="range", target=None, lo=D("18"), hi=D("20"))
    assert project_year_end(ranged, {3: 21}).status == "exceeded"
    cut = replace(cat["CT06a"], direction="decrease_by", target=D("0.05"), baseline=D("0.18"))
    assert project_year_end(cut, {2: 0.12}).status == "exceeded"  # 0,12 < 0,18 − 0,05 = 0,13
    assert project_year_end(cut, {2: 0.13}).status == "met"
    assert project_year_end(cut, {2: 0.14}).status == "not_met"


def test_the_samples_projection(loaded):
    p, last = indicator_projection(loaded, 2024, "CT01")
    assert last == {2: D("1301.5")}  # "TH 6 tháng năm 2023" of the six-month report
    # the six-month report estimated the year at 3.350,0 (≥ 3.300,9, «Dự kiến vượt»), but Quý III's
    # 2.438,3 is behind (3.300,9 × 3/4 = 2.475,675) and newer than it: the estimate is history, the
    # projection is ours, 2.438,3 × 4/3 = 3.251,07 < 3.300,9 «Dự kiến không đạt» — no «Dự kiến
    # vượt» beside «Chậm tiến độ» (black-box round 7); the text names the estimate set aside
    assert (p.value, p.method, p.verdict_text) == (D("2438.3") * 4 / 3, "run_rate", "Dự kiến không đạt")
    assert p.overtaken == (D("3350.0"), 2)
    assert p.text("tỷ đồng", 1) == (
        "Dự kiến cả năm: 3.251,1 tỷ đồng (theo tốc độ bình quân các quý đã qua) — Dự kiến không đạt. "
        "Ước cả năm của báo cáo 6 tháng (3.350,0 tỷ đồng) không còn dùng: đã có số Quý III"
    )
    # as of Quý II the estimate is the newest word on the year: the office's own is the projection,
    # not our run rate beside it (1.426,0 × 2 = 2.852,0, which would not reach it); the label names
    # that report, not the latest file (black-box finding)
    p, _ = indicator_projection(loaded, 2024, "CT01", as_of=2)
    assert (p.value, p.method, p.verdict_text, p.overtaken) == (D("3350.0"), "reported", "Dự kiến vượt", None)
    assert p.text("tỷ đồng", 1) == "Ước cả năm (báo cáo 6 tháng): 3.350,0 tỷ đồng — Dự kiến vượt"
    assert [(q, float(v)) for q, v in p.path] == [(2, 1426.0), (3, 2388.0), (4, 3350.0)]
    p, _ = indicator_projection(loaded, 2024, "CT01", as_of=1)
    assert p.value == D("2081.6")  # the first quarter's report gives no year-end estimate


def test_last_year_from_the_previous_years_stored_figures(con, cfg):
    load(con, cfg, "q1", "h1", "q3")
    year_end = report(
        2024, "NĂM", "Thực hiện năm 2024", [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3400]], "20/12/2024"
    )
    from kpi.ingest import ingest
    from kpi.reading.report_sheets import ImportOptions

    ingest(con, year_end, "nam-2024.xlsx", ACTOR, ImportOptions(), cfg)
    copy_plan(con, 2024, 2025, ACTOR)
    q1 = report(
        2025, "QUÝ I", "Thực hiện Quý I/2025", [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 600]], "05/4/2025"
    )
    ingest(con, q1, "quy-1-2025.xlsx", ACTOR, ImportOptions(), cfg)
    assert last_year_path(con, 2025, "CT01") == {1: D("520.4"), 2: D("1426.0"), 3: D("2438.3"), 4: D("3400")}
    p, _ = indicator_projection(con, 2025, "CT01")
    # Last year Q1 was 520,4 of 3.400 (15,31 %): 600 × 3.400 / 520,4 = 3.920,06… ≥ 3.300,9.
    assert p.method == "seasonal" and p.status == "exceeded"
    assert p.value == D("600") / (D("520.4") / D("3400"))
    assert p.share_pct == D("15.31")


def test_the_chart_draws_a_dashed_projection_with_its_verdict(loaded):
    rep = attainment_report(loaded, 2024)
    row = rep.table.set_index("key").loc["CT01"].to_dict()
    ind = rep.catalogue["CT01"]
    fig = indicator_chart(ind, indicator_series(loaded, 2024, "CT01"), row, rep.period_text, "Nguồn: …")
    before = len(fig.data)
    p, last = indicator_projection(loaded, 2024, "CT01")
    add_projection(fig, ind, p, last)
    ly = next(t for t in fig.data if t.name == "Cùng kỳ năm trước")
    projected = fig.data[-1]
    # every quarter on x, nothing where last year has no figure (the line breaks there)
    assert (ly.name, list(ly.y), ly.line.dash) == ("Cùng kỳ năm trước", [None, 1301.5, None, None], "dot")
    # hovering says the figure as every output writes it (one formatter), never %{x}'s tick text
    assert list(ly.text) == ["", "Quý II năm trước: 1.301,5 tỷ đồng", "", ""]
    assert ly.hovertemplate == "%{text}<extra></extra>"
    # the figure and its verdict in the legend, never written over the plot (issue 14: collisions)
    # the six-month estimate (3.350,0) is older than Quý III's 2.438,3: ours, 2.438,3 × 4/3
    assert projected.name == (
        "<b>Dự kiến cả năm: 3.251,1 — Dự kiến không đạt</b><br>(theo tốc độ bình quân các quý đã qua)"
    )
    assert projected.line.dash == "dash" and list(projected.x) == ["Quý III", "Quý IV"]
    # the dashed line starts at the reported Quý III figure: hovering it says the figure, not "(dự kiến)"
    assert list(projected.text) == ["Quý III: 2.438,3 tỷ đồng", "Quý IV (dự kiến): 3.251,1 tỷ đồng"]
    assert not [t for t in fig.data if str(t.name).startswith("Ước cả năm")]  # the old estimate: not drawn
    assert fig.layout.separators == ",."
    # Nothing to project: the figure is left as it was.
    none, _ = indicator_projection(loaded, 2024, "TD09")
    count = len(fig.layout.annotations)
    add_projection(fig, rep.catalogue["TD09"], none)
    assert (len(fig.data), len(fig.layout.annotations)) == (before + 2, count)  # + ly + ours
