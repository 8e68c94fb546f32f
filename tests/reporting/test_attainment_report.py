"""The annex's figures beside the judged one (period_figures): once the year's own figure is in, the
year-end estimates made before it are history and no longer shown (issue 14, "Year end")."""

from __future__ import annotations

import pandas as pd

from kpi.ingest import ingest
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import period_figures
from tests.support.ledger import report
from tests.support.samples import ACTOR, load


def test_the_year_end_estimate_is_dropped_once_the_years_figure_is_in(con, cfg):
    load(con, cfg, "q1", "h1", "q3")
    before = period_figures(con, 2024, 3).set_index("key")
    assert before.loc["CT01", "year_estimate"] == 3350.0  # the nine-month report's "Ước cả năm"
    year_end = report(
        2024, "NĂM", "Thực hiện năm 2024", [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3400]], "20/12/2024"
    )
    ingest(con, year_end, "nam-2024.xlsx", ACTOR, ImportOptions(), cfg)
    after = period_figures(con, 2024, 4).set_index("key")
    assert pd.isna(after.loc["CT01", "year_estimate"])  # 3.400 is in: 3.350 (ước) no longer beside it
    # an indicator whose year figure is not in keeps its latest estimate (CT03: 125,0, six months)
    assert after.loc["CT03", "year_estimate"] == 125.0
