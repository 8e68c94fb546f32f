"""The Thi đua page's note on award spellings that may be one names only the awards on screen
(helper s12-b, issue 14).

Black-box finding: with lists of two achievement years loaded, the note beside the roll's filter
listed the groups of every year — on the 2024 roll it asked about two spellings of a ministry's
award that only the 2023 list wrote. Two lists written for this test (openpyxl), laid out unlike the
samples: one of 2024 with a district award written two ways, one of 2023 with a kind column first,
the ministry's award written two ways and the district award one way only. The note follows the
year, the kind and the search chosen (a group is said when two of its names are among those rows),
and, with awards picked in the filter, the groups that name one of them.
"""

from __future__ import annotations

from kpi.domain.award_identity import AwardNaming
from kpi.reading.registers import roll_doubts
from tests.support.apptest import run
from tests.support.sheets import xlsx
from tests.test_award_spellings import _save

NOTE = "Có thể là cùng một hình thức khen"
GK_UBND, GK_CT = "Giấy khen UBND huyện", "Giấy khen Chủ tịch UBND huyện"
BK_BO, BK_BT = "Bằng khen Bộ Nông nghiệp", "Bằng khen của Bộ trưởng Bộ Nông nghiệp"

#: 2024: the decision first, the district's award with and without its chairman.
LIST_2024 = xlsx(
    [
        ["DANH SÁCH KHEN THƯỞNG THÀNH TÍCH NĂM 2024"],
        ["Số quyết định", "Hình thức khen thưởng", "Họ và tên", "Đơn vị", "Năm thành tích"],
        ["301/QĐ-UBND", GK_UBND, "Quách Văn Lợi", "Xã Thọ Văn", 2024],
        ["301/QĐ-UBND", GK_CT, "Quách Thị Mơ", "Xã Thọ Văn", 2024],
        ["302/QĐ-UBND", "Lao động tiên tiến", "Quách Văn Nghĩa", "Xã Thọ Văn", 2024],
    ],
    sheet="Nam 2024",
)
#: 2023: a kind column first; the ministry's award with and without its minister (one a
#: collective's, one a person's); the district award written one way only.
LIST_2023 = xlsx(
    [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2023"],
        [],
        ["Đối tượng", "Tên tập thể, cá nhân", "Khen thưởng", "Nơi công tác", "Số QĐ", "Năm TT"],
        ["CN", "Kha Văn Phong", BK_BO, "Phòng Nông nghiệp và Phát triển nông thôn", "311/QĐ-BNN", 2023],
        ["TT", "Tổ Khuyến nông", BK_BT, "Phòng Nông nghiệp và Phát triển nông thôn", "312/QĐ-BNN", 2023],
        ["CN", "Kha Thị Quế", GK_UBND, "Xã Thọ Văn", "313/QĐ-UBND", 2023],
    ],
    sheet="DS 2023",
)


def _note(at) -> str:
    said = [c.value for c in at.caption if NOTE in c.value]
    assert len(said) <= 1, said
    return said[0] if said else ""


def test_the_note_names_the_groups_of_the_year_and_filters_on_screen(con, cfg, app_env):
    _save(con, cfg, LIST_2024, "khen-2024.xlsx")
    _save(con, cfg, LIST_2023, "khen-2023.xlsx")
    at = run("views/awards.py")
    assert not at.exception
    assert at.selectbox(key="aw_year").value == 2024  # the report's year by default
    note = _note(at)
    assert f"«{GK_CT}» và «{GK_UBND}»" in note
    assert "Bộ Nông nghiệp" not in note  # before: the 2023 list's ministry award was asked about too
    at.selectbox(key="aw_year").set_value(2023).run()
    note = _note(at)
    assert f"«{BK_BO}» và «{BK_BT}»" in note
    assert "Chủ tịch" not in note  # 2023 writes the district award one way only: nothing to ask
    at.selectbox(key="aw_kind").set_value("cá nhân").run()  # the collective's spelling is off screen
    assert _note(at) == ""
    at.selectbox(key="aw_kind").set_value("Tất cả").run()
    at.selectbox(key="aw_year").set_value("Tất cả").run()  # every year: both groups
    note = _note(at)
    assert f"«{GK_CT}» và «{GK_UBND}»" in note and f"«{BK_BO}» và «{BK_BT}»" in note
    at.multiselect(key="aw_award").set_value([GK_UBND]).run()  # picked: the group it is in, not the other
    note = _note(at)
    assert f"«{GK_CT}» và «{GK_UBND}»" in note and "Bộ Nông nghiệp" not in note
    at.multiselect(key="aw_award").set_value(["Lao động tiên tiến"]).run()
    assert _note(at) == ""
    at.multiselect(key="aw_award").set_value([]).run()
    at.text_input(key="aw_query").input("Kha").run()  # the search: «Kha Văn Phong», «Kha Thị Quế»
    assert _note(at) == ""
    at.text_input(key="aw_query").input("nong nghiep").run()  # the ministry's rows, both spellings
    note = _note(at)
    assert f"«{BK_BO}» và «{BK_BT}»" in note and "Chủ tịch" not in note


def test_a_group_on_screen_is_linked_by_names_on_screen():
    """«A» ~ «B» ~ «C» is one group of the roll; with «B» off screen, «A» and «C» are no longer linked."""
    naming = AwardNaming(pairs=(("A", "B"), ("B", "C")))
    assert naming.doubts_among(["A", "B", "C", "D"]) == [("A", "B", "C")]
    assert naming.doubts_among(["A", "C"]) == []
    assert naming.doubts_among(["A", "B"], chosen=["D"]) == []
    assert roll_doubts(naming, ["B", "C"]).startswith(f"{NOTE}, chưa gộp: «B» và «C».")
