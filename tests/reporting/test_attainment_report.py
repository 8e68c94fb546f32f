"""The annex's figures beside the judged one (period_figures): once the year's own figure is in, the
year-end estimates made before it are history and no longer shown (issue 14, "Year end")."""

from __future__ import annotations

import pandas as pd

from kpi.ingest import ingest
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.period_figures import period_figures
from kpi.reporting.projection import indicator_projection
from tests.support.ledger import report, stored
from tests.support.samples import ACTOR, load


def test_the_year_end_estimate_is_dropped_once_the_years_figure_is_in(con, cfg):
    load(con, cfg, "q1", "h1", "q3")
    before = period_figures(con, 2024, 2).set_index("key")
    assert before.loc["CT01", "year_estimate"] == 3350.0  # the six-month report's "Ước cả năm"
    # Quý III's 2.438,3 is newer: the estimate is named as no longer used, not shown
    at_q3 = period_figures(con, 2024, 3).set_index("key")
    assert pd.isna(at_q3.loc["CT01", "year_estimate"]) and at_q3.loc["CT01", "overtaken"] == (3350.0, 2)
    year_end = report(
        2024, "NĂM", "Thực hiện năm 2024", [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3400]], "20/12/2024"
    )
    ingest(con, year_end, "nam-2024.xlsx", ACTOR, ImportOptions(), cfg)
    after = period_figures(con, 2024, 4).set_index("key")
    assert pd.isna(after.loc["CT01", "year_estimate"])  # 3.400 is in: 3.350 (ước) no longer beside it
    assert after.loc["CT01", "overtaken"] is None  # nor named: the year's own figure is in
    # an indicator whose year figure is not in keeps its latest estimate (CT03: 125,0, six months)
    assert after.loc["CT03", "year_estimate"] == 125.0


def test_an_estimate_whose_own_quarters_figure_was_replaced_is_judged_without_it(con, cfg):
    """Black-box (December 2026): the six-month report gave CT08 «93,6 (ước)» with a year-end
    estimate of 93,6; an official Q2 report then gave 93,7. Against 93,7 the estimate read as a
    fall foreseen, so Q3's 94,1 did not overtake it: «Ước cả năm: 93,6 — Dự kiến không đạt» stood
    beside «Đúng tiến độ», on the page, the print view and the annex. What the estimate foresaw a
    move from is its own report's figure; once another report's replaced it, any later figure that
    differs overtakes it (kpi.domain.estimates.judged_path)."""
    load(con, cfg, "q1", "h1", "q3")
    official_q2 = report(
        2024, "QUÝ II", "Thực hiện 6 tháng", [[1, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 93.7]], "15/7/2024"
    )
    ingest(con, official_q2, "quy-2-chinh-thuc.xlsx", ACTOR, ImportOptions(), cfg)
    assert stored(con, "CT08", "ytd", 2) == 93.7
    figures = period_figures(con, 2024, 3).set_index("key")
    assert pd.isna(figures.loc["CT08", "year_estimate"]) and figures.loc["CT08", "overtaken"] == (93.6, 2)
    projection, _ = indicator_projection(con, 2024, "CT08", 3)
    assert projection.method == "latest" and float(projection.value) == 94.1
    # already at Q2 the official 93,7 of its own quarter, which the estimate did not know, overtakes it
    projection, _ = indicator_projection(con, 2024, "CT08", 2)
    assert projection.method == "latest" and float(projection.value) == 93.7


def test_a_quarters_amount_beside_another_reports_year_to_date_is_the_difference(con, cfg):
    """Black-box (December 2026): a partial correction of the nine-month report gave CT01's year to
    date alone (2.512,6, the sample's 2.438,3 before); the nine-month report's quarter amount
    1.012,3 stayed in use, so the print view, the annex and the draft wrote «Thực hiện kỳ 1.012,3
    | Lũy kế 2.512,6», which do not add up with the six months' 1.426,0. The quarter's amount is
    then the difference of the years to date (kpi.domain.quarters), and the figure history no
    longer marks the old amount «được dùng»."""
    from kpi.storage.figures import figure_history

    load(con, cfg, "q1", "h1", "q3")
    assert period_figures(con, 2024, 3).set_index("key").loc["CT01", "quarter_value"] == 1012.3
    correction = report(
        2024, "9 THÁNG", "Lũy kế 9 tháng", [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 2512.6]], "20/10/2024"
    )
    _prep, done = ingest(con, correction, "dieu-chinh-9-thang.xlsx", ACTOR, ImportOptions(correction="partial"), cfg)
    assert done.submission_id is not None
    assert stored(con, "CT01", "ytd", 3) == 2512.6
    figures = period_figures(con, 2024, 3).set_index("key")
    assert round(figures.loc["CT01", "quarter_value"], 6) == round(2512.6 - stored(con, "CT01", "ytd", 2), 6)
    history = figure_history(con, 2024, "CT01", "UBND huyện Tam Nông")
    old_amount = history[(history["kind"] == "quarter") & (history["quarter"] == 3)]
    assert list(old_amount["value"]) == [1012.3] and not old_amount["used"].any()
    # the nine-month report's amount still stands where nothing replaced its year to date
    assert stored(con, "CT02", "quarter", 3) is not None
    assert figures.loc["CT02", "quarter_value"] == stored(con, "CT02", "quarter", 3)


