"""One award however a list spells it: the honour roll's filter, the target cards and the upload
preview agree (helper s11-c).

Black-box finding: «Giấy khen Chủ tịch UBND huyện» and «Giấy khen của Chủ tịch UBND huyện» were two
options of the Thi đua page's filter, counted apart; and the preview wrote abbreviations out as the
plan's indicator names write them, the roll as its award names do. Twelve award lists written for
this test (openpyxl), laid out unlike the samples — other column orders, headers on row 3 under
merged title rows, a kind column first, award heading rows, names with honorifics and
abbreviations — spelling awards outside the plan in several ways. For each: the preview before
saving (:func:`kpi.storage.awards.roll_naming`, as the upload page asks it) names every row as the
honour roll does after saving, the roll's filter has one option per award, and the page's target
cards count what :func:`kpi.storage.awards.award_counts` counts.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kpi.domain.award_identity import award_key, award_naming
from kpi.ingest import commit, prepare
from kpi.reading.registers import award_doubts, register_preview
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.awards import award_counts, award_rows, roll_naming
from kpi.storage.catalogue import load_catalogue
from tests.support.apptest import run, summaries
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

GK_HUYEN = "Giấy khen Chủ tịch UBND huyện"
D = dt.date(2025, 1, 20)
TITLE = ["UBND HUYỆN TAM NÔNG", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"]


def _titled(title: str, header: list, rows: list[list], width: int | None = None) -> bytes:
    """A list whose agency and title are merged rows 1–2, its header on row 3."""
    width = width or len(header)
    last = chr(ord("A") + width - 1)
    body = [[TITLE[0]], [title], header, *rows]
    return xlsx(body, merges=[f"A1:{last}1", f"A2:{last}2"])


# -- the twelve lists -------------------------------------------------------------------------------

#: 1. Header on row 3 under two merged rows; the award first, the recipient after.
LIST_1 = _titled(
    "DANH SÁCH KHEN THƯỞNG NĂM 2024",
    ["Hình thức khen thưởng", "Họ và tên", "Đơn vị", "Số quyết định", "Năm thành tích"],
    [
        ["Giấy khen Chủ tịch UBND huyện", "Lê Văn An", "Xã Tề Lễ", "11/QĐ-UBND", 2024],
        ["Giấy khen của Chủ tịch UBND huyện", "Lê Thị Bình", "Xã Tề Lễ", "11/QĐ-UBND", 2024],
        ["Giấy khen của Chủ tịch UBND huyện", "Hà Văn Cường", "Xã Vạn Xuân", "11/QĐ-UBND", 2024],
    ],
)
#: 2. A kind column first (TT/CN), the year in the title, capitals and «CT».
LIST_2 = _titled(
    "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG - THÀNH TÍCH NĂM 2024",
    ["Đối tượng", "Tên tập thể, cá nhân", "Danh hiệu", "Cơ quan, đơn vị", "Quyết định"],
    [
        ["CN", "Nguyễn Văn Dũng", "GIẤY KHEN CHỦ TỊCH UBND HUYỆN", "Phòng Nội vụ", "21/QĐ-UBND ngày 20/01/2025"],
        [
            "TT",
            "Tổ Một cửa - Văn phòng HĐND và UBND huyện",
            "Giấy khen CT UBND huyện",
            "Văn phòng HĐND và UBND huyện",
            "21/QĐ-UBND",
        ],
        ["CN", "Trần Thị Em", "Giấy khen của CT UBND huyện", "Phòng Y tế", "21/QĐ-UBND"],
    ],
)
#: 3. Honorifics and abbreviations in the names; «Ủy ban nhân dân», «Uỷ», doubled spaces, a dot.
LIST_3 = _titled(
    "DANH SÁCH KHEN THƯỞNG NĂM 2024",
    ["STT", "Họ tên / Tập thể", "Đơn vị công tác", "Hình thức KT", "Số QĐ", "Năm TT"],
    [
        [
            1,
            "Đ/c Phạm Văn Giang",
            "Trường THCS Hưng Hóa",
            "Giấy khen Chủ tịch Ủy ban nhân dân huyện",
            "31/QĐ-UBND",
            2024,
        ],
        [
            2,
            "Bà Đỗ Thị Hạnh",
            "Trường TH Dân Quyền",
            "Giấy khen  của Chủ tịch Uỷ ban nhân dân huyện.",
            "31/QĐ-UBND",
            2024,
        ],
        [
            3,
            "Trường THCS Hưng Hóa",
            "Phòng Giáo dục và Đào tạo",
            "giấy khen của chủ tịch UBND huyện",
            "31/QĐ-UBND",
            2024,
        ],
    ],
)
#: 4. Two awards that differ in substance (a district's and a commune's chairman): never one.
LIST_4 = xlsx(
    [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        ["Số QĐ", "Danh hiệu / Hình thức", "Họ và tên", "Đơn vị", "Năm thành tích"],
        ["41/QĐ-UBND", "Giấy khen Chủ tịch UBND xã", "Vũ Văn Khánh", "Xã Hiền Quan", 2024],
        ["42/QĐ-UBND", "Giấy khen của Chủ tịch UBND huyện", "Vũ Thị Lan", "Xã Hiền Quan", 2024],
        ["43/QĐ-UBND", "Giấy khen CT UBND xã", "Vũ Văn Minh", "Xã Hiền Quan", 2024],
    ]
)
#: 5. A ministry's and a province's awards: two; the ministry's two ways with and without its head
#: (kept apart, asked).
LIST_5 = xlsx(
    [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        [],
        ["Họ và tên", "Cơ quan, đơn vị", "Hình thức khen thưởng", "Số quyết định", "Năm thành tích"],
        ["Lò Văn Nam", "Công an huyện", "Bằng khen Bộ Công an", "51/QĐ-BCA", 2024],
        ["Lò Thị Oanh", "Công an huyện", "Bằng khen của Bộ trưởng Bộ Công an", "52/QĐ-BCA", 2024],
        ["Lò Văn Phúc", "Công an huyện", "Bằng khen Bộ Tư pháp", "53/QĐ-BTP", 2024],
    ]
)
#: 6. «Giấy khen UBND huyện» beside «Giấy khen Chủ tịch UBND huyện»: may be one, kept apart, asked.
LIST_6 = xlsx(
    [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        ["Họ và tên", "Hình thức", "Đơn vị", "Số QĐ", "Năm thành tích"],
        ["Kim Văn Quang", "Giấy khen UBND huyện", "Xã Dị Nậu", "61/QĐ-UBND", 2024],
        ["Kim Thị Rạng", "Giấy khen của Chủ tịch UBND huyện", "Xã Dị Nậu", "61/QĐ-UBND", 2024],
    ]
)
#: 7. The plan's awards abbreviated beside awards of no target; a kind column last.
LIST_7 = _titled(
    "DANH SÁCH KHEN THƯỞNG NĂM 2024",
    ["Tên", "Cơ quan", "Khen thưởng", "Số QĐ", "Năm TT", "Tập thể/Cá nhân"],
    [
        ["Mạc Văn Sáu", "Phòng Nội vụ", "BK của CT UBND tỉnh", "71/QĐ-UBND", 2024, "Cá nhân"],
        ["Phòng Tư pháp", "Phòng Tư pháp", "Bằng khen Chủ tịch UBND tỉnh", "72/QĐ-UBND", 2024, "Tập thể"],
        ["Hoàng Thị Tâm", "Xã Bắc Sơn", "CSTĐ cơ sở", "73/QĐ-UBND", 2024, "Cá nhân"],
        ["Đàm Văn Út", "Xã Dân Quyền", "GK CT UBND huyện", "74/QĐ-UBND", 2024, "Cá nhân"],
        ["Đàm Thị Vui", "Xã Dân Quyền", "Giấy khen của CT UBND huyện", "74/QĐ-UBND", 2024, "Cá nhân"],
    ],
)
#: 8. One person's award twice in one list, two spellings of it: one award, the second «trùng».
LIST_8 = xlsx(
    [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        ["STT", "Họ và tên", "Đơn vị", "Hình thức khen", "Số QĐ", "Năm thành tích"],
        [1, "Chu Văn Xuân", "Phòng Y tế", "Giấy khen Chủ tịch UBND huyện", "81/QĐ-UBND", 2024],
        [2, "Ông Chu Văn Xuân", "Phòng Y tế", "Giấy khen của CT UBND huyện", "81/QĐ-UBND", 2024],
    ]
)
#: 9. Award heading rows, no award column (each heading above its recipients).
LIST_9 = xlsx(
    [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        ["STT", "Họ và tên", "Đơn vị", "Năm thành tích"],
        ["1. Giấy khen của Chủ tịch UBND huyện"],
        [1, "Tạ Văn Yên", "Xã Lam Sơn", 2024],
        ["2. Giấy khen Chủ tịch UBND huyện"],
        [2, "Tạ Thị Ánh", "Xã Lam Sơn", 2024],
    ]
)
#: 10. «Danh hiệu …» before the name, «LĐTT», «Lao động tiên tiến»: one award.
LIST_10 = xlsx(
    [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        [],
        [],
        ["Năm thành tích", "Số QĐ", "Đơn vị", "Họ và tên", "Hình thức khen thưởng"],
        [2024, "101/QĐ-UBND", "Xã Tề Lễ", "Bế Văn Bình", "Danh hiệu Lao động tiên tiến"],
        [2024, "101/QĐ-UBND", "Xã Tề Lễ", "Bế Thị Cúc", "LĐTT"],
        [2024, "101/QĐ-UBND", "Xã Tề Lễ", "Bế Văn Danh", "Lao động tiên tiến"],
    ]
)
#: 11. A supplementary list: the main list's award spelled its own way.
LIST_11 = xlsx(
    [
        ["DANH SÁCH KHEN THƯỞNG BỔ SUNG ĐỢT 2 - THÀNH TÍCH NĂM 2024"],
        ["STT", "Họ tên / Tập thể", "Đơn vị", "Hình thức KT", "Số QĐ"],
        [1, "Ninh Văn Đức", "Xã Hương Nộn", "GK của Chủ tịch UBND huyện", "111/QĐ-UBND"],
        [2, "Ninh Thị Giao", "Xã Hương Nộn", "Giấy khen cấp huyện", "112/QĐ-UBND"],
    ]
)
#: 12. A «cấp» more: «… UBND cấp huyện» may be the district's, kept apart and asked.
LIST_12 = _titled(
    "DANH SÁCH KHEN THƯỞNG NĂM 2024",
    ["Họ và tên", "Hình thức khen thưởng", "Đơn vị", "Số quyết định", "Năm thành tích"],
    [
        ["Lục Văn Hải", "Giấy khen của Chủ tịch UBND cấp huyện", "Xã Hiền Quan", "121/QĐ-UBND", 2024],
        ["Lục Thị Hoa", "Giấy khen Chủ tịch UBND huyện", "Xã Hiền Quan", "121/QĐ-UBND", 2024],
    ],
)

LISTS = {
    f"list-{n}": data
    for n, data in enumerate(
        [LIST_1, LIST_2, LIST_3, LIST_4, LIST_5, LIST_6, LIST_7, LIST_8, LIST_9, LIST_10, LIST_11, LIST_12], start=1
    )
}


def _save(con, cfg, data: bytes, name: str):
    """Prepare ``data`` as the upload page does, preview it with the roll's naming, save it; the
    preview's «Hình thức khen» cells and what it says of awards that may be one."""
    prep = prepare(con, data, name, ImportOptions(accept_unmatched=True), cfg)
    assert prep.file_kind == "awards" and not prep.refused, [i.message for i in prep.issues]
    scope = prep.register_scope
    naming = roll_naming(con, prep.awards, scope.replaces if scope else ())
    names = {i.key: i.name for i in load_catalogue(con, 2024).indicators}
    preview = register_preview(prep.awards, "awards", names, 2024, naming)
    doubts = award_doubts(prep.awards, naming)
    done = commit(con, prep, data, ACTOR, cfg)
    assert done.status == "active", done.message
    return prep, list(preview["Hình thức khen"]), doubts


