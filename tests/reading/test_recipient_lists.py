"""A recipient cell listing several recipients never counts as one award (round 9 blind finding f06:
«Phòng Nội vụ; Xã Tề Lễ; Trung tâm Y tế huyện» in one row of a decision was counted once and shown
as one person). Each register is written here in its own layout and read by
:func:`kpi.ingest.prepare` as an upload is; counts worked out by hand from the rows."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.ingest import commit, prepare
from kpi.preview import file_kind_label
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report, report_records
from kpi.storage.awards import award_rows
from tests.support.registers import TOP, register
from tests.support.samples import ACTOR

HEADER = ["STT", "Số quyết định", "Ngày quyết định", "Hình thức khen thưởng", "Tập thể/Cá nhân", "Danh sách được khen"]
DAY = dt.datetime(2024, 12, 26)
AWARD_KEYS = ("TD06", "TD07", "TD08", "TD09")


def _prepared(con, cfg, rows, header=HEADER):
    data = register(TOP, header, rows)
    return data, prepare(con, data, "ds.xlsx", ImportOptions(), cfg)


def _counts(con, cfg, rows, header=HEADER) -> dict[str, int]:
    data, prep = _prepared(con, cfg, rows, header)
    assert not prep.refused, [i.text() for i in prep.errors]
    commit(con, prep, data, ACTOR, cfg)
    got = {r["key"]: r["actual"] for r in report_records(attainment_report(con, 2024))}
    return {k: got[k] for k in AWARD_KEYS if got[k]}


@pytest.mark.parametrize(
    "cell",
    [
        "Phòng Nội vụ; Xã Tề Lễ; Trung tâm Y tế huyện",
        "Phòng Nội vụ\nXã Tề Lễ\nTrung tâm Y tế huyện",
        "1. Phòng Nội vụ\n2. Xã Tề Lễ\n3. Trung tâm Y tế huyện",
        "- Phòng Nội vụ\n- Xã Tề Lễ\n- Trung tâm Y tế huyện",
        "1. Phòng Nội vụ 2. Xã Tề Lễ 3. Trung tâm Y tế huyện",
    ],
)
def test_a_cell_listing_three_collectives_is_three_awards(con, cfg, cell):
    """Three units under one «Tập thể lao động xuất sắc» decision are three TTLĐXS (TD08), each
    its own entry on the roll; before the fix: one award named «Phòng Nội vụ; Xã Tề Lễ; …»."""
    rows = [[1, "18/QĐ-UBND", DAY, "Tập thể lao động xuất sắc", "Tập thể", cell]]
    data, prep = _prepared(con, cfg, rows)
    assert list(prep.awards["recipient"]) == ["Phòng Nội vụ", "Xã Tề Lễ", "Trung tâm Y tế huyện"]
    assert set(prep.awards["decision_number"]) == {"18/QĐ-UBND"} and set(prep.awards["cell"]) == {"F7"}
    [split] = [i for i in prep.issues if i.code == "recipients_split"]
    assert "F7 (3: Phòng Nội vụ; Xã Tề Lễ; Trung tâm Y tế huyện)" in split.message
    assert not prep.refused
    commit(con, prep, data, ACTOR, cfg)
    got = {r["key"]: r["actual"] for r in report_records(attainment_report(con, 2024))}
    assert got["TD08"] == 3
    roll = award_rows(con, 2024)  # the honour roll (annex, slides): three entries, none the joined names
    assert list(roll["recipient"]) == ["Phòng Nội vụ", "Xã Tề Lễ", "Trung tâm Y tế huyện"] and roll["counted"].all()


def test_a_list_of_persons_counts_each_person_and_keeps_their_units(con, cfg):
    rows = [
        [
            1,
            "16/QĐ-UBND",
            DAY,
            "Chiến sĩ thi đua cơ sở",
            "Cá nhân",
            "Bùi Văn An (Phòng Nội vụ); Vũ Thị Hoa (Xã Thọ Văn)",
        ],
        [2, "89/QĐ-UBND", DAY, "Bằng khen của Chủ tịch UBND tỉnh", "Cá nhân", "Ông Trần Văn Hùng\nBà Lê Thị Mai"],
        [3, "88/QĐ-UBND", DAY, "Bằng khen của Chủ tịch UBND tỉnh", "Tập thể", "Phòng Tư pháp"],
    ]
    assert _counts(con, cfg, rows) == {"TD06": 1, "TD07": 2, "TD09": 2}


def test_a_comma_inside_one_units_name_stays_one_award(con, cfg):
    """«Trường THCS Thọ Văn, huyện Tam Nông» is one school (a comma is never split), also when its
    name is wrapped over two lines of the cell; a person's unit in brackets on the line under the name
    is that person's."""
    rows = [
        [1, "18/QĐ-UBND", DAY, "Tập thể lao động xuất sắc", "Tập thể", "Trường THCS Thọ Văn, huyện Tam Nông"],
        [2, "19/QĐ-UBND", DAY, "Tập thể lao động xuất sắc", "Tập thể", "Trường TH Dị Nậu,\nhuyện Tam Nông"],
        [3, "20/QĐ-UBND", DAY, "Chiến sĩ thi đua cơ sở", "Cá nhân", "Lê Thị Mai\n(Xã Lam Sơn)"],
    ]
    data, prep = _prepared(con, cfg, rows)
    assert list(prep.awards["recipient"]) == [
        "Trường THCS Thọ Văn, huyện Tam Nông",
        "Trường TH Dị Nậu, huyện Tam Nông",
        "Lê Thị Mai (Xã Lam Sơn)",
    ]
    assert not [i for i in prep.issues if i.code.startswith("recipients_")]


