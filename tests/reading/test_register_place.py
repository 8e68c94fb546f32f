"""A register whose own header names another district or province is held as a report is
(``other_place``): an award list headed «UBND HUYỆN CẨM KHÊ» was stored as Tam Nông's, its
awards counted toward Tam Nông's targets. Its award rows are never its header: one award given by
another district's chairman, or the province's Bằng khen, hold nothing. A regional office that
serves only other districts is held too (it was only warned about); one whose region includes the
plan's place is the plan's.

Each register is written here with openpyxl, in its own layout (blocks left or right, a title
alone, a «Kèm theo Quyết định … của …» line, a commune's one-line block, a regional office), and
read by :func:`kpi.ingest.prepare` as an upload is.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.ingest import ingest, prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.awards import award_rows
from tests.support.registers import register
from tests.support.samples import ACTOR

NATION, MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
AWARD_HEADER = [
    "STT",
    "Họ và tên",
    "Tập thể/Cá nhân",
    "Cơ quan, đơn vị",
    "Hình thức khen thưởng",
    "Số quyết định",
    "Năm thành tích",
]
AWARDS = [
    [1, "Cao Minh Nam", "Cá nhân", "Công an huyện", "Bằng khen của Chủ tịch UBND tỉnh Phú Thọ", "247/QĐ-UBND", 2024],
    [2, "Nguyễn Thị Hạnh", "Cá nhân", "Xã Hiền Quan", "Chiến sĩ thi đua cơ sở", "1985/QĐ-UBND", 2024],
    # one award given by another district's chairman: a row, never the list's own issuer
    [3, "Lê Văn Tâm", "Cá nhân", "Xã Dị Nậu", "Giấy khen của Chủ tịch UBND huyện Thanh Sơn", "31/QĐ-UBND", 2024],
]
REGISTRATION_HEADER = ["STT", "Khối thi đua", "Cơ quan, đơn vị", "Ngày đăng ký", "Số văn bản đăng ký"]
REGISTRATIONS = [
    [1, "Khối các xã, thị trấn số 1", "Xã Hiền Quan", dt.datetime(2024, 2, 3), "12/ĐK-TĐ"],
    [2, "Khối các xã, thị trấn số 1", "Xã Dị Nậu", dt.datetime(2024, 2, 17), "16/ĐK-TĐ"],
]
OURS = "huyện Tam Nông, tỉnh Phú Thọ"


def read(con, cfg, data: bytes, **options):
    return prepare(con, data, "ds.xlsx", ImportOptions(**options), cfg)


def owner(prep) -> list[tuple[str, str]]:
    return [(value, how) for what, value, how in prep.inferred if what == "Danh sách của"]


def held(prep) -> list[tuple[str, str]]:
    return [(e.code, e.cell) for e in prep.errors]


# -- held: the list's own header names another place ---------------------------------------------


def test_an_award_list_of_another_district_in_its_sender_block_is_held_with_line_cell_and_what_to_do(con, cfg):
    top = {
        "A1": "UBND HUYỆN CẨM KHÊ",
        "A2": "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        "E1": NATION,
        "E2": MOTTO,
        "A4": "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2024",
    }
    data = register(top, AWARD_HEADER, AWARDS, merges=["A1:C1", "A2:C2", "E1:G1", "E2:G2", "A4:G4"])
    prep = read(con, cfg, data)
    assert prep.file_kind == "awards" and len(prep.awards) == 3  # its rows are read and shown
    assert prep.refused and prep.awaiting_decision and prep.needs("subject")
    [error] = prep.errors
    assert (error.code, error.cell, error.sheet) == ("other_place", "A1", "DS")
    assert error.message == (
        f"Tệp ghi «UBND HUYỆN CẨM KHÊ»: huyện Cẩm Khê không phải {OURS} của kế hoạch — có thể là danh sách của "
        "nơi khác tải lên nhầm. Tệp chưa được lưu. Nếu tải nhầm, hãy bỏ tệp này. Nếu đúng là danh sách của "
        f"{OURS} (tệp dùng lại khung của nơi khác), hãy sửa tên trong tệp rồi tải lên lại, hoặc chọn «UBND "
        "huyện Tam Nông» ở ô «Danh sách của» khi xem trước (dòng lệnh: --unit)."
    )
    assert error.text().startswith("[trang «DS», ô A1] Tệp ghi «UBND HUYỆN CẨM KHÊ»")
    assert owner(prep) == [
        ("(không rõ)", "chưa rõ: tệp ghi huyện Cẩm Khê (ô A1), không phải nơi của kế hoạch — hãy chọn")
    ]
    # the clerk who knows the list is the district's says so (the report's choice), and it is stored
    prep_chosen, committed = ingest(con, data, "ds.xlsx", ACTOR, ImportOptions(subject="UBND huyện Tam Nông"), cfg)
    assert not prep_chosen.refused and committed.status == "active"
    assert owner(prep_chosen) == [("UBND huyện Tam Nông", "chọn khi tải lên")]
    assert len(award_rows(con, 2024)) == 3


def test_a_list_naming_another_district_only_in_its_title_is_held_at_the_title(con, cfg):
    top = {"A1": "DANH SÁCH KHEN THƯỞNG HUYỆN THANH SƠN NĂM 2024"}
    prep = read(con, cfg, register(top, AWARD_HEADER, AWARDS[:2], merges=["A1:G1"]))
    assert held(prep) == [("other_place", "A1")]
    assert "huyện Thanh Sơn không phải huyện Tam Nông, tỉnh Phú Thọ" in prep.errors[0].message


def test_a_list_issued_with_another_chairmans_decision_is_held_at_that_line(con, cfg):
    """No sender block: the «Kèm theo Quyết định số … của Chủ tịch UBND huyện Thanh Sơn» line under
    the title names who issued the list."""
    top = {
        "B1": "DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG DANH HIỆU CHIẾN SĨ THI ĐUA CƠ SỞ NĂM 2024",
        "B2": "(Kèm theo Quyết định số 88/QĐ-UBND ngày 12/01/2025 của Chủ tịch UBND huyện Thanh Sơn)",
    }
    prep = read(con, cfg, register(top, AWARD_HEADER, AWARDS[:2], merges=["B1:G1", "B2:G2"]))
    assert held(prep) == [("other_place", "B2")]


def test_a_registration_list_of_another_district_with_its_block_on_the_right_is_held(con, cfg):
    top = {
        "A1": "DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024",
        "D2": "UBND HUYỆN THANH SƠN",
        "D3": "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
    }
    prep = read(con, cfg, register(top, REGISTRATION_HEADER, REGISTRATIONS, merges=["A1:C1", "D2:E2"]))
    assert prep.file_kind == "registrations"
    assert held(prep) == [("other_place", "D2")] and prep.needs("subject")


def test_a_commune_of_another_district_is_held(con, cfg):
    top = {"A1": "UBND xã Phương Xá, huyện Cẩm Khê", "A3": "DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"}
    prep = read(con, cfg, register(top, REGISTRATION_HEADER, REGISTRATIONS, merges=["A1:C1", "A3:E3"]))
    assert held(prep) == [("other_place", "A1")]


def test_a_regional_office_serving_only_other_districts_is_held(con, cfg):
    top = {
        "A1": "CỤC THỐNG KÊ TỈNH PHÚ THỌ",
        "A2": "CHI CỤC THỐNG KÊ KHU VỰC CẨM KHÊ - THANH BA",
        "A4": "DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024",
    }
    prep = read(con, cfg, register(top, REGISTRATION_HEADER, REGISTRATIONS, merges=["A2:C2", "A4:E4"]))
    assert held(prep) == [("other_place", "A2")]
    assert "khu vực Cẩm Khê - Thanh Ba không phải huyện Tam Nông, tỉnh Phú Thọ" in prep.errors[0].message


# -- accepted: the district's own, the province above it, its commune, its region ------------------


@pytest.mark.parametrize(
    ("top", "header", "rows"),
    [
        pytest.param(
            {
                "A1": "UBND HUYỆN TAM NÔNG",
                "A2": "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
                "E1": NATION,
                "E2": MOTTO,
                "A4": "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2024",
                "A5": "(Kèm theo Quyết định số 1985/QĐ-UBND ngày 27/12/2024 của Chủ tịch UBND huyện Tam Nông)",
            },
            AWARD_HEADER,
            AWARDS,  # a row's award given by Thanh Sơn's chairman, another by the province's
            id="own district, one award of another district's chairman",
        ),
        pytest.param(
            {
                "A1": "UBND TỈNH PHÚ THỌ",
                "A2": "BAN THI ĐUA - KHEN THƯỞNG",
                "A4": "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH PHÚ THỌ NĂM 2024",
            },
            AWARD_HEADER,
            AWARDS[:1],
            id="the province above the district",
        ),
        pytest.param(
            {"A1": "UBND xã Hiền Quan, huyện Tam Nông", "A3": "DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"},
            REGISTRATION_HEADER,
            REGISTRATIONS,
            id="a commune of the district",
        ),
        pytest.param(
            {
                "E1": "CỤC THỐNG KÊ TỈNH PHÚ THỌ",
                "E2": "CHI CỤC THỐNG KÊ KHU VỰC TAM NÔNG - THANH THỦY",
                "A4": "DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024",
            },
            REGISTRATION_HEADER,
            REGISTRATIONS,
            id="a regional office whose region includes the district",
        ),
    ],
)
def test_the_districts_own_lists_are_not_held(con, cfg, top, header, rows):
    prep = read(con, cfg, register(top, header, rows))
    assert prep.file_kind in ("awards", "registrations")
    assert not [e for e in prep.errors if e.code == "other_place"], [e.message for e in prep.errors]
    assert not prep.refused and owner(prep) == []
