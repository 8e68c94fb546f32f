"""A per-area (per-anything) figure written in another magnitude is the same measure (helper
s12-b2, issue 14): «0,14 tỷ đồng/ha» is 140 triệu đồng/ha, CT03's unit, and is offered CT03.

Why it missed: a unit converted only through a row of data/measures.csv written for it
(«triệu đồng/ha», «đồng/ha», «nghìn đồng/ha» … one by one), and no row said «tỷ đồng/ha»: the
target kept «tỷ đồng/ha», no indicator's measure, so the unit gave no evidence and CT03 was not
offered. Now «N/D» converts into «M/D» by the factor of N into M (the money rows: «tỷ đồng» is
1.000 «triệu đồng» through «tỷ đồng», the unit both are rows of), the per-what the same: every
magnitude of money per hectare, per person …, without a row each. A per-hectare yield («tạ/ha»,
«tấn/ha») has no money numerator and never converts. A new target whose unit converts into the
unit of the indicator it may be is proposed in that unit (the figure converted, what was written in
its note), as a matched one is.

The plan lines are written for this test, worded as other districts do, unlike the samples.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpi.plans.parse import CONVERTED, MAYBE, parse_plan
from kpi.plans.text import text_document
from kpi.vn import format_number
from tests.support.plans import one_target


@pytest.mark.parametrize(
    ("written", "factor"),
    [
        ("triệu đồng/ha", "1"),
        ("Triệu đồng / ha", "1"),
        ("tr.đ/ha", "1"),
        ("trđ/ha", "1"),
        ("triệu/ha", "1"),
        ("Tr.đồng/ha", "1"),
        ("tỷ đồng/ha", "1000"),
        ("tỷ/ha", "1000"),
        ("nghìn đồng/ha", "0.001"),
        ("ngàn đồng/ha", "0.001"),
        ("đồng/ha", "0.000001"),
        ("vnđ/ha", "0.000001"),
    ],
)
def test_money_per_hectare_converts_by_its_numerator(written, factor, catalogue):
    assert catalogue.measure(written, catalogue["CT03"]) == Decimal(factor)


@pytest.mark.parametrize("written", ["tạ/ha", "tấn/ha", "kg/ha", "tỷ đồng/người", "tỷ đồng", "ha", "tỷ đồng/ha/năm"])
def test_another_measure_never_converts_to_money_per_hectare(written, catalogue):
    """A yield per hectare, money per person, a total: none is CT03's measure."""
    assert catalogue.measure(written, catalogue["CT03"]) is None


def test_a_per_unit_rule_does_not_touch_plain_units(catalogue):
    """«triệu đồng» is 0,001 «tỷ đồng» (CT01) as before; a per-hectare figure is not a total."""
    assert catalogue.measure("triệu đồng", catalogue["CT01"]) == Decimal("0.001")
    assert catalogue.measure("triệu đồng/ha", catalogue["CT01"]) is None


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ("- Giá trị sản xuất trên 1 ha đất canh tác đạt 0,14 tỷ đồng/ha;", "0,14 tỷ đồng/ha"),
        ("- Giá trị sản xuất trên 1 ha đất canh tác đạt 140 triệu đồng/ha;", ""),
        ("- Giá trị sản xuất trên 1 ha đất canh tác đạt 140.000.000 đồng/ha;", "140.000.000 đồng/ha"),
        ("- Giá trị thu được trên một héc-ta đất trồng trọt: 0,14 tỉ đồng;", "0,14 tỷ đồng/ha"),
    ],
)
def test_a_value_per_hectare_in_any_magnitude_is_proposed_in_ct03s_unit(line, written, catalogue):
    t = one_target(f"II. CHỈ TIÊU CHỦ YẾU\n{line}", catalogue)
    assert (t.key, t.maybe) == (None, ("CT03",))  # offered, never given
    assert (t.unit, t.target_value, t.decimals) == ("triệu đồng/ha", 140, 0)
    assert MAYBE.format(keys="CT03", year=2024) in t.note
    if written:
        assert CONVERTED.format(written=written) in t.note
        assert f"văn bản ghi «{written}»" in t.note
    else:
        assert "văn bản ghi" not in t.note