@pytest.mark.parametrize(
    ("cell", "persons"),
    [
        ("Bà Ngô Thị Hoa, Ông Bùi Văn Khoa", ["Bà Ngô Thị Hoa", "Ông Bùi Văn Khoa"]),
        ("ông Trần Văn Hùng, bà Lê Thị Mai", ["ông Trần Văn Hùng", "bà Lê Thị Mai"]),
        ("ĐỒNG CHÍ NGUYỄN VĂN AN, ĐỒNG CHÍ LÊ THỊ BÌNH", ["ĐỒNG CHÍ NGUYỄN VĂN AN", "ĐỒNG CHÍ LÊ THỊ BÌNH"]),
        (
            "Đ/c Lê Văn Tâm, đ/c Hà Thị Lan, Đ/c Phan Văn Dũng",
            ["Đ/c Lê Văn Tâm", "đ/c Hà Thị Lan", "Đ/c Phan Văn Dũng"],
        ),
        (
            "Bà Ngô Thị Hoa, Ông Bùi Văn Khoa; Chị Đinh Thị Yến",
            ["Bà Ngô Thị Hoa", "Ông Bùi Văn Khoa", "Chị Đinh Thị Yến"],
        ),
        (
            "Anh Vũ Văn Long (Xã Tề Lễ), Chị Lò Thị Mến (Xã Lam Sơn)",
            ["Anh Vũ Văn Long (Xã Tề Lễ)", "Chị Lò Thị Mến (Xã Lam Sơn)"],
        ),
        ("Ông Bùi Văn Khoa, Chủ tịch UBND xã", ["Ông Bùi Văn Khoa, Chủ tịch UBND xã"]),
        (
            "Bà Ngô Thị Hoa, Phó Chủ tịch UBND xã, Ông Bùi Văn Khoa, Chủ tịch UBND xã",
            ["Bà Ngô Thị Hoa, Phó Chủ tịch UBND xã", "Ông Bùi Văn Khoa, Chủ tịch UBND xã"],
        ),
        ("Ông Bùi Văn Khoa, anh hùng lao động", ["Ông Bùi Văn Khoa, anh hùng lao động"]),
        ("Bà Ngô Thị Hoa, Chi cục Thuế khu vực", ["Bà Ngô Thị Hoa, Chi cục Thuế khu vực"]),
    ],
)
def test_comma_parts_that_each_open_with_a_form_of_address_are_that_many_persons(con, cfg, cell, persons):
    """Black-box: «Bà Ngô Thị Hoa, Ông Bùi Văn Khoa» held the whole file. Parts that each start with
    «Ông», «Bà», «Đồng chí», «Đ/c», «Anh», «Chị» … (any case) and a name are persons, one «Chiến sĩ thi
    đua cơ sở» (TD09) each; a part that is a role or a body after the name is that person's own."""
    rows = [
        [1, "16/QĐ-UBND", DAY, "Chiến sĩ thi đua cơ sở", "Cá nhân", cell],
        [2, "17/QĐ-UBND", DAY, "Chiến sĩ thi đua cơ sở", "Cá nhân", "Hà Văn Sơn"],
    ]
    _data, prep = _prepared(con, cfg, rows)
    assert list(prep.awards["recipient"]) == [*persons, "Hà Văn Sơn"]
    assert not prep.errors, [i.text() for i in prep.errors]
    assert _counts(con, cfg, rows) == {"TD09": len(persons) + 1}


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Phòng Nội vụ, Xã Tề Lễ, Trung tâm Y tế huyện", "«Phòng Nội vụ»; «Xã Tề Lễ»; «Trung tâm Y tế huyện»"),
        ("TS. Trần Văn Hùng, ThS. Lê Thị Mai", "«TS. Trần Văn Hùng»; «ThS. Lê Thị Mai»"),
        ("Nguyễn Văn Bình\nChủ tịch UBND xã Tề Lễ", "«Nguyễn Văn Bình»; «Chủ tịch UBND xã Tề Lễ»"),
    ],
)
def test_a_list_the_reader_cannot_split_surely_holds_the_file_and_names_the_cell(con, cfg, cell, names):
    """Comma-separated names that each start with a title word, or lines that are not each a
    recipient: asked, never guessed, never counted as one."""
    rows = [[1, "89/QĐ-UBND", DAY, "Bằng khen của Chủ tịch UBND tỉnh", "", cell]]
    _data, prep = _prepared(con, cfg, rows)
    [held] = [i for i in prep.errors if i.code == "recipients_in_one_cell"]
    assert held.cell == "F7" and names in held.message and "mỗi người hoặc tập thể một dòng riêng" in held.message
    assert prep.refused and prep.awards.empty


