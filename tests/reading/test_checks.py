"""The figure rules of kpi.reading.checks, called directly with the 2024 plan (targets from
../shared/docs/indicators-2024.md): each rule fires on the value that breaks it and stays silent
on the value just inside it."""

from __future__ import annotations

import pandas as pd
import pytest

from kpi.reading.checks import ERROR, WARNING, check_figures
from kpi.storage.catalogue import load_catalogue


@pytest.fixture
def plan(con):
    return load_catalogue(con, 2024)


def issues(plan, *rows):
    """``rows``: (key, kind, value, cell[, subject]) of the district unless a subject is given."""
    frame = pd.DataFrame(
        [
            {"key": k, "kind": kind, "value": v, "cell": c, "subject": s[0] if s else plan.district_unit}
            for k, kind, v, c, *s in rows
        ]
    )
    return [(i.severity, i.code, i.cell, i.key) for i in check_figures(frame, plan, sheet="Biểu 1")]


def test_a_clean_row_of_each_nature_has_no_issue(plan):
    # CT01 tỷ đồng (flow), CT08 % (share), CT09 khu (count): values a Q2 report would give.
    assert issues(plan, ("CT01", "ytd", 1650.5, "E11"), ("CT08", "ytd", 94.1, "E20"), ("CT09", "ytd", 18, "E21")) == []


def test_a_share_above_100_is_an_error_and_100_is_not(plan):
    assert issues(plan, ("CT08", "ytd", 100.01, "E20")) == [(ERROR, "share_over_100", "E20", "CT08")]
    assert issues(plan, ("CT11", "ytd", 100, "E23")) == []


def test_a_negative_figure_is_an_error(plan):
    assert issues(plan, ("CT02", "quarter", -0.1, "D12")) == [(ERROR, "negative", "D12", "CT02")]


def test_a_count_must_be_whole(plan):
    # CT09 counts areas (khu): 18,5 areas cannot be.
    assert issues(plan, ("CT09", "ytd", 18.5, "E21")) == [(ERROR, "not_whole", "E21", "CT09")]


def test_a_figure_too_large_for_any_plan_is_an_error(plan):
    assert issues(plan, ("CT01", "ytd", 1e15, "E11")) == [(ERROR, "too_large", "E11", "CT01")]
    assert issues(plan, ("CT01", "ytd", float("inf"), "E11")) == [(ERROR, "too_large", "E11", "CT01")]


def test_a_figure_thirty_times_its_target_is_held_for_the_clerk(plan):
    # CT02 target 805 tỷ: 805 × 30 = 24 150 is the first value asked about (triệu written for tỷ);
    # a flow's low bound is 0,003 × 805 = 2,415. Held (bb19: never stored 100× off unasked).
    assert issues(plan, ("CT02", "ytd", 24150, "E12")) == [(ERROR, "scale_unclear", "E12", "CT02")]
    assert issues(plan, ("CT02", "ytd", 24149, "E12")) == []
    assert issues(plan, ("CT02", "ytd", 2.415, "E12")) == [(ERROR, "scale_unclear", "E12", "CT02")]
    assert issues(plan, ("CT02", "ytd", 2.42, "E12")) == []


def test_a_units_part_of_a_sum_is_never_a_scale_warning(plan):
    # CT01 is summed across units: one commune's 20 tỷ is small against the district's 3 300,9.
    unit = plan.block_units["unit"].iloc[0]
    assert issues(plan, ("CT01", "ytd", 2.0, "E11", unit)) == []


def test_a_plan_column_that_differs_from_the_approved_target_is_a_warning(plan):
    # CT01's approved target is 3 300,9 tỷ đồng (1 decimal): 3 300,94 rounds to it, 3 300,95 does not.
    assert issues(plan, ("CT01", "plan", 3300.94, "C11")) == []
    assert issues(plan, ("CT01", "plan", 3300.95, "C11")) == [(WARNING, "plan_differs", "C11", "CT01")]


def test_every_issue_names_the_sheet_and_says_what_to_do_in_vietnamese(plan):
    frame = pd.DataFrame([{"key": "CT08", "kind": "ytd", "value": 120.0, "cell": "E20"}])
    (issue,) = check_figures(frame, plan, sheet="Biểu 1")
    assert issue.sheet == "Biểu 1"
    assert "Tỷ lệ dân số tham gia bảo hiểm y tế" in issue.message and "120" in issue.message
    assert "Hãy kiểm tra lại" in issue.message


def test_rows_of_keys_outside_the_plan_are_not_checked(plan):
    assert issues(plan, ("XX99", "ytd", -5, "E40")) == []


def test_a_plan_column_of_another_year_is_not_compared_with_this_years_target(plan):
    """Round 8 blind: a 2023 report, refused for want of a 2023 plan, was also told its «3.000 tỷ
    đồng» differs from the 2024 plan's 3.300,9 and «vẫn được đánh giá theo kế hoạch đã duyệt»."""
    frame = pd.DataFrame(
        [
            {"key": "CT01", "kind": "plan", "value": 3000.0, "cell": cell, "subject": plan.district_unit, "year": y}
            for y, cell in ((2023, "D5"), (2024, "D6"))
        ]
    )
    found = [(i.code, i.cell) for i in check_figures(frame, plan, sheet="Biểu 1")]
    assert found == [("plan_differs", "D6")]  # the 2024 row's only
