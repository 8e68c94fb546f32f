"""When a year-end estimate is overtaken by a later figure (kpi.domain.estimates.estimate_overtaken),
worked by hand; and the annex's «Ước cả năm» follows the same rule as the group page's chart."""

from __future__ import annotations

import pytest

from kpi.domain.estimates import estimate_overtaken


@pytest.mark.parametrize(
    ("over_year", "estimate", "given_in", "path", "overtaken"),
    [
        # a level that repeated its figure (10,2 beside 10,2), then moved: history
        ("level", 10.2, 2, {1: 10.1, 2: 10.2, 3: 10.4}, True),
        # black-box round 7, CT08: the six-month report's «ước 94,6» beside 93,6; Quý III reads 94,0
        # (behind 94,5): the estimate did not know 94,0 — history, though 94,0 has not reached it
        ("level", 94.6, 2, {1: 93.1, 2: 93.6, 3: 94.0}, True),
        # a level whose estimate foresaw a move (17 → 20): any Q3 figure is newer — 18, 20 or 21
        ("level", 20, 2, {2: 17, 3: 18}, True),
        ("level", 20, 2, {2: 17, 3: 20}, True),
        ("level", 20, 2, {2: 17, 3: 21}, True),
        # a falling level (poverty 0,20 → ước 0,17): 0,18 and 0,16 alike
        ("level", 0.17, 2, {2: 0.20, 3: 0.18}, True),
        ("level", 0.17, 2, {2: 0.20, 3: 0.16}, True),
        # no later figure: it stands (the nine-month report's own estimate beside its own figure)
        ("level", 10.2, 3, {1: 10.1, 2: 10.2, 3: 10.4}, False),
        ("level", 94.6, 2, {1: 93.1, 2: 93.6}, False),
        # only earlier figures: it stands
        ("level", 87.9, 2, {1: 86.9}, False),
        # a flow: the year to date of a later quarter, above it (3.400 > 3.350) or not (2.438,3)
        ("flow", 3350, 2, {2: 1426.0, 3: 3400.0}, True),
        ("flow", 3350, 2, {2: 1426.0, 3: 2438.3}, True),
        ("flow", 3350, 2, {1: 520.4, 2: 1426.0}, False),
        # a later quarter without a figure (None) is no newer figure
        ("flow", 3350, 2, {2: 1426.0, 3: None}, False),
        # counts are settled by decisions, never by an estimate's age
        ("count", 50, 2, {3: 60}, False),
    ],
)
def test_an_estimate_stands_only_until_a_newer_figure_of_the_year(over_year, estimate, given_in, path, overtaken):
    assert estimate_overtaken(over_year, estimate, given_in, path) is overtaken


def test_an_estimate_whose_own_quarter_figure_was_replaced_is_history():
    """The six-month figure 93,6 replaced by an official report's 93,7: the estimate did not know it."""
    assert estimate_overtaken("level", 93.6, 2, {2: 93.7}, replaced=True) is True
    assert estimate_overtaken("level", 93.6, 2, {2: 93.6}, replaced=False) is False


def test_the_annex_estimate_column_agrees_with_the_group_pages_projection(loaded):
    """Black-box (December 2026): the print view wrote «Ước cả năm 10,2 (ước)» for CT07a beside its
    Q3 figure 10,4, while Xã hội said «Dự kiến cả năm: 10,4». Now both drop an estimate a newer
    figure overtook: at Quý III every six-month estimate of an indicator with a Quý III figure
    (CT09's 20 beside Q3's 18, CT01's 3.350 beside 2.438,3 too); at Quý II they all stand."""
    from kpi.reporting.period_figures import period_figures

    table = period_figures(loaded, 2024, 3).set_index("key")
    assert table["year_estimate"].isna()[["CT01", "CT02", "CT07a", "CT07b", "CT08", "CT09", "CT10", "CT11"]].all()
    assert table.at["CT09", "overtaken"] == (20.0, 2) and table.at["CT01", "overtaken"] == (3350.0, 2)
    # no in-year figure: the six-month estimate stands (it is the figure judged)
    assert table.at["CT04", "year_estimate"] == 33.8
    at_q2 = period_figures(loaded, 2024, 2).set_index("key")["year_estimate"]
    assert at_q2[["CT01", "CT08", "CT09"]].tolist() == [3350.0, 93.6, 20.0]