@pytest.mark.parametrize(
    "header", ["Danh sách được khen", "Tập thể, cá nhân được khen", "Người/tập thể được khen thưởng"]
)
def test_a_recipients_column_named_as_the_list_of_those_awarded_is_read(con, cfg, header):
    """Before: «Danh sách được khen» was no recipient column, the file refused though its signs
    said award list 8 in 8."""
    rows = [[1, "88/QĐ-UBND", DAY, "Bằng khen của Chủ tịch UBND tỉnh", "Tập thể", "Phòng Tư pháp"]]
    assert _counts(con, cfg, rows, [*HEADER[:5], header]) == {"TD06": 1}


def test_the_badge_names_the_kind_the_signs_settle_when_the_columns_are_not_found(con, cfg):
    """An award list whose recipient column is not found: the badge said «không rõ loại» beside
    «danh sách khen thưởng: 8 trong 8 dấu hiệu»; it now says the kind the message names."""
    rows = [[1, "88/QĐ-UBND", DAY, "Bằng khen của Chủ tịch UBND tỉnh", "Tập thể", "Phòng Tư pháp"]] * 3
    _data, prep = _prepared(con, cfg, rows, [*HEADER[:5], "Nơi nhận bằng"])
    assert prep.file_kind is None and any(i.code == "register_columns_not_found" for i in prep.errors)
    assert file_kind_label(prep) == "Danh sách khen thưởng — chưa tìm thấy cột cần thiết"


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("phòng nội vụ\nxã tề lễ\ntrung tâm y tế huyện", "«phòng nội vụ»; «xã tề lễ»; «trung tâm y tế huyện»"),
        ("Phòng Nội vụ\nxã Tề Lễ", "«Phòng Nội vụ»; «xã Tề Lễ»"),
        ("Trường TH Dị Nậu\nxã Dị Nậu", "«Trường TH Dị Nậu»; «xã Dị Nậu»"),
        ("Trường THCS Thọ Văn\nhuyện Tam Nông", "«Trường THCS Thọ Văn»; «huyện Tam Nông»"),
    ],
)
def test_lines_in_lower_case_that_each_read_as_a_recipient_are_asked_not_joined(con, cfg, cell, names):
    """A list written in lower case, one per line, was joined into one recipient «phòng nội vụ xã tề
    lễ trung tâm y tế huyện» (a lower-case line read as the name going on) and counted as one TTLĐXS,
    silently. Whether «xã Dị Nậu» under a school is its place or a second recipient the file cannot
    say: the cell is held and named, with both ways out."""
    rows = [[1, "18/QĐ-UBND", DAY, "Tập thể lao động xuất sắc", "Tập thể", cell]]
    _data, prep = _prepared(con, cfg, rows)
    [held] = [i for i in prep.errors if i.code == "recipients_lines_unclear"]
    assert held.cell == "F7" and names in held.message and "viết liền trên một dòng" in held.message
    assert prep.refused and prep.awards.empty


