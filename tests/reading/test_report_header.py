"""What the preview says it read from a report's top lines (issue 14, item 8; a code-blind user's
findings): the sender from a one-line or two-line admin block wherever it stands, the title never a
"Label: value" line or a body's name, the kind evidence written in one count.

Each workbook is written with openpyxl (tests/support/title_blocks.py), in a layout the shared
samples do not use, and read by :func:`kpi.ingest.prepare` as an upload is. A sender is read
right, or not read and warned about: never the wrong unit.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import partial

import pytest

from kpi.ingest import prepare
from kpi.reading.layout import vocabulary
from kpi.reading.report_context import title_candidate
from kpi.reading.report_sheets import ImportOptions
from tests.support.samples import sample_bytes
from tests.support.title_blocks import MOTTO, NATION, TITLE, inferred_line, read_title_block

TABLE = [
    ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I/2024"],
    [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 520.4],
    [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 160.2],
    [3, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 92.8],
]
#: The preview of a report whose cells above :data:`TABLE` are ``top`` (``table=`` another table).
read = partial(read_title_block, table=TABLE)


def sender_warnings(prep) -> list[str]:
    """What is said of a sender not found: a warning, or — an office named that is no unit, over a
    file that does not say whose figures — the hold for «Số liệu của» (round 11), in the same words."""
    return [i.message for i in prep.issues if i.code in ("no_sender", "office_unknown_subject")]


# -- the sender: one-line blocks ---------------------------------------------------------------


def test_a_one_line_office_with_its_district_after_it_is_the_sender_and_not_the_title(con, cfg):
    prep = read(
        con,
        cfg,
        {"A1": "PHÒNG TÀI CHÍNH - KẾ HOẠCH HUYỆN TAM NÔNG", "D1": NATION, "D2": MOTTO, "A4": TITLE},
        merges=["A1:B1", "A4:D4"],
    )
    assert not prep.refused, [i.message for i in prep.errors]
    assert prep.sender == "Phòng Tài chính - Kế hoạch" and not sender_warnings(prep)
    assert inferred_line(prep, "Cơ quan gửi") == ("Phòng Tài chính - Kế hoạch", "khối tên cơ quan (ô A1)")
    assert inferred_line(prep, "Tiêu đề") == (TITLE, "A4")


def test_a_one_line_block_superior_dash_office_names_the_office_and_its_superior(con, cfg):
    prep = read(con, cfg, {"A1": "UBND HUYỆN TAM NÔNG - PHÒNG TÀI CHÍNH - KẾ HOẠCH", "A3": TITLE})
    assert prep.sender == "Phòng Tài chính - Kế hoạch" and not sender_warnings(prep)
    assert inferred_line(prep, "Cơ quan gửi")[1] == (
        "khối tên cơ quan (ô A1): «PHÒNG TÀI CHÍNH - KẾ HOẠCH», cơ quan cấp trên «UBND HUYỆN TAM NÔNG»"
    )
    assert inferred_line(prep, "Tiêu đề") == (TITLE, "A3")


def test_a_one_line_block_joined_by_an_en_dash_under_the_quoc_hieu_on_the_left(con, cfg):
    top = {"A1": NATION, "A2": MOTTO, "A4": "UBND HUYỆN TAM NÔNG – PHÒNG VĂN HÓA VÀ THÔNG TIN", "A6": TITLE}
    prep = read(con, cfg, top, merges=["A1:D1", "A2:D2", "A6:D6"])
    assert prep.sender == "Phòng Văn hóa và Thông tin" and not sender_warnings(prep)
    assert inferred_line(prep, "Tiêu đề") == (TITLE, "A6")


def test_a_communes_one_line_block_gives_the_sender_and_the_subject(con, cfg):
    title = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ I NĂM 2024"
    prep = read(con, cfg, {"A1": "HUYỆN TAM NÔNG - UBND XÃ HIỀN QUAN", "A3": title})
    assert not prep.refused, [i.message for i in prep.errors]
    assert (prep.sender, prep.subject) == ("Xã Hiền Quan", "Xã Hiền Quan")
    assert inferred_line(prep, "Tiêu đề") == (title, "A3")


def test_an_office_under_another_district_is_held_never_read_as_the_plans(con, cfg):
    """Once a warning beside «Sẵn sàng lưu» (black-box round 7: the file was ready to save as Tam
    Nông's); now the file is held for the clerk, and no warning says the sender's doubt again."""
    prep = read(con, cfg, {"A1": "UBND HUYỆN THANH SƠN - PHÒNG TÀI CHÍNH - KẾ HOẠCH", "A3": TITLE})
    assert prep.sender == "" and prep.awaiting_decision and prep.needs("subject")
    [held] = prep.errors
    assert (held.code, held.cell) == ("other_place", "A1")
    assert held.message.startswith(
        "Tệp ghi «UBND HUYỆN THANH SƠN - PHÒNG TÀI CHÍNH - KẾ HOẠCH»: huyện Thanh Sơn không phải huyện Tam Nông, "
        "tỉnh Phú Thọ của kế hoạch"
    )
    assert not sender_warnings(prep)
    assert inferred_line(prep, "Tiêu đề") == (TITLE, "A3")


def test_an_office_under_a_commune_is_warned_about_never_read_as_the_plans(con, cfg):
    prep = read(con, cfg, {"A1": "UBND XÃ HIỀN QUAN - PHÒNG TÀI CHÍNH - KẾ HOẠCH", "A3": TITLE})
    assert prep.sender == ""
    assert sender_warnings(prep) == [
        "Không xác định được cơ quan gửi báo cáo: khối tên cơ quan (ô A1) ghi «PHÒNG TÀI CHÍNH - KẾ HOẠCH» "
        "thuộc «UBND XÃ HIỀN QUAN», không phải UBND huyện Tam Nông của kế hoạch. Nếu tệp do một đơn vị "
        "của kế hoạch gửi, hãy ghi tên cơ quan đúng như danh sách đơn vị của kế hoạch rồi tải lên lại. Điều "
        "này không ngăn việc lưu; các bản sửa sau của cùng tệp sẽ được so theo kỳ và đối tượng."
    ]


def test_a_one_line_office_not_in_the_plan_is_warned_about_not_replaced_by_its_superior(con, cfg):
    prep = read(con, cfg, {"A1": "UBND HUYỆN TAM NÔNG - PHÒNG VĂN HOÁ", "A3": TITLE})
    assert prep.sender == ""
    (warning,) = sender_warnings(prep)
    assert "khối tên cơ quan (ô A1) ghi «UBND HUYỆN TAM NÔNG - PHÒNG VĂN HOÁ», không khớp đơn vị nào" in warning
    assert prep.awaiting_decision and prep.needs("subject")  # whose figures: asked, not the district's by default


# -- the sender: two-line blocks ---------------------------------------------------------------


def test_a_two_line_block_on_the_right_is_the_sender_and_not_the_title(con, cfg):
    top = {"A1": NATION, "A2": MOTTO, "E1": "UBND HUYỆN TAM NÔNG", "E2": "PHÒNG TÀI CHÍNH - KẾ HOẠCH", "A4": TITLE}
    prep = read(con, cfg, top, merges=["A1:C1", "A2:C2", "E1:F1", "E2:F2", "A4:F4"])
    assert prep.sender == "Phòng Tài chính - Kế hoạch" and not sender_warnings(prep)
    assert inferred_line(prep, "Cơ quan gửi") == ("Phòng Tài chính - Kế hoạch", "khối tên cơ quan (ô E2)")
    assert inferred_line(prep, "Tiêu đề") == (TITLE, "A4")


def test_a_two_line_block_of_another_district_is_held(con, cfg):
    top = {"A1": "UBND HUYỆN THANH SƠN", "A2": "PHÒNG TÀI CHÍNH - KẾ HOẠCH", "A4": TITLE}
    prep = read(con, cfg, top)
    assert prep.sender == "" and prep.awaiting_decision
    assert [(e.code, e.cell) for e in prep.errors] == [("other_place", "A1")]


def test_a_two_line_block_whose_office_is_not_in_the_plan_is_not_read_as_its_superior(con, cfg):
    prep = read(con, cfg, {"A1": "UBND HUYỆN TAM NÔNG", "A2": "PHÒNG VĂN HOÁ", "A4": TITLE})
    assert prep.sender == ""
    (warning,) = sender_warnings(prep)
    assert "khối tên cơ quan (ô A2) ghi «PHÒNG VĂN HOÁ», không khớp đơn vị nào" in warning
    assert prep.awaiting_decision and prep.needs("subject")


def test_an_office_name_broken_after_its_dash_is_one_line_of_the_block_not_the_title(con, cfg):
    top = {"A1": "UBND HUYỆN TAM NÔNG", "A2": "PHÒNG TÀI CHÍNH -", "A3": "KẾ HOẠCH", "A5": TITLE}
    prep = read(con, cfg, top)
    assert prep.sender == "Phòng Tài chính - Kế hoạch" and not sender_warnings(prep)
    assert inferred_line(prep, "Tiêu đề") == (TITLE, "A5")


# -- the title: never a "Label: value" line ----------------------------------------------------


def test_label_lines_above_and_below_the_title_are_neither_title_nor_kind_evidence(con, cfg):
    top = {
        "A1": "UBND HUYỆN TAM NÔNG",
        "A2": "PHÒNG TÀI CHÍNH - KẾ HOẠCH",
        "A4": "Kính gửi: Ủy ban nhân dân huyện Tam Nông và các phòng, ban chuyên môn",
        "A5": "Ngày báo cáo: 15/04/2024",
        "A6": TITLE,
        "A7": "Người lập biểu:",
        "B7": "Nguyễn Văn An",
        "A8": "Đơn vị tính: tỷ đồng",
    }
    prep = read(con, cfg, top, merges=["A6:D6"])
    assert not prep.refused, [i.message for i in prep.errors]
    assert inferred_line(prep, "Tiêu đề") == (TITLE, "A6")
    signs, _how = inferred_line(prep, "Dấu hiệu loại tệp")
    assert signs.startswith("báo cáo chỉ tiêu: 4 trong 4 dấu hiệu (tiêu đề «BÁO CÁO KẾT QUẢ THỰC HIỆN")
    assert "Ngày báo cáo" not in signs and "Kính gửi" not in signs
    assert (prep.sender, prep.doc_date) == ("Phòng Tài chính - Kế hoạch", dt.date(2024, 4, 15))


def test_a_title_in_two_merged_rows_under_a_date_line_and_no_admin_block(con, cfg):
    top = {
        "A1": "Ngày báo cáo: 15/04/2024",
        "A2": "BÁO CÁO",
        "A3": "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ I NĂM 2024",
        "A4": "Người lập biểu: Trần Thị Bình",
    }
    prep = read(con, cfg, top, merges=["A2:D2", "A3:D3"])
    assert inferred_line(prep, "Tiêu đề") == ("BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ I NĂM 2024", "A2")
    signs, _how = inferred_line(prep, "Dấu hiệu loại tệp")
    assert "tiêu đề «KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ I NĂM 2024»" in signs and "Ngày báo cáo" not in signs
    # no admin block at all: the sender is not guessed
    assert prep.sender == "" and len(sender_warnings(prep)) == 1 and prep.quarter == 1


@pytest.mark.parametrize(
    "date_line",
    ["Ngày 08/7/2024", "Tam Nông, ngày 08-7-2024", "Ngày 8.7.2024."],
)
def test_a_line_that_is_only_a_date_under_the_title_is_the_documents_date(con, cfg, date_line):
    """Black-box finding: «Ngày 08/7/2024» under the title was glued to it («…NĂM 2024 Ngày
    08/7/2024») and the same preview said the file had no document date — the date that decides
    which version counts."""
    top = {"A1": "UBND HUYỆN TAM NÔNG", "A2": "CHI CỤC THỐNG KÊ", "A3": TITLE, "A4": date_line}
    prep = read(con, cfg, top)
    assert inferred_line(prep, "Tiêu đề") == (TITLE, "A3")
    assert prep.doc_date == dt.date(2024, 7, 8)
    assert not [i for i in prep.issues if i.code == "no_doc_date"]


def test_a_numbered_form_title_and_a_one_line_line_agency_block(con, cfg):
    title = "Biểu số 02: TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ I NĂM 2024"
    top = {
        "A1": "CỤC THỐNG KÊ TỈNH PHÚ THỌ - CHI CỤC THỐNG KÊ KHU VỰC TAM NÔNG",
        "E1": NATION,
        "A3": title,
        "A4": "Người lập biểu: Lê Văn Cường",
    }
    prep = read(con, cfg, top, merges=["A1:C1", "A3:F3"])
    assert inferred_line(prep, "Tiêu đề") == (title, "A3")
    assert prep.sender == "Chi cục Thống kê khu vực" and not sender_warnings(prep)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Ngày báo cáo: 15/04/2024", False),
        ("Ngày lập: 10/4/2024", False),
        ("Người lập biểu: Nguyễn Văn An", False),
        ("Đơn vị tính: tỷ đồng", False),
        ("Kính gửi: Ban Thi đua - Khen thưởng huyện", False),
        ("PHÒNG TÀI CHÍNH - KẾ HOẠCH HUYỆN TAM NÔNG", False),
        ("UBND XÃ PHÚ THỌ - PHÒNG VĂN HOÁ", False),
        ("Biểu số 01: Tổng hợp kết quả thực hiện các chỉ tiêu", True),
        ("Phụ lục II: Kết quả thực hiện các chỉ tiêu thi đua", True),
        ("QUÝ I/2024: KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", True),
        ("V/v: Báo cáo kết quả thực hiện chỉ tiêu quý I năm 2024", True),
        ("PHÒNG TÀI CHÍNH - KẾ HOẠCH BÁO CÁO KẾT QUẢ QUÝ I NĂM 2024", True),  # names a period: no body's name
        (TITLE, True),
    ],
)
def test_a_label_line_or_a_bodys_name_is_no_title(text, title):
    assert title_candidate(text, vocabulary()) is title


# -- the kind evidence: one count -------------------------------------------------------------

_VOTES = re.compile(r"^báo cáo chỉ tiêu: (\d+) trong (\d+) dấu hiệu \(")
_RULE = re.compile(r"^đã rõ loại tệp \(cần ít nhất (\d+) trong (\d+) dấu hiệu cùng chỉ một loại\)$")


@pytest.mark.parametrize("sample", ["q1", "h1", "q3"])
def test_the_kind_evidence_counts_signs_and_states_the_rule_in_the_same_count(con, cfg, sample):
    from tests.support.samples import SAMPLE_FILES

    prep = prepare(con, sample_bytes(sample), SAMPLE_FILES[sample], ImportOptions(), cfg)
    signs, how = inferred_line(prep, "Dấu hiệu loại tệp")
    votes, total = (int(n) for n in _VOTES.match(signs).groups())
    needed, total_again = (int(n) for n in _RULE.match(how).groups())
    assert (votes, total, needed, total_again) == (15, 15, 12, 15)  # 4/5 of 15 = 12, and 15 ≥ 12
    assert "4/5" not in signs + how and "/15" not in signs + how


def test_an_unsettled_kind_says_the_most_signs_of_one_kind_against_the_rule(con, cfg):
    rows = [
        TABLE[0],
        [1, "Tổng thu ngân sách nhà nước", "tỷ đồng", 160.2],
        [2, "Tỷ lệ hộ nghèo", "%", 2.0],
        [3, "Bằng khen của Chủ tịch UBND tỉnh", "", 5],
        [4, "Cờ thi đua của Chính phủ", "", 1],
    ]
    prep = read(con, cfg, {"A1": "BẢNG TỔNG HỢP"}, table=rows)
    signs, how = inferred_line(prep, "Dấu hiệu loại tệp")
    assert signs.startswith("báo cáo chỉ tiêu: 2 trong 4 dấu hiệu (")
    assert " · danh sách khen thưởng: 2 trong 4 dấu hiệu (" in signs
    assert how == "chưa rõ loại tệp: một loại có nhiều nhất 2 trong 4 dấu hiệu, cần ít nhất 4"


def test_a_held_subject_is_said_not_known_and_no_warning_says_the_file_will_be_saved(con, cfg):
    """Black-box finding: a file held for «UBND XÃ THỬ NGHIỆM» (no unit of the plan) read «Số liệu
    của: UBND huyện Tam Nông — mặc định: báo cáo của toàn huyện» beside the hold, and its sender
    warning said «Báo cáo vẫn được lưu» beside the error that keeps it from being saved."""
    prep = read(con, cfg, {"A1": "UBND XÃ THỬ NGHIỆM", "A3": TITLE})
    assert prep.needs("subject")
    value, how = inferred_line(prep, "Số liệu của (đối tượng)")
    assert how.startswith("chưa rõ") and "mặc định" not in how
    assert value == "(không rõ)"  # black-box round 7: «UBND huyện Tam Nông» beside «chưa rõ»
    assert not [i for i in prep.issues if "vẫn được lưu" in i.message]