def _shown_in_preview(cell: str) -> str:
    """The name a preview cell says the roll shows: after «→», else the cell as written."""
    return cell.split(" → ", 1)[1] if " → " in cell else cell[:1].upper() + cell[1:]


def _agree(con, cfg, *files: tuple[str, bytes]) -> dict:
    """Save ``files`` in order and check the preview, the roll and the page agree; the roll's
    options, the rows of the last file as the roll shows them and the last preview's doubts."""
    for name, data in files:
        prep, cells, doubts = _save(con, cfg, data, name)
    roll = award_rows(con)
    mine = roll[roll["file_name"] == files[-1][0]].sort_values("row_number")
    # the preview named each row as the roll now does, and wrote the list's own words beside it
    assert [_shown_in_preview(c) for c in cells] == list(mine["award_name"]), cells
    for cell, aside, written in zip(cells, mine["award_aside"], mine["award_written"], strict=True):
        assert cell.startswith(written) and (not aside or " → " in cell)
    # one name per award on the roll: no two options share a key
    options = sorted(roll["award_name"].unique())
    assert len({award_key(o) for o in options}) == len(options), options
    at = run("views/awards.py")
    assert not at.exception
    assert at.multiselect(key="aw_award").options == options
    counts = award_counts(con, 2024)
    cards = {k: " ".join(v) for s in summaries(at) for k, v in s.iterrows()}
    for key, count in counts.items():
        assert str(count) in cards[key], (key, count, cards[key])
    at.selectbox(key="aw_year").set_value("Tất cả").run()  # every year's rows, as ``roll``
    for award in options:  # each option's rows counted once per target, as the cards
        at.multiselect(key="aw_award").set_value([award]).run()
        [said] = [c.value for c in at.caption if "tính vào chỉ tiêu" in c.value and "dòng" in c.value]
        rows = roll[roll["award_name"] == award]
        assert said == f"{len(rows)} dòng · {int(rows['counted'].sum())} tính vào chỉ tiêu", award
    return {"options": options, "rows": mine, "doubts": doubts, "counts": counts}


