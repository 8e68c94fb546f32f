"""A report's identity from its title block (black-box round 7, findings 1, 7 and 8): its own
number and date, never those of a document it quotes; its sender block on either side, never
glued to the title; a block or title naming another district or province held for the clerk.

Each workbook is written with openpyxl (tests/support/title_blocks.py), in layouts the shared
samples and the round's files do not use (other offices, blocks on the right, merged cells,
quoted references, another province), and read by :func:`kpi.ingest.prepare` as an upload is.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from tests.support.title_blocks import MOTTO, NATION, TITLE, inferred, inferred_line, read_title_block

TABLE = [
    ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện quý I/2024", "Ghi chú"],
    [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 520.4, None],
    [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, 160.2, None],
    [3, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94.5, 92.8, None],
]
#: The preview of a report whose cells above :data:`TABLE` are ``top`` (``below``: cells under it by
#: rows after the table's end and column; other keywords: the upload's options).
read = partial(read_title_block, table=TABLE)


def codes(prep) -> list[tuple[str, str]]:
    return [(e.code, e.cell) for e in prep.errors]


# -- 1. the file's own number and date, never a quoted document's ---------------------------------


def test_a_replacement_line_of_its_own_under_the_title_gives_neither_number_nor_date(con, cfg):
    top = {
        "A1": "UBND HUYỆN TAM NÔNG",
        "A2": "PHÒNG TÀI CHÍNH - KẾ HOẠCH",
        "D1": NATION,
        "D2": MOTTO,
        "A3": "Số: 52/BC-TCKH",
        "D3": "Tam Nông, ngày 22 tháng 4 năm 2024",
        "A5": TITLE,
        "A6": "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024 của Phòng Tài chính - Kế hoạch)",
    }
    prep = read(con, cfg, top, merges=["A1:C1", "A2:C2", "D1:F1", "D2:F2", "D3:F3", "A5:F5", "A6:F6"])
    assert not prep.refused, [e.message for e in prep.errors]
    assert (prep.doc_number, prep.doc_date) == ("52/BC-TCKH", dt.date(2024, 4, 22))
    assert inferred_line(prep, "Ngày văn bản") == (
        "22/04/2024",
        "ô D3 của tệp ghi «Tam Nông, ngày 22 tháng 4 năm 2024»",
    )
    assert inferred_line(prep, "Văn bản dẫn chiếu") == (
        "thay thế báo cáo số 45/BC-TCKH ngày 08/04/2024",
        "ô A6 — văn bản khác, không phải số và ngày của tệp này",
    )
    assert inferred_line(prep, "Tiêu đề") == (TITLE, "A5")


def test_a_supplement_quoted_inside_the_title_of_a_commune_without_its_own_number(con, cfg):
    title = "BÁO CÁO BỔ SUNG SỐ LIỆU QUÝ I NĂM 2024 (bổ sung Báo cáo số 45/BC-UBND ngày 05 tháng 4 năm 2024)"
    top = {
        "A1": "ỦY BAN NHÂN DÂN",
        "A2": "XÃ DÂN QUYỀN",
        "E1": NATION,
        "E3": "Dân Quyền, ngày 15 tháng 4 năm 2024",
        "A5": title,
    }
    prep = read(con, cfg, top, merges=["A5:F5"])
    assert not prep.refused, [e.message for e in prep.errors]
    assert (prep.doc_number, prep.doc_date) == ("", dt.date(2024, 4, 15))
    assert inferred_line(prep, "Số văn bản") == ("(không có)", "")
    assert inferred_line(prep, "Tiêu đề") == ("BÁO CÁO BỔ SUNG SỐ LIỆU QUÝ I NĂM 2024", "A5")
    assert inferred_line(prep, "Văn bản dẫn chiếu")[0] == "bổ sung báo cáo số 45/BC-UBND ngày 05/04/2024"
    assert (prep.sender, prep.subject) == ("Xã Dân Quyền", "Xã Dân Quyền")


def test_a_basis_line_above_the_table_is_no_number_and_no_date_of_the_file(con, cfg):
    top = {
        "A1": "UBND HUYỆN TAM NÔNG",
        "A2": "VĂN PHÒNG HĐND VÀ UBND HUYỆN",
        "A3": "Số: 61/BC-VP",
        "D3": "Tam Nông, ngày 09 tháng 4 năm 2024",
        "A5": TITLE,
        "A6": "Căn cứ Kế hoạch số 12/KH-UBND ngày 15/01/2024 của UBND huyện Tam Nông về thực hiện nhiệm vụ năm 2024",
    }
    prep = read(con, cfg, top, merges=["A3:B3", "D3:F3", "A5:F5", "A6:F6"])
    assert (prep.doc_number, prep.doc_date) == ("61/BC-VP", dt.date(2024, 4, 9))
    assert inferred_line(prep, "Văn bản dẫn chiếu")[0] == "căn cứ kế hoạch số 12/KH-UBND ngày 15/01/2024"
    assert prep.sender == "Văn phòng HĐND và UBND huyện"


def test_a_statistics_form_issued_with_a_decision_takes_no_date_of_that_decision(con, cfg):
    """A Thống kê form: its code and the decision that issued it on the left, the sender block on
    the right, the date under the table (findings 1 and 8 in one block)."""
    top = {
        "A1": "Biểu số 001.H/BCC-XHMT",
        "A2": "Ban hành kèm theo Quyết định số 1224/QĐ-TCTK ngày 17/11/2021",
        "E1": "CỤC THỐNG KÊ TỈNH PHÚ THỌ",
        "E2": "CHI CỤC THỐNG KÊ KHU VỰC TAM NÔNG - THANH THỦY",
        "A4": "ƯỚC TÍNH MỘT SỐ CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU QUÝ I NĂM 2024",
    }
    below = {(1, 5): "Tam Nông, ngày 03 tháng 4 năm 2024", (2, 5): "CHI CỤC TRƯỞNG"}
    prep = read(con, cfg, top, merges=["E1:F1", "E2:F2", "A4:F4"], below=below)
    assert not prep.refused, [e.message for e in prep.errors]
    assert prep.doc_date == dt.date(2024, 4, 3) and prep.doc_number == ""
    assert inferred_line(prep, "Tiêu đề") == ("ƯỚC TÍNH MỘT SỐ CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU QUÝ I NĂM 2024", "A4")
    assert inferred_line(prep, "Cơ quan gửi") == ("Chi cục Thống kê khu vực", "khối tên cơ quan (ô E2)")
    assert inferred_line(prep, "Văn bản dẫn chiếu")[0] == "ban hành kèm theo quyết định số 1224/QĐ-TCTK ngày 17/11/2021"


def test_the_files_own_date_line_outranks_the_annex_line_of_the_letter_it_came_with(con, cfg):
    """«Kèm theo Công văn số … của UBND huyện» names the district's letter the form came with:
    the commune's own «<place>, ngày …» line dates the file."""
    top = {
        "A1": "UBND XÃ TỀ LỄ",
        "E1": NATION,
        "E2": "Tề Lễ, ngày 02 tháng 4 năm 2024",
        "A4": TITLE,
        "A5": "(Kèm theo Công văn số 150/UBND ngày 25/3/2024 của UBND huyện Tam Nông)",
    }
    prep = read(con, cfg, top, merges=["A4:F4", "A5:F5"])
    assert prep.doc_date == dt.date(2024, 4, 2)
    assert inferred_line(prep, "Ngày văn bản") == ("02/04/2024", "ô E2 của tệp ghi «Tề Lễ, ngày 02 tháng 4 năm 2024»")


