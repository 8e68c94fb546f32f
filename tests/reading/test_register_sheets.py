"""A workbook whose several sheets are each a register of one kind is read as one register (blind
round 9, f07: collectives on sheet «Tap the», individuals on sheet «Ca nhan»; the second sheet was
skipped with a blue line «Bỏ qua trang «Ca nhan»» and TD05 showed «0 · Không đạt»). A sheet of
another kind is still skipped with its note; sheets that cannot be one list (another year, another
issuing body) are held, never merged. A person's combined «Chức vụ, đơn vị» column gives the unit
(f15: the column was not read and every person's unit was lost).

Each workbook is written here with openpyxl into ``tmp_path`` and read by :func:`kpi.ingest.prepare`
and stored by :func:`kpi.ingest.ingest_path` into the test's real DuckDB.
"""

from __future__ import annotations

import datetime as dt

from kpi.ingest import ingest_path, prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.awards import award_counts, award_rows
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

COLLECTIVES = [
    ["DANH SÁCH TẬP THỂ ĐƯỢC KHEN THƯỞNG NĂM 2024"],
    [],
    ["STT", "Tên tập thể", "Danh hiệu", "Số QĐ", "Ngày QĐ", "Năm thành tích"],
    [1, "Phòng Văn hóa và Thông tin", "Tập thể lao động xuất sắc", "20/QĐ-UBND", "27/12/2024", 2024],
    [2, "Phòng Kinh tế và Hạ tầng", "Bằng khen Chủ tịch UBND tỉnh", "90/QĐ-UBND", "21/01/2025", 2024],
]


def individuals(title: str = "DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2024", year: int = 2024, top=()) -> list[list]:
    return [
        *[[line] for line in top],
        [title],
        [],
        ["STT", "Họ và tên", "Chức vụ, đơn vị", "Danh hiệu", "Số QĐ", "Ngày QĐ", "Năm thành tích"],
        [
            1,
            "Ông Hoàng Văn Sơn",
            "Phó trưởng phòng, Phòng Nội vụ",
            "Chiến sĩ thi đua cấp tỉnh",
            "92/QĐ-UBND",
            "21/01/2025",
            year,
        ],
        [2, "Bà Kiều Thị Yến", "Công chức, Xã Dân Quyền", "CSTĐCS", "21/QĐ-UBND", "27/12/2024", year],
    ]


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read(con, cfg, path):
    return prepare(con, path.read_bytes(), path.name, ImportOptions(), cfg)


def test_collectives_and_individuals_on_two_sheets_are_one_register_counted_toward_the_target(con, cfg, tmp_path):
    path = write(
        tmp_path,
        "khen-2-trang.xlsx",
        xlsx(COLLECTIVES, sheet="Tap the", extra_sheets={"Ca nhan": {"rows": individuals()}}),
    )
    prep = read(con, cfg, path)
    assert prep.file_kind == "awards" and not prep.errors
    assert prep.awards[["sheet", "cell", "recipient"]].values.tolist() == [
        ["Tap the", "B4", "Phòng Văn hóa và Thông tin"],
        ["Tap the", "B5", "Phòng Kinh tế và Hạ tầng"],
        ["Ca nhan", "B4", "Ông Hoàng Văn Sơn"],
        ["Ca nhan", "B5", "Bà Kiều Thị Yến"],
    ]
    assert not [n for n in prep.notes if n.startswith("Bỏ qua trang")]
    assert (
        "Các trang «Tap the», «Ca nhan» đều là danh sách khen thưởng: đã đọc thành một danh sách (4 dòng); mỗi "
        "dòng và mỗi ghi chú nêu trang và ô của nó." in prep.notes
    )
    # each issue cites its own sheet and cell: the abbreviation is on «Ca nhan», D5
    [expanded] = [i for i in prep.issues if i.code == "abbreviation_expanded"]
    assert (expanded.sheet, expanded.cell) == ("Ca nhan", "D5")
    inferred = {what: value for what, value, _how in prep.inferred}
    assert inferred["Trang tính"] == "«Tap the», «Ca nhan»"
    assert inferred["Số dòng khen thưởng"] == "4"
    assert inferred["Năm thành tích"] == "2024"
    assert inferred["Tính vào chỉ tiêu năm 2024"] == "4"

    ingest_path(con, path, ACTOR, ImportOptions(), cfg)
    counts = award_counts(con, 2024)
    assert counts["TD05"] == 1  # the provincial emulation fighter of sheet 2 (blind: «0 · Không đạt»)
    assert counts["TD09"] == 1 and counts["TD08"] == 1 and counts["TD06"] == 1
    roll = award_rows(con, 2024).set_index("recipient")
    assert roll.loc["Ông Hoàng Văn Sơn", ["sheet", "cell", "organisation"]].tolist() == [
        "Ca nhan",
        "B4",
        "Phòng Nội vụ",
    ]
    assert roll.loc["Bà Kiều Thị Yến", "organisation"] == "Xã Dân Quyền"
    assert roll.loc["Phòng Kinh tế và Hạ tầng", "sheet"] == "Tap the"


