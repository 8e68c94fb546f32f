"""A rate written in per mille («‰», «phần nghìn») is converted to the plan's per cent by its fixed
factor (÷ 10), never refused with «hãy ghi đúng đơn vị (ví dụ «%»)» — advice that invited the
clerk to retype «‰» as «%» and store 1,5 % for 0,15 %, ten times the real rate, judged «Không
đạt» against 0,17 % (round 11 blind finding). The factor lives in data/measures.csv."""

from __future__ import annotations

import pytest

from kpi.ingest import commit, prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report, report_records
from tests.support.samples import ACTOR
from tests.support.sheets import report_rows, xlsx


@pytest.mark.parametrize("unit", ["‰", "Phần nghìn", "%o"])
def test_a_poverty_rate_in_per_mille_is_stored_in_per_cent(con, cfg, unit):
    rows = report_rows(
        "BÁO CÁO KẾT QUẢ 9 THÁNG NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện 9 tháng"],
        [[1, "Tỷ lệ hộ nghèo đa chiều", unit, None, "1,5"]],
    )
    data = xlsx(rows)
    prep = prepare(con, data, "phan-nghin.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    [figure] = prep.observations[prep.observations["key"] == "CT06a"].to_dict("records")
    assert figure["value"] == pytest.approx(0.15) and figure["written_unit"] == unit
    commit(con, prep, data, ACTOR, cfg)
    [ct06a] = [r for r in report_records(attainment_report(con, 2024)) if r["key"] == "CT06a"]
    # the plan: at most 0,17 %; 0,15 ≤ 0,17, so on track, 0,17 / 0,15 = 113,33 % by the ≤ rule
    assert ct06a["actual"] == pytest.approx(0.15) and ct06a["attainment_pct"] == pytest.approx(113.33)