def test_a_range_and_its_baseline_convert_too(catalogue):
    t = one_target(
        "II. CHỈ TIÊU\n- Giá trị sản xuất trên 1 ha đất canh tác tăng từ 0,13 lên 0,1455 tỷ đồng/ha;", catalogue
    )
    assert (t.unit, t.target_value, t.baseline, t.decimals) == ("triệu đồng/ha", 145.5, Decimal(130), 1)
    t = one_target("II. CHỈ TIÊU\n- Giá trị sản xuất trên 1 ha đất canh tác từ 0,14 đến 0,15 tỷ đồng/ha;", catalogue)
    assert (t.unit, t.target_value, t.direction) == ("triệu đồng/ha", [140, 150], "range")


@pytest.mark.parametrize(
    ("line", "unit"),
    [
        ("- Năng suất lúa bình quân trên 1 ha đạt 62 tạ/ha;", "tạ/ha"),
        ("- Giá trị sản lượng trên 1 ha đất canh tác đạt 6,2 tấn/ha;", "tấn/ha"),
    ],
)
def test_a_yield_per_hectare_stays_as_written(line, unit, catalogue):
    """Words half CT03's, a per-hectare unit of another measure: not offered, not converted."""
    t = one_target(f"II. CHỈ TIÊU\n{line}", catalogue)
    assert (t.key, t.maybe, t.unit) == (None, (), unit)
    assert "văn bản ghi" not in t.note


def test_a_matched_target_in_another_magnitude_is_converted_into_its_indicators_unit(catalogue):
    """Its own name gives the key; its unit, another magnitude of the key's, is converted (it
    was kept, with «ĐVT khác kế hoạch đang có» asked); a unit of another measure is still asked."""
    text = (
        "II. CHỈ TIÊU\n- Giá trị sản phẩm bình quân trên 1 ha đất canh tác và nuôi trồng thủy sản: 0,1268 tỷ đồng/ha;"
        "\n- Tổng thu ngân sách nhà nước: 805.000 triệu đồng;\n- Tổng vốn đầu tư toàn xã hội: 3.300,9 triệu USD;"
    )
    per_ha, revenue, usd = parse_plan(text_document(text), catalogue).targets
    assert (per_ha.key, per_ha.unit, per_ha.target_value, per_ha.decimals) == ("CT03", "triệu đồng/ha", 126.8, 1)
    assert per_ha.note == "văn bản ghi «0,1268 tỷ đồng/ha»"
    assert (revenue.key, revenue.unit, revenue.target_value, revenue.decimals) == ("CT02", "tỷ đồng", 805, 0)
    assert (usd.key, usd.unit, usd.target_value) == ("CT01", "triệu usd", 3300.9)
    assert usd.note == "ĐVT khác kế hoạch đang có («tỷ đồng») — hãy kiểm tra"


def test_a_mixed_amount_is_in_the_catalogues_money_and_offers_its_keys_by_measure(catalogue):
    """«2 nghìn tỉ 350 triệu đồng» is 2.000,35 tỷ đồng (it was 2,00035 nghìn tỷ đồng: no measure of the
    catalogue's, so no key offered by it): CT01's unit, offered; a converted mixed amount says what the
    text wrote, not its money words twice («… 50 triệu tỷ đồng/ha»)."""
    t = one_target("II. CHỈ TIÊU\n- Tổng vốn đầu tư phát triển: 2 nghìn tỉ 350 triệu đồng;", catalogue)
    assert (t.key, t.unit, t.target_value, t.decimals, t.maybe) == (None, "tỷ đồng", 2000.35, 2, ("CT01",))
    assert format_number(t.target, t.decimals) == "2.000,35"
    t = one_target(
        "II. CHỈ TIÊU\n- Giá trị sản phẩm bình quân trên 1 ha đất canh tác và nuôi trồng thủy sản: 0 tỷ 150 triệu đồng;",
        catalogue,
    )
    assert (t.key, t.unit, t.target_value) == ("CT03", "triệu đồng/ha", 150)
    assert t.note == "văn bản ghi «0 tỷ 150 triệu đồng/ha»"