def test_the_preview_says_each_rows_sheet_when_two_sheets_share_row_numbers(con, cfg, tmp_path):
    from kpi.reading.registers import register_preview

    path = write(
        tmp_path, "khen.xlsx", xlsx(COLLECTIVES, sheet="Tap the", extra_sheets={"Ca nhan": {"rows": individuals()}})
    )
    shown = register_preview(read(con, cfg, path).awards, "awards")
    assert shown.iloc[:, 0].tolist() == ["4 (Tap the)", "5 (Tap the)", "4 (Ca nhan)", "5 (Ca nhan)"]


def test_a_sheet_of_another_kind_is_still_skipped_with_its_note(con, cfg, tmp_path):
    registrations = [
        ["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"],
        [],
        ["STT", "Khối thi đua", "Cơ quan, đơn vị", "Ngày đăng ký", "Số văn bản đăng ký"],
        [1, "Khối các xã, thị trấn số 1", "Xã Hiền Quan", dt.datetime(2024, 2, 3), "12/ĐK-TĐ"],
    ]
    path = write(
        tmp_path, "khen-dk.xlsx", xlsx(COLLECTIVES, sheet="Tap the", extra_sheets={"DK": {"rows": registrations}})
    )
    prep = read(con, cfg, path)
    assert prep.file_kind == "awards" and set(prep.awards["sheet"]) == {"Tap the"}
    assert "Bỏ qua trang «DK» (đã dùng trang «Tap the»)." in prep.notes


def test_sheets_of_another_year_are_held_not_merged(con, cfg, tmp_path):
    other = individuals("DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2023", 2023)
    path = write(
        tmp_path, "khen-2-nam.xlsx", xlsx(COLLECTIVES, sheet="Tap the", extra_sheets={"Ca nhan": {"rows": other}})
    )
    prep = read(con, cfg, path)
    assert prep.refused
    [held] = [e for e in prep.errors if e.code == "registers_disagree"]
    assert held.message.startswith(
        "Các trang của tệp đều là danh sách cùng loại nhưng không thể là một danh sách: trang «Tap the» ghi năm "
        "2024; trang «Ca nhan» ghi năm 2023. Tệp chưa được lưu."
    )
    assert set(prep.awards["sheet"]) == {"Tap the"}  # the best sheet's rows shown, nothing merged