def test_a_number_and_a_date_merged_into_one_cell_are_both_the_files(con, cfg):
    top = {"A1": "UBND XÃ HIỀN QUAN", "A2": "Số: 17/BC-UBND      Hiền Quan, ngày 10 tháng 4 năm 2024", "A4": TITLE}
    prep = read(con, cfg, top, merges=["A2:F2", "A4:F4"])
    assert (prep.doc_number, prep.doc_date) == ("17/BC-UBND", dt.date(2024, 4, 10))


def test_two_replaced_reports_in_one_clause_are_both_read_with_the_line_and_its_cell(con, cfg):
    """«… và Báo cáo số 47/…»: the second document of the clause, whose verb is the first's, was cut
    out of the title with the brackets but named nowhere; a date in words is read as one."""
    quoted = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08 tháng 4 năm 2024 và Báo cáo số 47/BC-TCKH ngày 10/4/2024)"
    top = {"A1": "UBND HUYỆN TAM NÔNG", "A2": "PHÒNG TÀI CHÍNH - KẾ HOẠCH", "A3": "Số: 52/BC-TCKH", "A5": TITLE}
    prep = read(con, cfg, top | {"D3": "Tam Nông, ngày 22 tháng 4 năm 2024", "A6": quoted})
    assert (prep.doc_number, prep.doc_date) == ("52/BC-TCKH", dt.date(2024, 4, 22))
    assert [(c.kind, c.number, c.date, c.cell, c.line, c.replaces) for c in prep.replaced] == [
        ("báo cáo", "45/BC-TCKH", dt.date(2024, 4, 8), "A6", quoted, True),
        ("báo cáo", "47/BC-TCKH", dt.date(2024, 4, 10), "A6", quoted, True),
    ]
    assert [value for value, _how in inferred(prep, "Văn bản dẫn chiếu")] == [
        "thay thế báo cáo số 45/BC-TCKH ngày 08/04/2024",
        "thay thế báo cáo số 47/BC-TCKH ngày 10/04/2024",
    ]
    assert inferred_line(prep, "Tiêu đề") == (TITLE, "A5")


