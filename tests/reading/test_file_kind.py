"""The kind of a file decided from the whole table (kpi.reading.file_kind.decide_kind), called
directly on sheets written here: each row votes once; four fifths of the votes settle the kind."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.reading.file_kind import decide_kind, kind_unclear_issue
from kpi.reading.workbook import Sheet
from kpi.storage.catalogue import load_catalogue


@pytest.fixture
def plan(con):
    return load_catalogue(con, 2024)


def sheet(*rows) -> Sheet:
    return Sheet("Sheet1", [list(r) for r in rows])


def test_indicator_names_vote_for_a_report(plan):
    d = decide_kind(
        sheet(
            ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện"],
            [1, "Tổng vốn đầu tư toàn xã hội", "tỷ đồng", 825.2],
            [2, "Tổng thu ngân sách nhà nước", "tỷ đồng", 201.0],
            [3, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 93.2],
        ),
        plan,
    )
    assert d.votes == {"report": 3, "awards": 0, "registrations": 0}
    assert d.kind == "report"


def test_award_words_vote_for_an_award_register_even_abbreviated(plan):
    d = decide_kind(
        sheet(
            ["TT", "Họ và tên / Tập thể", "Hình thức", "Số QĐ"],
            [1, "Nguyễn Văn An", "Chiến sĩ thi đua cơ sở", "12/QĐ-UBND"],
            [2, "Trần Thị Bình", "CSTĐCS", "12/QĐ-UBND"],
            [3, "Phòng Tư pháp", "Tập thể lao động xuất sắc", "13/QĐ-UBND"],
            [4, "Xã Tề Lễ", "Bằng khen của Chủ tịch UBND tỉnh", "250/QĐ-UBND"],
        ),
        plan,
    )
    assert d.votes["awards"] == 4 and d.kind == "awards"


def test_units_with_a_date_or_mark_vote_for_a_registration_list_and_bare_units_do_not(plan):
    d = decide_kind(
        sheet(
            ["TT", "Đơn vị", "Ngày đăng ký", "Ghi chú"],
            [1, "Xã Tề Lễ", dt.date(2024, 2, 5), ""],
            [2, "Phòng Tư pháp", "12/02/2024", ""],
            [3, "Công an huyện", "x", ""],
            [4, "Thanh tra huyện", None, ""],  # no sign either way: no vote
        ),
        plan,
    )
    assert d.votes == {"report": 0, "awards": 0, "registrations": 3}
    assert d.kind == "registrations"


def test_three_of_four_is_not_four_fifths_and_the_question_names_the_candidates(plan):
    d = decide_kind(
        sheet(
            [1, "Xã Tề Lễ", "05/02/2024"],
            [2, "Xã Lam Sơn", "06/02/2024"],
            [3, "Xã Bắc Sơn", "06/02/2024"],
            [4, "Nguyễn Văn An", "Chiến sĩ thi đua cơ sở"],
        ),
        plan,
    )
    assert d.votes["registrations"] == 3 and d.votes["awards"] == 1
    assert d.kind is None  # 3/4 = 75 % < 80 %
    issue = kind_unclear_issue(d, "Sheet1")
    assert issue.code == "kind_unclear" and issue.sheet == "Sheet1"
    assert "danh sách đăng ký thi đua" in issue.message and "danh sách khen thưởng" in issue.message
    assert "--kind" in issue.message


def test_four_of_five_settles(plan):
    rows = [[i, u, "05/02/2024"] for i, u in enumerate(["Xã Tề Lễ", "Xã Lam Sơn", "Xã Bắc Sơn", "Phòng Y tế"], 1)]
    d = decide_kind(sheet(*rows, [5, "Nguyễn Văn An", "Chiến sĩ thi đua cơ sở"]), plan)
    assert d.kind == "registrations"


def test_a_title_votes_once_and_an_empty_sheet_settles_nothing(plan):
    d = decide_kind(sheet(["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"], ["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"]), plan)
    assert d.total == 1 and d.votes["registrations"] == 1
    empty = decide_kind(sheet([None, ""], []), plan)
    assert empty.total == 0 and empty.kind is None and empty.summary() == "không có dấu hiệu nào"


def test_the_title_beside_a_forms_mark_is_the_title_not_the_bracketed_reference_under_it(plan):
    """Black-box (December 2026): «Dấu hiệu loại tệp» quoted «(Kèm theo Báo cáo số 150…)» as the
    title, passing over the real one in A4 because «Biểu số 02» stood in the same row; the report's
    own reader took A4. A row's one long line with no figure is the title; a bracketed line never."""
    d = decide_kind(
        sheet(
            ["UBND XÃ TỀ LỄ", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            [],
            ["KẾT QUẢ THỰC HIỆN CHỈ TIÊU 9 THÁNG NĂM 2024", None, None, "Biểu số 02"],
            ["(Kèm theo Báo cáo số 150/BC-UBND ngày 25/9/2024 của UBND xã Tề Lễ)"],
            ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện"],
            [1, "Tổng vốn đầu tư toàn xã hội", "tỷ đồng", 825.2],
        ),
        plan,
    )
    assert "«KẾT QUẢ THỰC HIỆN CHỈ TIÊU 9 THÁNG NĂM 2024»" in d.summary()
    assert "Kèm theo" not in d.summary() and d.votes["report"] == 2
    # a data row's one long name beside its figures is no title, though it has a report's words
    rows = sheet(["Số chỉ tiêu đạt kết quả thực hiện", 12, 15], ["Tổng thu ngân sách nhà nước", "tỷ đồng", 201.0])
    assert decide_kind(rows, plan).votes["report"] == 1
