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
        # a level whose estimate foresaw a move (17 → 20): Q3 at 18 has not reached it
        ("level", 20, 2, {2: 17, 3: 18}, False),
        # ... Q3 at 20 has reached it, at 21 passed it
        ("level", 20, 2, {2: 17, 3: 20}, True),
        ("level", 20, 2, {2: 17, 3: 21}, True),
        # a falling level (poverty 0,20 → ước 0,17): 0,18 not yet, 0,16 beyond
        ("level", 0.17, 2, {2: 0.20, 3: 0.18}, False),
        ("level", 0.17, 2, {2: 0.20, 3: 0.16}, True),
        # no later figure: it stands
        ("level", 10.2, 3, {1: 10.1, 2: 10.2, 3: 10.4}, False),
        # a flow: the year to date past it (3.400 > 3.350), or not yet (2.438,3)
        ("flow", 3350, 2, {2: 1426.0, 3: 3400.0}, True),
        ("flow", 3350, 2, {2: 1426.0, 3: 2438.3}, False),
        # counts are settled by decisions, never by an estimate's age
        ("count", 50, 2, {3: 60}, False),
    ],
)
def test_an_estimate_is_overtaken_only_by_a_later_figure_beyond_it(over_year, estimate, given_in, path, overtaken):
    assert estimate_overtaken(over_year, estimate, given_in, path) is overtaken


def test_the_annex_estimate_column_agrees_with_the_group_pages_projection(loaded):
    """Black-box (December 2026): the print view wrote «Ước cả năm 10,2 (ước)» for CT07a beside its
    Q3 figure 10,4, while Xã hội said «Dự kiến cả năm: 10,4». Now both drop the overtaken estimate;
    CT09's 20 (Q3 at 18, moving toward it) and CT01's 3.350,0 stand on both."""
    from kpi.reporting.period_figures import period_figures

    table = period_figures(loaded, 2024, 3).set_index("key")["year_estimate"]
    assert table.isna()[["CT07a", "CT08", "CT10"]].all()
    assert table[["CT09", "CT01"]].tolist() == [20.0, 3350.0]