def test_an_estimate_whose_own_quarter_a_later_report_replaced_is_overtaken_by_that_figure(con, cfg):
    """Black-box (December 2026): an official Q2 report gave the farm labour share 32,5 % (≤ 33:
    «Đúng tiến độ») after the six-month report's «ước cả năm 33,8»; with no Q3 figure, the page
    still said «Ước cả năm (báo cáo 6 tháng): 33,8 % — Dự kiến không đạt» beside it. The estimate
    did not know the official figure of its own quarter: that figure overtakes it."""
    load(con, cfg, "q1", "h1", "q3")
    key = "CT04"
    official_q2 = report(
        2024,
        "QUÝ II",
        "Thực hiện 6 tháng",
        [[1, "Tỷ trọng lao động nông nghiệp trong tổng lao động xã hội", "%", 32.5]],
        "15/7/2024",
    )
    before = period_figures(con, 2024, 3).set_index("key")
    assert before.loc[key, "year_estimate"] == 33.8  # the six-month report's, nothing newer
    ingest(con, official_q2, "quy-2-chinh-thuc.xlsx", ACTOR, ImportOptions(), cfg)
    assert stored(con, key, "ytd", 2) == 32.5
    after = period_figures(con, 2024, 3).set_index("key")
    assert pd.isna(after.loc[key, "year_estimate"]) and after.loc[key, "overtaken"] == (33.8, 2)
    projection, _ = indicator_projection(con, 2024, key, 3)
    assert (projection.method, float(projection.value), projection.verdict_text) == ("latest", 32.5, "Dự kiến vượt")


def test_a_quarters_amount_that_does_not_add_up_with_the_years_to_date_in_use_is_their_difference(con, cfg):
    """Black-box round 2 (December 2026): an official Q2 report gave CT01's six months as 1.430,4
    (the six-month report's 1.426,0 before); the nine-month report's own «Thực hiện quý» 1.012,3
    then no longer added up with 2.438,3: the print view wrote «1.012,3 | 2.438,3» while the chart
    showed Q2 at 1.430,4. The years to date decide: Q3's amount is 2.438,3 − 1.430,4 = 1.007,9."""
    load(con, cfg, "q1", "h1", "q3")
    official_q2 = report(
        2024, "QUÝ II", "Lũy kế 6 tháng", [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 1430.4]], "15/7/2024"
    )
    ingest(con, official_q2, "quy-2-chinh-thuc.xlsx", ACTOR, ImportOptions(correction="partial"), cfg)
    assert stored(con, "CT01", "ytd", 2) == 1430.4
    figures = period_figures(con, 2024, 3).set_index("key")
    assert round(figures.loc["CT01", "quarter_value"], 6) == 1007.9
    assert round(period_figures(con, 2024, 2).set_index("key").loc["CT01", "quarter_value"], 6) == 910.0
    # a figure no report wrote says how it was worked out (black-box round 3: «1.020,3» beside a
    # correction's 1.024,8, «không dùng: tệp khác được ưu tiên» where no other file gave one)
    assert figures.loc["CT01", "worked_out"] == (2438.3, 1430.4, 1012.3)
    assert figures.loc["CT02", "worked_out"] is None
    from kpi.output.annex import annex_rows, figure_notes
    from kpi.reporting.attainment_report import attainment_report
    from kpi.storage.figures import figure_history

    note = figure_notes(annex_rows(con, attainment_report(con, 2024, 3)))
    assert "Tổng vốn đầu tư toàn xã hội (2.438,3 − 1.430,4 = 1.007,9 tỷ đồng; báo cáo ghi 1.012,3)" in note, note
    history = figure_history(con, 2024, "CT01", "UBND huyện Tam Nông")
    amount = history[(history["kind"] == "quarter") & (history["quarter"] == 3)]
    assert list(amount["worked_out"]) == [True] and not amount["used"].any()


def test_a_quarters_amount_is_left_empty_beside_another_reports_year_to_date_when_no_difference_is_known(con, cfg):
    """Fresh-clone check (December 2026): only the nine-month sample, then a later report giving
    CT01's year to date alone (2.512,6, its quarter cell empty). The print view wrote «Thực hiện kỳ
    1.012,3 | Lũy kế 2.512,6» — a pair implying six months of 1.500,3, where the sample's own were
    2.438,3 − 1.012,3 = 1.426,0. With no six months known, the quarter's amount cannot be worked
    out: it is left empty, never taken from another report than the year to date beside it."""
    load(con, cfg, "q3")
    assert period_figures(con, 2024, 3).set_index("key").loc["CT01", "quarter_value"] == 1012.3  # one report
    later = report(
        2024, "9 THÁNG", "Lũy kế 9 tháng", [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 2512.6]], "20/10/2024"
    )
    ingest(con, later, "bo-sung-9-thang.xlsx", ACTOR, ImportOptions(correction="partial"), cfg)
    assert stored(con, "CT01", "ytd", 3) == 2512.6
    assert pd.isna(period_figures(con, 2024, 3).set_index("key").loc["CT01", "quarter_value"])
