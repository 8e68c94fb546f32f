"""A report's per-hectare figure in another magnitude is read in the plan's unit (helper s12-b2,
issue 14): the rule of :class:`kpi.domain.measures.Measures` («N/D» converts into «M/D» by the
factor of N into M) is the report reader's as well as the plan reader's — «0,1105 Tỷ đồng/ha» is
stored as 110,5 triệu đồng/ha for CT03, and a yield («Tạ/ha») is refused as another measure."""

from __future__ import annotations

import pytest

from kpi.ingest import ingest, prepare
from kpi.reading.report_sheets import ImportOptions
from tests.support.ledger import stored
from tests.support.samples import ACTOR
from tests.support.sheets import report_rows, xlsx

CT03 = "Giá trị sản phẩm bình quân trên 1 ha đất canh tác và nuôi trồng thủy sản"
HEADER = ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"]


def _report(unit: str, value: float) -> bytes:
    return xlsx(report_rows("BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU QUÝ I NĂM 2024", HEADER, [[1, CT03, unit, value]]))


@pytest.mark.parametrize(
    ("unit", "value"), [("Tỷ đồng/ha", 0.1105), ("Đồng/ha", 110_500_000), ("Nghìn đồng / ha", 110_500)]
)
def test_money_per_hectare_in_another_magnitude_is_stored_in_the_plans_unit(con, cfg, unit, value):
    prep, committed = ingest(con, _report(unit, value), "bao-cao.xlsx", ACTOR, ImportOptions(), cfg)
    assert not [i for i in prep.issues if i.code == "unit_mismatch"]
    assert stored(con, "CT03", "quarter") == pytest.approx(110.5)


@pytest.mark.parametrize("unit", ["Tạ/ha", "Tấn/ha"])
def test_a_yield_per_hectare_is_not_money(con, cfg, unit):
    prep = prepare(con, _report(unit, 62), "bao-cao.xlsx", ImportOptions(), cfg)
    assert [i.code for i in prep.errors] == ["unit_mismatch"]