def _names(seen: dict) -> list[str]:
    return list(seen["rows"]["award_name"])


@pytest.mark.parametrize("name", ["list-1", "list-2", "list-3", "list-9"])
def test_spellings_of_one_award_are_one_option(con, cfg, app_env, name):
    seen = _agree(con, cfg, (f"{name}.xlsx", LISTS[name]))
    assert len(set(_names(seen))) == 1, _names(seen)  # before: two or three options
    assert len(seen["options"]) == 1 and award_key(seen["options"][0]) == award_key(GK_HUYEN)
    assert not seen["doubts"]


def test_the_most_written_spelling_names_the_award_with_plan_abbreviations(con, cfg, app_env):
    seen = _agree(con, cfg, ("list-1.xlsx", LIST_1))
    assert seen["options"] == ["Giấy khen của Chủ tịch UBND huyện"]  # two rows of three write it so
    assert list(seen["rows"]["award_aside"]) == [GK_HUYEN, "", ""]


def test_the_written_out_body_is_named_as_the_plan_abbreviates_it(con, cfg, app_env):
    seen = _agree(con, cfg, ("list-3.xlsx", LIST_3))  # «Ủy ban nhân dân» and «Uỷ» too, «UBND» as the plan
    assert seen["options"] == [GK_HUYEN]  # three spellings once each: the first in alphabetical order
    assert seen["rows"]["award_aside"].iloc[0] == "Giấy khen Chủ tịch Ủy ban nhân dân huyện"


