"""A register's cell merged down over several rows is every row's value (round 8 blind finding 3):
«Số QĐ» A7:A9 and «Ngày ký» B7:B9, one decision for three people, gave the decision to the first
row only; rows 8 and 9 had none in the preview, the honour roll and the annex. The same for the
award, the authority and the unit: a merged cell means one value for the rows it covers. A name
merged over rows is one person: its second row is not a second award unless it writes one of its
own. Each register is written here with openpyxl and read as an upload is.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi.ingest import ingest, prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.awards import award_counts, award_rows
from tests.support.registers import DECISION_FIRST_HEADER, TOP, register
from tests.support.samples import ACTOR

CSTD, GK = "Chiến sĩ thi đua cơ sở", "Giấy khen"


def rows_of(prep) -> dict[str, dict]:
    return {r["recipient"]: r for r in prep.awards.to_dict("records")}


def test_a_decision_merged_over_three_rows_is_each_rows_decision_in_the_preview_the_roll_and_the_counts(con, cfg):
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
        [None, None, None, CSTD, "CN", "Trần Văn Bình", "Xã Lam Sơn", 2024],
        [None, None, None, CSTD, "CN", "Lê Thị Cúc", "Phòng Tư pháp", 2024],
        [
            "150/QĐ-UBND",
            dt.datetime(2025, 1, 20),
            "Chủ tịch UBND huyện",
            CSTD,
            "CN",
            "Bùi Thị Lan",
            "Xã Vạn Xuân",
            2024,
        ],
    ]
    data = register(TOP, DECISION_FIRST_HEADER, rows, merges=["A7:A9", "B7:B9", "C7:C9"])
    prep = prepare(con, data, "ds.xlsx", ImportOptions(), cfg)
    got = rows_of(prep)
    for name in ("Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Cúc"):
        assert got[name]["decision_number"] == "1234/QĐ-UBND"
        assert got[name]["decision_date"] == dt.date(2025, 1, 10)
        assert got[name]["conferred_by"] == "Chủ tịch UBND huyện"
    assert got["Bùi Thị Lan"]["decision_number"] == "150/QĐ-UBND"  # the merge ends where it ends
    ingest(con, data, "ds.xlsx", ACTOR, ImportOptions(), cfg)
    roll = award_rows(con, 2024).set_index("recipient")
    assert roll.loc["Lê Thị Cúc", "decision_number"] == "1234/QĐ-UBND"
    assert pd.Timestamp(roll.loc["Trần Văn Bình", "decision_date"]).date() == dt.date(2025, 1, 10)
    assert award_counts(con, 2024) == {"TD09": 4}


def test_an_award_and_a_unit_merged_down_are_each_rows(con, cfg):
    header = ["STT", "Họ và tên", "Cơ quan, đơn vị", "Hình thức khen thưởng", "Số quyết định", "Năm thành tích"]
    rows = [
        [1, "Đào Văn Hùng", "Xã Hiền Quan", CSTD, "1985/QĐ-UBND", 2024],
        [2, "Lê Thị Thu", None, None, None, 2024],
        [3, "Phan Văn Tới", "Xã Thọ Văn", None, None, 2024],
    ]
    data = register(TOP, header, rows, merges=["C7:C8", "D7:D9", "E7:E9"])
    prep = prepare(con, data, "ds.xlsx", ImportOptions(), cfg)
    got = rows_of(prep)
    assert got["Lê Thị Thu"]["unit"] == "Xã Hiền Quan"
    assert got["Phan Văn Tới"]["unit"] == "Xã Thọ Văn"
    assert {r["award"] for r in got.values()} == {CSTD}
    assert {r["decision_number"] for r in got.values()} == {"1985/QĐ-UBND"}
    assert not [i for i in prep.issues if i.code == "no_award"]
    ingest(con, data, "ds.xlsx", ACTOR, ImportOptions(), cfg)
    assert award_counts(con, 2024) == {"TD09": 3}


def test_a_name_merged_over_two_rows_is_one_person_not_two_awards(con, cfg):
    """A person whose unit is written over two rows, the name, the award and the decision merged
    over both: one award (its second row continues the first), counted once, without a warning
    of a repeated row."""
    header = [
        "STT",
        "Họ và tên",
        "Chức vụ, đơn vị công tác",
        "Hình thức khen thưởng",
        "Số quyết định",
        "Năm thành tích",
    ]
    rows = [
        [1, "Ngô Thị Bích", "Phó Chủ tịch UBND xã", CSTD, "1985/QĐ-UBND", 2024],
        [None, None, "Xã Hiền Quan (kiêm nhiệm)", None, None, None],
        [2, "Đặng Văn Khoa", "Xã Thọ Văn", CSTD, "1985/QĐ-UBND", 2024],
    ]
    data = register(TOP, header, rows, merges=["A7:A8", "B7:B8", "D7:D8", "E7:E8", "F7:F8"])
    prep = prepare(con, data, "ds.xlsx", ImportOptions(), cfg)
    assert list(prep.awards["recipient"]) == ["Ngô Thị Bích", "Đặng Văn Khoa"]
    assert not [i for i in prep.issues if i.code == "duplicate_award"]
    ingest(con, data, "ds.xlsx", ACTOR, ImportOptions(), cfg)
    assert award_counts(con, 2024) == {"TD09": 2}


def test_a_name_merged_over_two_rows_with_two_awards_of_its_own_is_one_person_with_two_awards(con, cfg):
    header = ["STT", "Họ và tên", "Cơ quan, đơn vị", "Hình thức khen thưởng", "Số quyết định", "Năm thành tích"]
    rows = [
        [1, "Lý Văn Phúc", "Xã Dân Quyền", CSTD, "1985/QĐ-UBND", 2024],
        [None, None, None, GK, "1240/QĐ-UBND", 2024],
    ]
    data = register(TOP, header, rows, merges=["A7:A8", "B7:B8", "C7:C8"])
    prep = prepare(con, data, "ds.xlsx", ImportOptions(), cfg)
    got = prep.awards[["recipient", "unit", "award_written", "decision_number"]].values.tolist()
    assert got == [
        ["Lý Văn Phúc", "Xã Dân Quyền", CSTD, "1985/QĐ-UBND"],
        ["Lý Văn Phúc", "Xã Dân Quyền", GK, "1240/QĐ-UBND"],
    ]
    ingest(con, data, "ds.xlsx", ACTOR, ImportOptions(), cfg)
    assert award_counts(con, 2024) == {"TD09": 1}  # one person, one CSTĐCS


def test_a_section_heading_merged_across_the_columns_stays_a_heading(con, cfg):
    header = ["STT", "Họ và tên", "Cơ quan, đơn vị", "Hình thức khen thưởng", "Số quyết định", "Năm thành tích"]
    rows = [
        ["I. CÁ NHÂN", None, None, None, None, None],
        [1, "Mai Văn Lộc", "Xã Hiền Quan", CSTD, "1985/QĐ-UBND", 2024],
        [2, "Tạ Thị Nga", "Xã Thọ Văn", CSTD, None, 2024],
    ]
    data = register(TOP, header, rows, merges=["A7:F7", "E8:E9"])
    prep = prepare(con, data, "ds.xlsx", ImportOptions(), cfg)
    assert list(prep.awards["recipient"]) == ["Mai Văn Lộc", "Tạ Thị Nga"]
    assert set(prep.awards["recipient_kind"]) == {"cá nhân"}
    assert list(prep.awards["decision_number"]) == ["1985/QĐ-UBND", "1985/QĐ-UBND"]


def test_a_registration_lists_block_and_date_merged_down_are_each_units(con, cfg):
    top = ["UBND HUYỆN TAM NÔNG", "", "DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024", ""]
    header = ["STT", "Khối thi đua", "Cơ quan, đơn vị", "Ngày đăng ký", "Số văn bản đăng ký"]
    rows = [
        [1, "Khối các xã, thị trấn số 1", "Xã Dân Quyền", dt.datetime(2024, 2, 3), "12/ĐK-TĐ"],
        [2, None, "Xã Dị Nậu", None, "16/ĐK-TĐ"],
    ]
    data = register(top, header, rows, merges=["B6:B7", "D6:D7"])
    prep = prepare(con, data, "ds.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "registrations"
    got = {r["unit"]: r for r in prep.registrations.to_dict("records")}
    assert got["Xã Dị Nậu"]["registered_on"] == dt.date(2024, 2, 3)
    assert got["Xã Dị Nậu"]["block"] == got["Xã Dân Quyền"]["block"] == "Khối các xã, thị trấn số 1"
    assert not [i for i in prep.issues if "Xã Dị Nậu" in i.message and i.severity != "info"]