def test_a_lower_case_line_that_is_no_recipient_goes_on_with_the_name_above(con, cfg):
    """A name going on («và Truyền thông huyện») or a title under a name is no recipient by itself:
    the cell is one award."""
    rows = [
        [
            1,
            "18/QĐ-UBND",
            DAY,
            "Tập thể lao động xuất sắc",
            "Tập thể",
            "Trung tâm Văn hóa, Thể thao\nvà Truyền thông huyện",
        ],
        [2, "16/QĐ-UBND", DAY, "Chiến sĩ thi đua cơ sở", "Cá nhân", "Nguyễn Văn Bình\ngiáo viên"],
    ]
    _data, prep = _prepared(con, cfg, rows)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert list(prep.awards["recipient"]) == [
        "Trung tâm Văn hóa, Thể thao và Truyền thông huyện",
        "Nguyễn Văn Bình giáo viên",
    ]


def test_the_preview_counts_the_files_rows_and_the_awards_read_from_them(con, cfg):
    """Three rows, two of them cells listing several recipients: the preview says 3 rows and 6
    awards, and which cells were split (black-box: a 7-row file said «18» «dòng khen thưởng»);
    a file of one recipient a row keeps the bare count."""
    rows = [
        [1, "18/QĐ-UBND", DAY, "Tập thể lao động xuất sắc", "Tập thể", "Phòng Nội vụ; Xã Tề Lễ; Trung tâm Y tế huyện"],
        [2, "89/QĐ-UBND", DAY, "Bằng khen của Chủ tịch UBND tỉnh", "Cá nhân", "Ông Trần Văn Hùng\nBà Lê Thị Mai"],
        [3, "88/QĐ-UBND", DAY, "Bằng khen của Chủ tịch UBND tỉnh", "Tập thể", "Phòng Tư pháp"],
    ]
    _data, prep = _prepared(con, cfg, rows)
    assert len(prep.awards) == 6
    said = {what: value for what, value, _how in prep.inferred}
    assert said["Số dòng khen thưởng"] == "3 dòng · 6 lượt khen (2 ô ghi nhiều người/tập thể được tách)"
    _data, prep = _prepared(con, cfg, [rows[2]])
    assert {what: value for what, value, _how in prep.inferred}["Số dòng khen thưởng"] == "1"