def test_a_district_award_and_a_communes_are_never_one(con, cfg, app_env):
    seen = _agree(con, cfg, ("list-4.xlsx", LIST_4))
    assert _names(seen) == [
        "Giấy khen Chủ tịch UBND xã",
        "Giấy khen của Chủ tịch UBND huyện",
        "Giấy khen Chủ tịch UBND xã",
    ]
    assert len(seen["options"]) == 2 and not seen["doubts"]


def test_a_ministrys_award_and_its_heads_are_kept_apart_and_asked(con, cfg, app_env):
    seen = _agree(con, cfg, ("list-5.xlsx", LIST_5))
    assert seen["options"] == ["Bằng khen Bộ Công an", "Bằng khen Bộ Tư pháp", "Bằng khen của Bộ trưởng Bộ Công an"]
    [doubt] = seen["doubts"]  # the two ministries are two awards, nothing asked of them
    assert "«Bằng khen Bộ Công an» và «Bằng khen của Bộ trưởng Bộ Công an» có thể là cùng một" in doubt


@pytest.mark.parametrize(
    ("name", "first", "second"),
    [
        ("list-6", "Giấy khen UBND huyện", "Giấy khen của Chủ tịch UBND huyện"),
        ("list-12", GK_HUYEN, "Giấy khen của Chủ tịch UBND cấp huyện"),
    ],
)
def test_spellings_that_may_be_one_are_kept_apart_and_said(con, cfg, app_env, name, first, second):
    seen = _agree(con, cfg, (f"{name}.xlsx", LISTS[name]))
    assert sorted(seen["options"]) == sorted([first, second])
    [doubt] = seen["doubts"]
    assert doubt.startswith(f"«{min(first, second)}» và «{max(first, second)}» có thể là cùng một hình thức khen")
    assert "chưa gộp" in doubt