def test_a_document_the_file_rests_on_is_quoted_but_not_replaced(con, cfg):
    top = {"A1": "UBND HUYỆN TAM NÔNG", "A3": "Số: 61/BC-VP", "A5": TITLE}
    top["A6"] = "Căn cứ Kế hoạch số 12/KH-UBND ngày 15/01/2024; bổ sung Báo cáo số 45/BC-VP ngày 05/4/2024"
    prep = read(con, cfg, top)
    assert len(inferred(prep, "Văn bản dẫn chiếu")) == 2 and prep.replaced == []


# -- 8. a sender block on either side, never the title ----------------------------------------


def test_a_sender_block_at_the_right_of_the_title_row_is_the_sender_not_the_title(con, cfg):
    title = "ƯỚC THỰC HIỆN CÁC CHỈ TIÊU 6 THÁNG ĐẦU NĂM 2024"
    top = {"A1": title, "E1": "UBND HUYỆN TAM NÔNG", "E2": "PHÒNG KINH TẾ VÀ HẠ TẦNG", "A3": "(Số liệu ước tính)"}
    prep = read(con, cfg, top, merges=["A1:D1"])
    assert inferred_line(prep, "Tiêu đề")[0] == f"{title} (Số liệu ước tính)"
    assert inferred_line(prep, "Cơ quan gửi") == ("Phòng Kinh tế và Hạ tầng", "khối tên cơ quan (ô E2)")


def test_an_unknown_office_at_the_right_is_warned_about_in_words_that_say_either_side(con, cfg):
    top = {"A1": TITLE, "E1": "TRUNG TÂM DỊCH VỤ NÔNG NGHIỆP", "E2": "TỔ THỐNG KÊ"}
    prep = read(con, cfg, top, merges=["A1:D1"])
    assert inferred_line(prep, "Tiêu đề") == (TITLE, "A1")
    [warning] = [i.message for i in prep.issues if i.code in ("no_sender", "office_unknown_subject")]
    assert "TRUNG TÂM DỊCH VỤ NÔNG NGHIỆP" in warning and "góc trái" not in warning


# -- 7. another district or province is held for the clerk ----------------------------------------


def test_a_title_naming_another_district_is_held_with_what_where_and_what_to_do(con, cfg):
    top = {"A1": "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU QUÝ I NĂM 2024 HUYỆN YÊN LẬP"}
    prep = read(con, cfg, top, merges=["A1:F1"])
    assert prep.refused and prep.awaiting_decision and prep.needs("subject")
    [held] = prep.errors
    assert (held.code, held.cell) == ("other_place", "A1")
    assert "huyện Yên Lập không phải huyện Tam Nông, tỉnh Phú Thọ của kế hoạch" in held.message
    assert "chọn đúng đối tượng ở ô «Số liệu của (đối tượng)»" in held.message
    value, how = inferred_line(prep, "Số liệu của (đối tượng)")
    assert value == "(không rõ)"  # not «UBND huyện Tam Nông» beside «chưa rõ»
    assert how == "chưa rõ: tệp ghi huyện Yên Lập (ô A1), không phải nơi của kế hoạch — hãy chọn"
    # the clerk who knows these are Tam Nông's figures says so, and the file is read
    chosen = read(con, cfg, top, merges=["A1:F1"], subject="UBND huyện Tam Nông")
    assert not chosen.refused and chosen.subject == "UBND huyện Tam Nông"


