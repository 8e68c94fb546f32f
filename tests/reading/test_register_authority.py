"""Who gave an award, as the register's own column writes it (round 8 blind finding 2): a column
headed «Cấp ra quyết định» was listed among the columns not read, the award's authority was taken
from its name, and a «Chiến sĩ thi đua cơ sở» given by «Chủ tịch UBND huyện Cẩm Khê» (another
district's chairman) was shown as «Chủ tịch UBND huyện» and counted toward TD09; a Giấy khen whose
row said «Chủ tịch UBND huyện» was shown as «Không rõ (danh sách không ghi)».

Now the column is read in its usual wordings; the authority it writes is shown (the award's name
when the list has no such column); an authority naming another district or province than the
plan's (:func:`kpi.domain.places.other_place_named`) counts toward no target and is warned by row
and cell — the plan's own province, named or not, is the level above, not another place.

Each register is written here with openpyxl in its own layout and read by
:func:`kpi.ingest.prepare` / :func:`kpi.ingest.ingest` as an upload is.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.ingest import ingest, prepare
from kpi.reading.layout import vocabulary
from kpi.reading.register_open import AWARD_ROLES, column_role
from kpi.reading.registers import PREVIEW_HEADINGS, register_preview
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.awards import award_counts, award_rows, roll_naming
from tests.support.registers import DECISION_FIRST_HEADER, TOP, register
from tests.support.samples import ACTOR

CSTD, BK_TINH, GK = "Chiến sĩ thi đua cơ sở", "Bằng khen của Chủ tịch UBND tỉnh", "Giấy khen"


def read(con, cfg, data: bytes):
    return prepare(con, data, "ds.xlsx", ImportOptions(), cfg)


def by_recipient(prep) -> dict[str, dict]:
    return {r["recipient"]: r for r in prep.awards.to_dict("records")}


def warned(prep, code="award_elsewhere") -> list[tuple[str, str]]:
    return [(i.cell, i.message) for i in prep.issues if i.code == code]


def test_the_authority_column_of_another_order_is_read_and_another_districts_award_counts_toward_nothing(con, cfg):
    rows = [
        [
            "1234/QĐ-UBND",
            dt.datetime(2025, 1, 10),
            "Chủ tịch UBND huyện",
            CSTD,
            "CN",
            "Nguyễn Thị Hoa",
            "Xã Dân Quyền",
            2024,
        ],
        ["88/QĐ-UBND", "15/01/2025", "Chủ tịch UBND huyện Cẩm Khê", CSTD, "CN", "Đỗ Văn Dũng", "Xã Tạ Xá", 2024],
        ["1240/QĐ-UBND", dt.datetime(2025, 1, 12), "Chủ tịch UBND huyện", GK, "CN", "Vũ Văn Hải", "Xã Bắc Sơn", 2024],
    ]
    data = register(TOP, DECISION_FIRST_HEADER, rows, sheet="DS khen")
    prep = read(con, cfg, data)
    assert not prep.refused
    # the column is read, not listed among those left out
    assert not [i for i in prep.issues if i.code == "columns_not_read"]
    got = by_recipient(prep)
    assert got["Nguyễn Thị Hoa"]["key"] == "TD09"
    assert got["Đỗ Văn Dũng"]["key"] == ""
    assert got["Đỗ Văn Dũng"]["conferred_by"] == "Chủ tịch UBND huyện Cẩm Khê"
    assert "huyện Cẩm Khê" in got["Đỗ Văn Dũng"]["note"]
    # said once, at the authority's own cell, with the row, what it says and what to do
    [(cell, text)] = warned(prep)
    assert cell == "C8"
    assert "Dòng 8" in text and "«Chủ tịch UBND huyện Cẩm Khê»" in text and "huyện Tam Nông" in text
    assert "không tính vào chỉ tiêu «Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện»" in text
    assert "sửa ô C8" in text
    # not listed again as an award «that counts for no individual»
    assert not any("Đỗ Văn Dũng" in t or "C8" in t or "D8" in t for _c, t in warned(prep, "counts_toward_nothing"))
    # the preview shows what the file says, never the award name's level for another's authority
    shown = register_preview(prep.awards, "awards", year=2024, naming=roll_naming(con, prep.awards))
    heads = PREVIEW_HEADINGS["awards"]
    preview = dict(zip(shown[heads["recipient"]], shown[heads["conferred_by"]], strict=True))
    assert preview["Đỗ Văn Dũng (cá nhân), Xã Tạ Xá"] == "Chủ tịch UBND huyện Cẩm Khê"
    assert preview["Vũ Văn Hải (cá nhân), Xã Bắc Sơn"] == "Chủ tịch UBND huyện"

    ingest(con, data, "ds.xlsx", ACTOR, ImportOptions(), cfg)
    assert award_counts(con, 2024).get("TD09") == 1
    roll = award_rows(con, 2024).set_index("recipient")
    assert roll.loc["Đỗ Văn Dũng", "award_level"] == "Chủ tịch UBND huyện Cẩm Khê"
    assert not roll.loc["Đỗ Văn Dũng", "counted"]
    assert roll.loc["Vũ Văn Hải", "award_level"] == "Chủ tịch UBND huyện"  # was «Không rõ (danh sách không ghi)»


def test_a_cap_khen_column_tells_the_plans_province_from_another(con, cfg):
    header = [
        "STT",
        "Họ và tên",
        "Cá nhân/Tập thể",
        "Cơ quan, đơn vị",
        "Danh hiệu",
        "Cấp khen",
        "Số QĐ",
        "Năm thành tích",
    ]
    rows = [
        [1, "Cao Minh Nam", "Cá nhân", "Công an huyện", BK_TINH, "Chủ tịch UBND tỉnh Phú Thọ", "247/QĐ-UBND", 2024],
        [2, "Hà Thị Lụa", "Cá nhân", "Xã Hiền Quan", BK_TINH, "Chủ tịch UBND tỉnh Vĩnh Phúc", "99/QĐ-UBND", 2024],
        [3, "Lò Văn Sáu", "Cá nhân", "Phòng Nội vụ", BK_TINH, "UBND tỉnh", "248/QĐ-UBND", 2024],
    ]
    data = register(TOP, header, rows, sheet="DS khen")
    prep = read(con, cfg, data)
    got = by_recipient(prep)
    assert got["Cao Minh Nam"]["key"] == got["Lò Văn Sáu"]["key"] == "TD07"  # the level above us counts
    assert got["Hà Thị Lụa"]["key"] == ""
    assert [cell for cell, _t in warned(prep)] == ["F8"]
    ingest(con, data, "ds.xlsx", ACTOR, ImportOptions(), cfg)
    assert award_counts(con, 2024).get("TD07") == 2
    levels = award_rows(con, 2024).set_index("recipient")["award_level"]
    assert levels["Cao Minh Nam"] == levels["Lò Văn Sáu"] == "Chủ tịch UBND tỉnh"  # the plan's province: its level
    assert levels["Hà Thị Lụa"] == "Chủ tịch UBND tỉnh Vĩnh Phúc"


@pytest.mark.parametrize(
    ("heading", "authority", "counts"),
    [
        ("Cơ quan/Người ký quyết định", "Chủ tịch UBND huyện Tam Nông", True),  # the plan's own district, named
        ("Thẩm quyền khen", "Chủ tịch Ủy ban nhân dân huyện Thanh Sơn", False),  # another district, words written out
        ("Cấp quyết định khen thưởng", "CT UBND huyện", True),  # no place named: the plan's own
        ("Cơ quan ra quyết định", "UBND THÀNH PHỐ VIỆT TRÌ", False),  # a city of the province, in capitals
    ],
)
def test_the_authority_column_in_other_wordings(con, cfg, heading, authority, counts):
    header = ["TT", "Tên tập thể, cá nhân", "Đơn vị công tác", "Hình thức khen thưởng", heading, "Số quyết định"]
    rows = [[1, "Nguyễn Văn Thắng", "Xã Dân Quyền", CSTD, authority, "1985/QĐ-UBND"]]
    prep = read(con, cfg, register(TOP, header, rows, sheet="DS khen"))
    assert prep.awards.loc[0, "conferred_by"] == authority
    assert (prep.awards.loc[0, "key"] == "TD09") is counts
    assert [c for c, _t in warned(prep)] == ([] if counts else ["E7"])


def test_without_an_authority_column_the_award_name_says_it_and_another_places_award_counts_nothing(con, cfg):
    header = ["STT", "Họ và tên", "Cơ quan, đơn vị", "Hình thức khen thưởng", "Số quyết định", "Năm thành tích"]
    rows = [
        [1, "Trần Thị Mai", "Xã Hương Nộn", CSTD, "1990/QĐ-UBND", 2024],
        [2, "Đinh Văn Tùng", "Xã Tề Lễ", "Bằng khen của Chủ tịch UBND tỉnh Vĩnh Phúc", "12/QĐ-UBND", 2024],
    ]
    data = register(TOP, header, rows, sheet="DS khen")
    prep = read(con, cfg, data)
    got = by_recipient(prep)
    assert got["Trần Thị Mai"]["key"] == "TD09"
    assert got["Đinh Văn Tùng"]["key"] == ""  # not the plan's award (another province's): asked, as before
    ingest(con, data, "ds.xlsx", ACTOR, ImportOptions(accept_unmatched=True), cfg)
    levels = award_rows(con, 2024).set_index("recipient")["award_level"]
    assert levels["Trần Thị Mai"] == "Chủ tịch UBND huyện"  # the award's own name, as before
    assert award_counts(con, 2024) == {"TD09": 1}


def test_an_empty_authority_cell_falls_back_to_the_award_name(con, cfg):
    header = ["STT", "Họ và tên", "Cơ quan, đơn vị", "Hình thức khen thưởng", "Cấp khen", "Năm thành tích"]
    rows = [
        [1, "Phùng Văn Lực", "Phòng Tư pháp", BK_TINH, None, 2024],
        [2, "Hoàng Văn Sơn", "Xã Thọ Văn", GK, None, 2024],
    ]
    data = register(TOP, header, rows, sheet="DS khen")
    ingest(con, data, "ds.xlsx", ACTOR, ImportOptions(), cfg)
    levels = award_rows(con, 2024).set_index("recipient")["award_level"]
    assert levels["Phùng Văn Lực"] == "Chủ tịch UBND tỉnh"
    assert levels["Hoàng Văn Sơn"] == "Không rõ (danh sách không ghi)"  # neither the name nor the list says it


@pytest.mark.parametrize(
    "heading",
    [
        "Cấp khen",
        "Cấp ra quyết định",
        "Cấp quyết định khen thưởng",
        "Cơ quan/Người ký quyết định",
        "Cơ quan / người ký QĐ",
        "Thẩm quyền khen",
        "Thẩm quyền khen thưởng",
        "Cơ quan khen thưởng",
        "Cơ quan ra quyết định",
        "Người ký",
    ],
)
def test_the_authority_headings(heading):
    assert column_role(heading, vocabulary(), AWARD_ROLES) == "conferred_by"
