"""A supplementary award list that repeats awards of the list in use, spelled otherwise (black-box
round 9, f16-khen-bo-sung-trung.xlsx): «Công an huyện», Cờ thi đua UBND tỉnh, «Số 091/QĐ-UBND ngày
21/1/2025» where the first list (no unit column for its collectives) had «91/QĐ-UBND» and the date
in its own column; «Bà Nguyễn Thị Lan», 601/QĐ-TTg, where the first had «Nguyễn Thị Lan». The
preview said only «1 → 2»; TD04 then read «2 · 200,00 % · Vượt» and the draft cited «91/QĐ-UBND;
091/QĐ-UBND». Now (kpi.domain.award_identity): a row without a unit is its recipient's own, so the
repeat is one award, counted once; the preview names the row and the list that has it; a repeat
whose decision's date differs, or the same person under no unit, is a warning naming both rows;
the draft and the annex cite a decision once, as the first list wrote it.

Both lists are written here (tests/support/registers.py), into a real database.
"""

from __future__ import annotations

import datetime as dt

from kpi.ingest import ingest, prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.awards import award_counts, award_rows
from tests.support.registers import register
from tests.support.samples import ACTOR

CO_TINH, BK_TTG = "Cờ thi đua của UBND tỉnh", "Bằng khen của Thủ tướng Chính phủ"
TTLDXS = "Tập thể lao động xuất sắc"

#: The first list: collectives with no unit of their own, the decision's date in its own column.
FIRST = register(
    ["DANH SÁCH KHEN THƯỞNG NĂM 2024", ""],
    ["STT", "Họ và tên / Tập thể", "Đơn vị", "Danh hiệu", "Số QĐ", "Ngày QĐ", "Năm thành tích"],
    [
        [1, "Công an huyện", None, CO_TINH, "91/QĐ-UBND", dt.datetime(2025, 1, 21), 2024],
        [2, "Nguyễn Thị Lan", "Phòng Y tế", BK_TTG, "601/QĐ-TTg", dt.datetime(2025, 5, 6), 2024],
        [3, "Phòng Tư pháp", None, TTLDXS, "20/QĐ-UBND", dt.datetime(2024, 12, 27), 2024],
    ],
)


def supplement(rows: list[list]) -> bytes:
    return register(
        ["DANH SÁCH KHEN THƯỞNG BỔ SUNG - THÀNH TÍCH NĂM 2024", ""],
        ["STT", "Họ và tên / Tên tập thể", "Đơn vị", "Hình thức khen thưởng", "Số, ngày quyết định", "Năm thành tích"],
        rows,
    )


REPEATS = supplement(
    [
        [1, "Công an huyện", "Công an huyện", CO_TINH, "Số 091/QĐ-UBND ngày 21/1/2025", 2024],
        [2, "Bà Nguyễn Thị Lan", "Phòng Y tế", BK_TTG, "601/QĐ-TTg ngày 06/5/2025", 2024],
        [3, "Xã Tề Lễ", "Xã Tề Lễ", CO_TINH, "QĐ số 091 / qđ-ubnd, ngày 21/01/2025", 2024],
    ]
)


def _first(con, cfg):
    ingest(con, FIRST, "ds-chinh.xlsx", ACTOR, ImportOptions(), cfg)
    assert award_counts(con, 2024) == {"TD04": 1, "TD03": 1, "TD08": 1}


def test_a_repeat_spelled_otherwise_counts_once_and_the_preview_says_where_it_already_is(con, cfg):
    _first(con, cfg)
    prep = prepare(con, REPEATS, "bo-sung.xlsx", ImportOptions(), cfg)
    changes = prep.register_scope.changes
    assert dict(zip(changes["key"], zip(changes["old"], changes["new"], strict=True), strict=True)) == {"TD04": (1, 2)}
    said = {i.code: i.message for i in prep.issues}
    assert said["award_in_list_in_use"] == (
        "Dòng 4 (Công an huyện, Cờ thi đua của UBND tỉnh, 091/QĐ-UBND ngày 21/01/2025) đã có trong «ds-chinh.xlsx»"
        " dòng 4; dòng 5 (Bà Nguyễn Thị Lan – Phòng Y tế, Bằng khen của Thủ tướng Chính phủ, 601/QĐ-TTg ngày"
        " 06/05/2025) đã có trong «ds-chinh.xlsx» dòng 5: chỉ tính một lần, ở danh sách đó."
    )
    assert "award_maybe_in_list_in_use" not in said
    ingest(con, REPEATS, "bo-sung.xlsx", ACTOR, ImportOptions(), cfg)
    # TD04: Công an huyện once, and Xã Tề Lễ (a new collective under the same decision)
    assert award_counts(con, 2024) == {"TD04": 2, "TD03": 1, "TD08": 1}
    roll = award_rows(con, 2024)
    cited = roll.loc[roll["key"] == "TD04", ["recipient", "decision_number", "decision_written", "counted"]]
    assert cited.values.tolist() == [
        ["Công an huyện", "91/QĐ-UBND", "91/QĐ-UBND", True],
        ["Công an huyện", "91/QĐ-UBND", "091/QĐ-UBND", False],
        ["Xã Tề Lễ", "91/QĐ-UBND", "091/qđ-ubnd", True],
    ]
    # the draft cites the decision once, as the first list wrote it (a new collective under it too)
    from kpi.output.report_draft import draft_document

    doc = draft_document(con, 2024, 4, today=dt.date(2025, 1, 31))
    body = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    line = next(t for t in body if t.startswith("- Số tập thể được UBND tỉnh tặng Cờ thi đua"))
    assert line.count("91/QĐ-UBND ngày 21/01/2025") == 1 and "091" not in "\n".join(body), line