def test_another_provinces_office_in_mixed_case_on_the_left_is_held(con, cfg):
    top = {
        "A1": "UBND tỉnh Yên Bái",
        "A2": "Sở Tài chính",
        "A4": "Tình hình thực hiện các chỉ tiêu kinh tế - xã hội quý I năm 2024",
    }
    prep = read(con, cfg, top)
    assert codes(prep) == [("other_place", "A1")]
    assert "tỉnh Yên Bái không phải huyện Tam Nông, tỉnh Phú Thọ" in prep.errors[0].message


def test_the_same_district_name_in_another_province_is_held(con, cfg):
    top = {
        "A1": "UBND HUYỆN TAM NÔNG",
        "A2": "PHÒNG TÀI CHÍNH - KẾ HOẠCH",
        "A4": TITLE,
        "A5": "(Số liệu của huyện Tam Nông, tỉnh Đồng Tháp)",
    }
    prep = read(con, cfg, top, merges=["A4:F4", "A5:F5"])
    assert codes(prep) == [("other_place", "A5")]  # the title's second line, where it is written
    assert "tỉnh Đồng Tháp không phải" in prep.errors[0].message


def test_a_regional_office_serving_only_other_districts_is_held_not_only_warned(con, cfg):
    """«CHI CỤC THỐNG KÊ KHU VỰC CẨM KHÊ - THANH BA» serves two other districts: the report was only
    warned (no sender) and stored as Tam Nông's figures; it is held as another district's is."""
    top = {"E1": "CỤC THỐNG KÊ TỈNH PHÚ THỌ", "E2": "CHI CỤC THỐNG KÊ KHU VỰC CẨM KHÊ - THANH BA", "A4": TITLE}
    prep = read(con, cfg, top, merges=["E1:F1", "E2:F2", "A4:F4"])
    assert codes(prep) == [("other_place", "E2")] and prep.awaiting_decision
    assert "khu vực Cẩm Khê - Thanh Ba không phải huyện Tam Nông, tỉnh Phú Thọ của kế hoạch" in prep.errors[0].message
    assert not [i for i in prep.issues if i.code == "no_sender"]  # the hold says it, not a second warning
    value, how = inferred_line(prep, "Số liệu của (đối tượng)")
    assert (value, how) == (
        "(không rõ)",
        "chưa rõ: tệp ghi khu vực Cẩm Khê - Thanh Ba (ô E2), không phải nơi của kế hoạch — hãy chọn",
    )
    chosen = read(con, cfg, top, merges=["E1:F1", "E2:F2", "A4:F4"], subject="UBND huyện Tam Nông")
    assert not chosen.refused


@pytest.mark.parametrize(
    "office",
    [
        "CHI CỤC THỐNG KÊ KHU VỰC THANH THỦY - TAM NÔNG",
        "Chi cục Thuế khu vực Lâm Thao, Tam Nông và Thanh Thủy",
        "ĐỘI QUẢN LÝ THỊ TRƯỜNG LIÊN HUYỆN THANH THỦY - TAM NÔNG",  # «HUYỆN THANH THỦY» is the region's
    ],
)
def test_a_regional_office_whose_region_includes_the_district_is_the_districts(con, cfg, office):
    prep = read(con, cfg, {"A1": "CỤC THỐNG KÊ TỈNH PHÚ THỌ", "A2": office, "A4": TITLE})
    assert not [e for e in prep.errors if e.code == "other_place"], [e.message for e in prep.errors]


def test_the_plans_own_places_in_capitals_beside_bodies_and_phrases_hold_nothing(con, cfg):
    """The district's own names in a block, a title, a recipient line, beside «HUYỆN ỦY», «chỉ
    tiêu huyện giao» and the province: never another place."""
    top = {
        "A1": "UBND HUYỆN TAM NÔNG",
        "A2": "PHÒNG NỘI VỤ",
        "D1": "CỤC THỐNG KÊ TỈNH PHÚ THỌ",
        "A4": "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU HUYỆN GIAO CỦA HUYỆN TAM NÔNG QUÝ I NĂM 2024",
        "A5": "(Theo chỉ đạo của HUYỆN ỦY, UBND TỈNH PHÚ THỌ)",
        "A6": "Kính gửi: UBND huyện Thanh Thủy",
    }
    prep = read(con, cfg, top, merges=["A4:F4", "A5:F5"])
    assert not prep.refused, [e.message for e in prep.errors]
    assert prep.sender == "Phòng Nội vụ" and prep.subject == "UBND huyện Tam Nông"