def test_the_plans_awards_count_on_their_cards_beside_spellings_of_others(con, cfg, app_env):
    seen = _agree(con, cfg, ("list-7.xlsx", LIST_7))
    assert seen["counts"] == {"TD06": 1, "TD07": 1, "TD09": 1}
    assert seen["options"] == ["Bằng khen của Chủ tịch UBND tỉnh", "Chiến sĩ thi đua cơ sở", GK_HUYEN]
    assert list(seen["rows"]["award_aside"]) == [
        "BK của CT UBND tỉnh",
        "Bằng khen Chủ tịch UBND tỉnh",
        "CSTĐ cơ sở",
        "GK CT UBND huyện",
        "Giấy khen của CT UBND huyện",
    ]


def test_one_persons_award_in_two_spellings_is_one_award(con, cfg, app_env):
    seen = _agree(con, cfg, ("list-8.xlsx", LIST_8))
    rows = seen["rows"]
    assert list(rows["duplicate_of"].fillna(0).astype(int)) == [0, 3]  # before: two awards
    assert list(rows["repeats"]) == [None, "dòng 3"]
    assert seen["options"] == [GK_HUYEN]


def test_leading_words_and_abbreviations_of_a_title_are_one_award(con, cfg, app_env):
    seen = _agree(con, cfg, ("list-10.xlsx", LIST_10))
    assert seen["options"] == ["Lao động tiên tiến"]
    assert list(seen["rows"]["award_aside"]) == ["Danh hiệu Lao động tiên tiến", "LĐTT", ""]


def test_a_supplement_names_the_main_lists_award_as_the_roll_does(loaded, cfg, app_env):
    """The samples' main list writes «Giấy khen của Chủ tịch UBND huyện»; a supplement's «GK của
    Chủ tịch UBND huyện» is it, previewed so before saving; «Giấy khen cấp huyện» may be, asked."""
    seen = _agree(loaded, cfg, ("list-11.xlsx", LIST_11))
    assert _names(seen) == ["Giấy khen của Chủ tịch UBND huyện", "Giấy khen cấp huyện"]
    assert (
        "Giấy khen của Chủ tịch UBND huyện" in seen["options"] and "GK của Chủ tịch UBND huyện" not in seen["options"]
    )
    [doubt] = seen["doubts"]
    assert doubt.startswith("«Giấy khen cấp huyện» và «Giấy khen của Chủ tịch UBND huyện» có thể là cùng một")  # sorted


def test_spellings_that_may_be_one_are_said_once_as_one_group():
    naming = award_naming(
        [("", w) for w in ("Giấy khen UBND huyện", GK_HUYEN, "Giấy khen cấp huyện", "Giấy khen xã")],
        ["Bằng khen của Chủ tịch UBND tỉnh"],
    )
    assert naming.doubts == (("Giấy khen Chủ tịch UBND huyện", "Giấy khen UBND huyện", "Giấy khen cấp huyện"),)
    assert award_doubts(pd.DataFrame({"award": [""], "award_written": ["Giấy khen xã"]}), naming) == []


def test_the_naming_does_not_depend_on_which_list_came_first():
    rows = [("", "Giấy khen của CT UBND huyện"), ("", GK_HUYEN), ("", "GIẤY KHEN CHỦ TỊCH UBND HUYỆN")]
    plan = ["Bằng khen của Chủ tịch UBND tỉnh"]
    assert award_naming(rows, plan).shown == award_naming(rows[::-1], plan).shown
    assert award_naming(rows, plan).name("", "Giấy khen của Chủ tịch Ủy ban nhân dân huyện") == GK_HUYEN


def test_the_preview_writes_abbreviations_out_as_the_roll_whatever_the_indicators_write(con, cfg, app_env):
    """A plan whose indicator names write «Ủy ban nhân dân tỉnh» and whose award names write «UBND
    tỉnh»: the preview wrote «GK CT UBND huyện → giấy khen Chủ tịch Ủy ban nhân dân huyện» (the
    indicators' forms), the roll «Giấy khen Chủ tịch UBND huyện» (the awards')."""
    con.execute("UPDATE indicators SET name = replace(name, 'UBND', 'Ủy ban nhân dân') WHERE award <> ''")
    assert not con.execute("SELECT count(*) FROM indicators WHERE award <> '' AND name LIKE '%UBND%'").fetchone()[0]
    seen = _agree(con, cfg, ("list-7.xlsx", LIST_7))  # the preview named every row as the roll does
    assert GK_HUYEN in seen["options"]