def test_a_repeat_under_another_date_or_without_the_unit_is_a_warning_naming_both_rows(con, cfg):
    _first(con, cfg)
    rows = [
        [1, "Công an huyện", "Công an huyện", CO_TINH, "091/QĐ-UBND ngày 22/01/2025", 2024],
        [2, "Ông Nguyễn Thị Lan", None, BK_TTG, "601/QĐ-TTg ngày 06/5/2025", 2024],
        [3, "Phòng Tư pháp", "Phòng Tư pháp", TTLDXS, "20/QĐ", 2024],  # another series: another decision
    ]
    prep = prepare(con, supplement(rows), "bo-sung-2.xlsx", ImportOptions(), cfg)
    said = {i.code: (i.severity, i.message) for i in prep.issues}
    assert said["award_maybe_in_list_in_use"] == (
        "warning",
        "Có thể trùng (cùng quyết định, người/tập thể và danh hiệu): dòng 4 (Công an huyện, Cờ thi đua của"
        " UBND tỉnh, 091/QĐ-UBND ngày 22/01/2025) và «ds-chinh.xlsx» dòng 4 (Công an huyện, Cờ thi đua của UBND"
        " tỉnh, 91/QĐ-UBND ngày 21/01/2025): khác ngày quyết định, tính một lần; dòng 5 (Ông Nguyễn Thị Lan, Bằng"
        " khen của Thủ tướng Chính phủ, 601/QĐ-TTg ngày 06/05/2025) và «ds-chinh.xlsx» dòng 5 (Nguyễn Thị Lan –"
        " Phòng Y tế, Bằng khen của Thủ tướng Chính phủ, 601/QĐ-TTg ngày 06/05/2025): khác đơn vị, tính hai lần."
        " Hãy kiểm tra và sửa tệp cho đúng rồi tải lại.",
    )
    ingest(con, supplement(rows), "bo-sung-2.xlsx", ACTOR, ImportOptions(), cfg)
    # the Cờ thi đua is one award (its date aside), Nguyễn Thị Lan without a unit is never merged,
    # «20/QĐ» is not «20/QĐ-UBND»
    assert award_counts(con, 2024) == {"TD04": 1, "TD03": 2, "TD08": 2}


def test_a_name_written_with_its_unit_in_brackets_is_that_person_of_that_unit(con, cfg):
    """The tester's f06: «Nguyễn Thị Lan (Phòng Y tế)», no unit column; the supplement's «Bà
    Nguyễn Thị Lan», unit «Phòng Y tế», the same decision: one Bằng khen, TD03 stays 1."""
    first = register(
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024", ""],
        ["STT", "Họ và tên", "Tập thể/Cá nhân", "Hình thức khen thưởng", "Số quyết định", "Ngày quyết định", "Năm"],
        [
            [1, "Nguyễn Thị Lan (Phòng Y tế)", "Cá nhân", BK_TTG, "601/QĐ-TTg", dt.datetime(2025, 5, 6), 2024],
            [2, "Lê Văn Hải (Trưởng phòng)", "Cá nhân", BK_TTG, "601/QĐ-TTg", dt.datetime(2025, 5, 6), 2024],
        ],
    )
    ingest(con, first, "ds-qd.xlsx", ACTOR, ImportOptions(), cfg)
    assert award_counts(con, 2024) == {"TD03": 2}
    rows = [
        [1, "Bà Nguyễn Thị Lan", "Phòng Y tế", BK_TTG, "601/QĐ-TTg ngày 06/5/2025", 2024],
        [2, "Lê Văn Hải", "Phòng Nội vụ", BK_TTG, "601/QĐ-TTg ngày 06/5/2025", 2024],  # a title is no unit
    ]
    prep = prepare(con, supplement(rows), "bo-sung-3.xlsx", ImportOptions(), cfg)
    said = {i.code: i.message for i in prep.issues}
    assert said["award_in_list_in_use"].startswith(
        "Dòng 4 (Bà Nguyễn Thị Lan – Phòng Y tế, Bằng khen của Thủ tướng Chính phủ, 601/QĐ-TTg ngày 06/05/2025)"
        " đã có trong «ds-qd.xlsx» dòng 4: chỉ tính một lần"
    )
    ingest(con, supplement(rows), "bo-sung-3.xlsx", ACTOR, ImportOptions(), cfg)
    assert award_counts(con, 2024) == {"TD03": 3}