def test_sheets_of_another_issuing_body_are_held_not_merged(con, cfg, tmp_path):
    first = [["UBND HUYỆN TAM NÔNG"], ["PHÒNG NỘI VỤ"], *COLLECTIVES]
    second = individuals(top=["UBND HUYỆN TAM NÔNG", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"])
    path = write(tmp_path, "khen-2-noi.xlsx", xlsx(first, sheet="Tap the", extra_sheets={"Ca nhan": {"rows": second}}))
    prep = read(con, cfg, path)
    [held] = [e for e in prep.errors if e.code == "registers_disagree"]
    assert "trang «Tap the» ghi «UBND HUYỆN TAM NÔNG / PHÒNG NỘI VỤ»" in held.message
    assert "trang «Ca nhan» ghi «UBND HUYỆN TAM NÔNG / PHÒNG GIÁO DỤC VÀ ĐÀO TẠO»" in held.message


def test_registration_lists_of_two_blocks_on_two_sheets_are_one_list(con, cfg, tmp_path):
    def block(unit: str, day: int, number: str) -> list[list]:
        return [
            ["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"],
            [],
            ["STT", "Khối thi đua", "Cơ quan, đơn vị", "Ngày đăng ký", "Số văn bản đăng ký"],
            [1, "Khối các xã, thị trấn số 1", unit, dt.datetime(2024, 2, day), number],
        ]

    data = xlsx(
        block("Xã Hiền Quan", 3, "12/ĐK-TĐ"),
        sheet="Khoi 1",
        extra_sheets={"Khoi 2": {"rows": block("Xã Dị Nậu", 17, "16/ĐK-TĐ")}},
    )
    prep = read(con, cfg, write(tmp_path, "dk.xlsx", data))
    assert prep.file_kind == "registrations"
    assert prep.registrations[["sheet", "unit"]].values.tolist() == [
        ["Khoi 1", "Xã Hiền Quan"],
        ["Khoi 2", "Xã Dị Nậu"],
    ]
    # a unit on one sheet is not missing because the other sheet lacks it
    missing = [i.message for i in prep.issues if i.code == "units_missing"]
    assert missing and not any("Xã Hiền Quan" in m or "Xã Dị Nậu" in m for m in missing)


def test_a_combined_position_and_unit_column_gives_the_persons_unit(con, cfg, tmp_path):
    rows = individuals()
    rows[2][2] = "Chức vụ - Đơn vị công tác"
    rows.append(
        [3, "Tạ Minh Đức", "Giáo viên Trường TH Thọ Văn", "Chiến sĩ thi đua cơ sở", "21/QĐ-UBND", "27/12/2024", 2024]
    )
    path = write(tmp_path, "ca-nhan.xlsx", xlsx(rows, sheet="Ca nhan"))
    prep = read(con, cfg, path)
    assert prep.awards["unit"].tolist() == ["Phòng Nội vụ", "Xã Dân Quyền", "Giáo viên Trường TH Thọ Văn"]
    assert not [i for i in prep.issues if i.code == "columns_not_read"]
    ingest_path(con, path, ACTOR, ImportOptions(), cfg)
    roll = award_rows(con, 2024).set_index("recipient")
    assert roll.loc["Ông Hoàng Văn Sơn", "organisation"] == "Phòng Nội vụ"
    # a unit the plan does not know is kept whole: its body after the title, no position guessed beyond it
    assert roll.loc["Tạ Minh Đức", ["title", "organisation"]].tolist() == ["Giáo viên", "Trường TH Thọ Văn"]


def test_two_sheets_with_a_cell_listing_several_units_count_the_rows_and_the_awards(con, cfg, tmp_path):
    """The sheets' rows and the awards read from them, said apart: 4 rows on two sheets, the
    first collective's cell listing three units, so 6 awards (the note and the preview's line had
    said «6 dòng»)."""
    listed = [row[:] for row in COLLECTIVES]
    listed[3][1] = "Phòng Văn hóa và Thông tin; Phòng Tư pháp; Xã Tề Lễ"
    path = write(
        tmp_path, "khen-tach.xlsx", xlsx(listed, sheet="Tap the", extra_sheets={"Ca nhan": {"rows": individuals()}})
    )
    prep = read(con, cfg, path)
    assert prep.file_kind == "awards" and not prep.errors and len(prep.awards) == 6
    inferred = {what: value for what, value, _how in prep.inferred}
    assert inferred["Số dòng khen thưởng"] == "4 dòng · 6 lượt khen (1 ô ghi nhiều người/tập thể được tách)"
    assert any("đã đọc thành một danh sách (4 dòng)" in note for note in prep.notes), prep.notes
