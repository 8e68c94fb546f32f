"""A direction word is one only on its own, never as a syllable of a compound (helper s12-b2,
issue 14): «Tăng cường kiểm tra 20 đơn vị» was named «Cường kiểm tra», «Tăng trưởng tín dụng»
«Trưởng tín dụng» (and put under «Xã hội» by «trưởng», a school), «Giảm nghèo bền vững cho 150
hộ» «Nghèo bền vững» and read as a ceiling («nghèo» → tối đa).

Why: the words that open a label («tăng», «giảm», «đạt», «nâng» …) and those before a figure
were matched as whole words, and «tăng» in «tăng cường» is a whole word. Now a compound the
vocabulary lists (``[directions] compounds``: «tăng cường», «tăng trưởng», «giảm nghèo», «nâng
cấp», «đạt chuẩn» …) keeps its syllables together: no direction phrase is read out of it, and a
phrase that reaches into one («phấn đấu đạt» before «đạt chuẩn») gives way to a shorter one. A
compound that is itself a direction («giảm thiểu», «cắt giảm»: to reduce) is listed with the
direction words and read as «giảm» is, whole.

The plan lines are written for this test, worded as other districts do, unlike the samples.
"""

from __future__ import annotations

import pytest

from kpi.plans.parse import parse_plan, plan_vocabulary
from kpi.plans.text import text_document
from kpi.plans.vocabulary import PlanVocabulary
from tests.support.plans import one_target

#: The section heading each line is read under.
HEADING = "II. CÁC CHỈ TIÊU CHỦ YẾU\n"


def _read(line: str, vocab: PlanVocabulary | None = None):
    return parse_plan(text_document(HEADING + line), None, vocab)


def _one(line: str, vocab: PlanVocabulary | None = None):
    return one_target(HEADING + line, vocab=vocab)


# line → (name, unit, target, direction)
COMPOUNDS = [
    ("- Tăng cường kiểm tra 20 đơn vị;", ("Tăng cường kiểm tra", "đơn vị", 20, ">=")),
    (
        "- Tăng cường công tác kiểm tra, giám sát tại 25 cơ sở;",
        ("Tăng cường công tác kiểm tra, giám sát tại", "cơ sở", 25, ">="),
    ),
    ("- Tốc độ tăng trưởng kinh tế đạt 8%;", ("Tốc độ tăng trưởng kinh tế", "%", 8, ">=")),
    ("- Tăng trưởng kinh tế (GRDP) đạt 8,2%;", ("Tăng trưởng kinh tế (GRDP)", "%", 8.2, ">=")),
    ("- Tăng trưởng tín dụng tăng từ 10% lên 12%;", ("Tăng trưởng tín dụng", "%", 12, ">=")),
    ("- Tăng tốc giải ngân vốn đầu tư công đạt trên 95%;", ("Tăng tốc giải ngân vốn đầu tư công", "%", 95, ">=")),
    # «nghèo» in the name is a ceiling, «giảm nghèo» is not: the default floor
    ("- Giảm nghèo bền vững cho 150 hộ;", ("Giảm nghèo bền vững", "hộ", 150, ">=")),
    (
        "- Nâng cấp, sửa chữa đường giao thông nông thôn: 15 km;",
        ("Nâng cấp, sửa chữa đường giao thông nông thôn", "km", 15, ">="),
    ),
    ("- Đạt chuẩn nông thôn mới kiểu mẫu: 2 xã;", ("Đạt chuẩn nông thôn mới kiểu mẫu", "xã", 2, ">=")),
    # «phấn đấu đạt» reaches into «đạt chuẩn»: «phấn đấu» opens the label, «đạt chuẩn» stays
    ("- Phấn đấu đạt chuẩn quốc gia về y tế xã: 3 xã;", ("Đạt chuẩn quốc gia về y tế xã", "xã", 3, ">=")),
    # a compound that is a direction («giảm thiểu», to reduce) is read whole, as «giảm» is
    ("- Giảm thiểu tỷ lệ hộ dùng túi ni lông xuống còn 20%;", ("Tỷ lệ hộ dùng túi ni lông", "%", 20, "<=")),
    ("- Giảm thiểu tỷ lệ trẻ em bỏ học 0,5%;", ("Tỷ lệ trẻ em bỏ học", "%", 0.5, "decrease_by")),
]


@pytest.mark.parametrize(("line", "expected"), COMPOUNDS, ids=[c[0][2:40] for c in COMPOUNDS])
def test_a_compound_keeps_its_direction_syllable(line, expected):
    t = _one(line)
    assert (t.name, t.unit, t.target_value, t.direction) == expected


def test_growth_is_the_economy_not_a_school():
    """«trưởng» alone names a school (Xã hội) in ``[groups.names]``; «tăng trưởng» is growth."""
    assert _one("- Tăng trưởng tín dụng đạt 12%;").group == "economic"


@pytest.mark.parametrize(
    "line",
    [
        "- Giảm thiểu 10% số vụ tai nạn giao thông;",  # as «Giảm 10% số vụ …»
        "- Cắt giảm 15% số thủ tục hành chính;",
    ],
)
def test_a_direction_compound_cuts_a_count_as_giam_does(line):
    """A relative cut of a count, whichever verb says it: listed for the reviewer, not a target
    named «Thiểu» or «Cắt»."""
    proposal = _read(line)
    assert proposal.targets == ()
    assert [u.why for u in proposal.unparsed] == ["relative_cut"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the direction words on their own are read as before
        ("- Tăng tỷ lệ che phủ rừng lên 42%;", ("Tỷ lệ che phủ rừng", "%", 42, ">=")),
        ("- Giảm tỷ lệ hộ nghèo 0,5%;", ("Tỷ lệ hộ nghèo", "%", 0.5, "decrease_by")),
        ("- Đạt 95% số hộ dùng nước sạch;", ("Tỷ lệ số hộ dùng nước sạch", "%", 95, ">=")),
        # «tăng giá» is no compound: «tăng giá trị» is growth of a value
        ("- Tốc độ tăng giá trị sản xuất 9%;", ("Tốc độ tăng giá trị sản xuất", "%", 9, ">=")),
    ],
)
def test_a_direction_word_on_its_own_is_still_one(line, expected):
    t = _one(line)
    assert (t.name, t.unit, t.target_value, t.direction) == expected


def test_the_compounds_are_data():
    """Another district's compound is added to the vocabulary, not to the code: without «tăng
    cường» in the list, its «tăng» is read as a direction again."""
    raw = plan_vocabulary().raw
    directions = dict(raw["directions"])
    directions["compounds"] = [c for c in directions["compounds"] if c != "tăng cường"]
    without = PlanVocabulary({**raw, "directions": directions})
    assert _one("- Tăng cường kiểm tra 20 đơn vị;", without).name == "Cường kiểm tra"
    assert _one("- Tăng cường kiểm tra 20 đơn vị;").name == "Tăng cường kiểm tra"
