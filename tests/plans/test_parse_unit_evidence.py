"""A reworded target whose unit is one indicator's measure is offered that indicator's key
(helper s12-b, issue 14): «có thể là CT03» for a value per hectare however the plan words it.

Why it missed: a new target (no key) was offered the catalogue's keys whose names (or other names)
share at least half of their words with its own; the unit was only a filter. A plan writing
«Giá trị sản xuất nông nghiệp bình quân 150 triệu đồng/ha» shares «giá trị sản» with CT03 («Giá trị
sản phẩm bình quân trên 1 ha đất canh tác và nuôi trồng thủy sản», triệu đồng/ha) and nothing more,
though «triệu đồng/ha» is CT03's measure and no other indicator's. Now a unit of an indicator's
measure counts as shared evidence, weighed by how many of the catalogue's indicators have that
measure (all of it for CT03's, next to nothing for «%»). It only ever offers a key: the target
keeps no key until the reviewer accepts it, and a unit of another measure offers nothing.

The plans are written for this test, worded as other districts do, unlike the samples.
"""

from __future__ import annotations

import pytest

from kpi.plans.parse import MAYBE
from tests.support.plans import one_target


@pytest.mark.parametrize(
    "text",
    [
        "II. CHỈ TIÊU CHỦ YẾU\n- Giá trị sản xuất nông nghiệp bình quân 150 triệu đồng/ha;",
        "2. Chỉ tiêu cụ thể\nc) Bình quân giá trị sản xuất đạt 152 triệu đồng/ha.",
        "Các chỉ tiêu\n+ Giá trị sản xuất/ha đất canh tác đạt 140 triệu đồng",
        "MỤC TIÊU CỤ THỂ\n(3) Giá trị trên 1 ha đất sản xuất nông nghiệp 145 triệu đồng trở lên",
        "Chỉ tiêu\n- Thu nhập bình quân trên 1 ha đất nông nghiệp đạt 150 tr.đ/ha",
        # the wording the issue quotes, offered before too (its words are half CT03's)
        "II. CHỈ TIÊU\n- Giá trị sản xuất trên 1 ha đất canh tác đạt 140 triệu đồng;",
    ],
)
def test_a_value_per_hectare_is_offered_ct03_never_given_it(text, catalogue):
    t = one_target(text, catalogue)
    assert catalogue.measure(t.unit, catalogue["CT03"]) == 1  # «triệu đồng/ha», «tr.đ/ha»: CT03's measure
    assert (t.key, t.match, t.maybe) == (None, "", ("CT03",))  # asked, not matched
    assert MAYBE.format(keys="CT03", year=2024) in t.note


@pytest.mark.parametrize(
    "text",
    [
        "II. CHỈ TIÊU\n- Năng suất lúa bình quân đạt 62 tạ/ha;",  # per hectare, another measure
        "II. CHỈ TIÊU\n- Tổng giá trị sản xuất đạt 5.000 tỷ đồng;",  # CT03's words, a total's unit
        "II. CHỈ TIÊU\n- Tỷ lệ trẻ em được tiêm chủng đầy đủ đạt 98%;",  # «%»: a dozen indicators'
        "II. CHỈ TIÊU\n- Sản lượng lương thực đạt 45.000 tấn;",
    ],
)
def test_a_unit_of_another_measure_offers_nothing(text, catalogue):
    t = one_target(text, catalogue)
    assert (t.key, t.maybe) == (None, ())


def test_a_unit_shared_by_several_indicators_is_weak_evidence(catalogue):
    """«tỷ đồng» is CT01's and CT02's: «Tổng thu» alone is offered CT02 by its words (as before),
    and CT01, which shares only «Tổng», is not offered for the unit."""
    t = one_target("II. CHỈ TIÊU\n- Tổng thu đạt 900 tỷ đồng;", catalogue)
    assert (t.key, t.maybe) == (None, ("CT02",))
