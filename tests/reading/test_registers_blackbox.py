"""Registers written by a second black-box tester (issue 13): a running book over several years, hidden
rows, an annex list whose award is named only in its title, awards grouped under decision heading
rows. Files: ``tests/data/blackbox13/`` (copies of the tester's ``a1``–``a3``, ``r2``), counts worked
out by hand from the files' rows."""

from __future__ import annotations

import pytest

from kpi.ingest import commit, prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report, report_records
from tests.support.paths import TESTS
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

FILES = TESTS / "data" / "blackbox13"
AWARD_KEYS = ("TD02", "TD03", "TD04", "TD05", "TD06", "TD07", "TD08", "TD09")


def _bytes(name: str) -> bytes:
    return (FILES / name).read_bytes()


def _stored(con, cfg, data: bytes, name: str, **options):
    prep = prepare(con, data, name, ImportOptions(**options), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    commit(con, prep, data, ACTOR, cfg)
    got = {r["key"]: r["actual"] for r in report_records(attainment_report(con, 2024))}
    return prep, {k: got[k] for k in AWARD_KEYS if got[k]}


# -- 1. a per-row year column wins over the title; a span of years gives no single year -----------


@pytest.mark.parametrize("name", ["a3-so-nhieu-nam.xlsx", "a3-variant-namthanhtich.xlsx"])
def test_a_multi_year_register_counts_each_row_toward_its_own_year(con, cfg, name):
    """ "SỔ THEO DÕI KHEN THƯỞNG GIAI ĐOẠN 2022 - 2024" with a "Năm" (or "Năm thành tích") column:
    rows 9–13 are of 2024 (CSTĐ ×2, TTLĐXS, BK tỉnh collective and individual; row 14, a CSTĐ of
    2024, is hidden; row 15 a Giấy khen). Before the fix the title's first year (2022) was the
    register's: stored for 2022, nothing shown for 2024."""
    prep, counts = _stored(con, cfg, _bytes(name), name)
    assert counts == {"TD06": 1, "TD07": 1, "TD08": 1, "TD09": 2}
    assert prep.year == 2024
    inferred = {label: (value, source) for label, value, source in prep.inferred}
    assert inferred["Năm thành tích"][0] == "2024" and "cột «Năm" in inferred["Năm thành tích"][1]
    [other] = [i for i in prep.issues if i.code == "other_year"]
    assert "4 dòng có năm thành tích khác 2024" in other.message and "năm 2023: 3 dòng" in other.message


@pytest.mark.parametrize("title", ["GIAI ĐOẠN 2022 - 2024", "2022-2024", "TỪ NĂM 2022 ĐẾN NĂM 2024"])
def test_a_title_naming_a_span_of_years_gives_no_year(con, cfg, title):
    rows = [[f"DANH SÁCH KHEN THƯỞNG {title}"], [], ["STT", "Họ và tên", "Loại", "Danh hiệu", "Số QĐ"]]
    rows += [[1, "Lê Văn An", "CN", "Chiến sĩ thi đua cơ sở", "1021/QĐ-UBND"]]
    prep = prepare(con, xlsx(rows), "span.xlsx", ImportOptions(), cfg)
    [held] = [i for i in prep.errors if i.code == "no_achievement_year"]
    assert "giai đoạn nhiều năm" in held.message and prep.needs("year")


# -- 2. hidden rows of a register are said by cell, never dropped silently -------------------------


def test_a_hidden_award_row_is_said_by_cell_and_not_counted(con, cfg):
    # row 14 of a3 (Bà Ngô Thị Hạnh, CSTĐ cơ sở of 2024) is hidden: TD09 stays 2, and the clerk is told
    prep, counts = _stored(con, cfg, _bytes("a3-so-nhieu-nam.xlsx"), "a3.xlsx")
    assert counts["TD09"] == 2
    [hidden] = [i for i in prep.issues if i.code == "hidden_register_rows"]
    assert hidden.cell == "C14" and "dòng 14 (ô C14 «Bà Ngô Thị Hạnh»)" in hidden.message
    assert "đang ẩn — không tính" in hidden.message and "hãy hiện dòng" in hidden.message


def test_a_unit_only_in_a_hidden_row_is_said_to_be_hidden_not_missing(con, cfg):
    # r2: Phòng Y tế is listed (ticked) in row 33, which is hidden; 28 of 30 units count (Xã Lam Sơn
    # wrote "Chưa đăng ký"; Phòng Y tế is hidden)
    data = _bytes("r2-dang-ky-dau-x.ods")
    prep = prepare(con, data, "r2.ods", ImportOptions(), cfg)
    assert not prep.refused
    [hidden] = [i for i in prep.issues if i.code == "hidden_register_rows"]
    assert "dòng 33 (ô B33 «Phòng Y tế»)" in hidden.message
    [missing] = [i for i in prep.issues if i.code == "units_missing"]
    assert "không có trong danh sách" not in missing.message
    assert (
        "chỉ có ở dòng đang ẩn" in missing.message and "«Phòng Y tế»" in missing.message and "ô B33" in missing.message
    )
    commit(con, prep, data, ACTOR, cfg)
    got = {r["key"]: r["actual"] for r in report_records(attainment_report(con, 2024))}
    assert got["TD01"] == pytest.approx(28 / 30 * 100, abs=0.01)


# -- 4. a decision heading row names its award inside, and its decision applies to the rows below --


def test_decision_heading_rows_give_the_award_named_inside_and_their_decision(con, cfg):
    """a2: "Quyết định số 512/QĐ-TTg … tặng Cờ thi đua của Chính phủ" above its recipients, five such
    headings. Before the fix each whole heading was taken as the award's name: 8 rows held, 4 aliases
    needed, and the duplicate of row 9 was said under "QĐ ?"."""
    prep, counts = _stored(con, cfg, _bytes("a2-theo-quyet-dinh.xlsx"), "a2.xlsx")
    assert counts == {"TD02": 1, "TD03": 1, "TD08": 3, "TD09": 3}
    awards = prep.awards.set_index("row_number")
    assert awards.loc[5, "award_written"] == "Cờ thi đua của Chính phủ"
    assert awards.loc[5, "decision_number"] == "512/QĐ-TTg"
    assert awards.loc[18, "award_written"] == "Lao động tiên tiến"  # honour roll: understood, no target
    assert awards.loc[18, "key"] == ""
    [dup] = [i for i in prep.issues if i.code == "duplicate_award"]
    assert "QĐ 1520/QĐ-UBND" in dup.message and "QĐ ?" not in dup.message
    assert not any(i.code in ("unmatched_held", "matched_by_similarity") for i in prep.issues)


# -- 3. an annex list whose award is named only in its title ---------------------------------------


@pytest.mark.parametrize("kind", [None, "awards"])
def test_an_annex_list_takes_the_one_award_its_title_names(con, cfg, kind):
    """a1: "DANH SÁCH Tập thể, cá nhân được tặng Bằng khen của Chủ tịch UBND tỉnh … (Kèm theo Quyết
    định số 247/QĐ-UBND ngày 24 tháng 01 năm 2025 …)", sections I. TẬP THỂ (3) / II. CÁ NHÂN (5), no
    award column. Before the fix: refused as a report ("Không tìm thấy chỉ tiêu nào…"), even with
    --kind awards."""
    prep, counts = _stored(con, cfg, _bytes("a1-kem-theo-qd-247.xlsx"), "a1.xlsx", kind=kind)
    assert counts == {"TD06": 3, "TD07": 5}
    assert set(prep.awards["decision_number"]) == {"247/QĐ-UBND"}
    assert {d.isoformat() for d in prep.awards["decision_date"]} == {"2025-01-24"}
    [said] = [i for i in prep.issues if i.code == "award_from_title"]
    assert said.cell == "A5" and "«Bằng khen của Chủ tịch UBND tỉnh»" in said.message


@pytest.mark.parametrize("kind", [None, "awards"])
def test_an_award_list_without_an_award_anywhere_says_the_column_is_missing(con, cfg, kind):
    import io

    import openpyxl

    wb = openpyxl.load_workbook(FILES / "a1-kem-theo-qd-247.xlsx")
    wb.active["A5"] = "Tập thể, cá nhân đã có thành tích xuất sắc"  # the title names no award now
    out = io.BytesIO()
    wb.save(out)
    prep = prepare(con, out.getvalue(), "a1-none.xlsx", ImportOptions(kind=kind), cfg)
    assert [i.code for i in prep.errors] == ["award_column_missing"]
    [missing] = prep.errors
    assert missing.sheet == "DS kem QD 247" and missing.cell == "B9"
    assert (
        "dòng tiêu đề cột 9" in missing.message
        and "Hãy thêm cột «Danh hiệu / Hình thức khen thưởng»" in missing.message
    )
    assert "chỉ tiêu" not in missing.message


def test_a_list_held_for_one_recipients_kind_does_not_say_more_than_a_fifth(con, cfg):
    """Black-box (December 2026): one row in five whose recipient's kind nothing tells held the list
    — rightly, such a row is always asked — but the hold said «1 dòng chưa hiểu được (quá 1/5 số
    dòng)»: 1 of 5 is not more than a fifth. The words now say why it is held."""
    rows = [
        ["DANH SÁCH KHEN THƯỞNG BỔ SUNG THÀNH TÍCH NĂM 2024"],
        [],
        ["STT", "Họ và tên", "Đơn vị", "Hình thức khen thưởng", "Số QĐ", "Ngày QĐ", "Năm thành tích"],
        [1, "nguyễn  văn an", "Xã Dân Quyền", "Bằng khen của Chủ tịch UBND tỉnh", "301/QĐ-UBND", "20/01/2025", 2024],
        [2, "Ông Hoàng Văn Em", "Xã Tề Lễ", "Chiến sĩ thi đua cơ sở", "15/QĐ-UBND", "05/01/2025", 2024],
        [3, "Bà Đỗ Thị Giang", "Phòng Y tế", "Bằng khen của Chủ tịch UBND tỉnh", "350/QĐ-UBND", "10/02/2025", 2024],
        [4, "Ông Vũ Văn Hải", "Xã Vạn Xuân", "Chiến sĩ thi đua cơ sở", "20/QĐ-UBND", "15/01/2025", 2024],
        [5, "Bà Lê Thị Hoa", "Xã Hiền Quan", "Chiến sĩ thi đua cơ sở", "21/QĐ-UBND", "15/01/2025", 2024],
    ]
    prep = prepare(con, xlsx(rows), "bo-sung.xlsx", cfg=cfg)
    [held] = [i for i in prep.issues if i.code == "unmatched_held"]
    assert "quá 1/5" not in held.message
    assert "1 dòng chưa hiểu được, trong đó có người/tập thể chưa rõ là tập thể hay cá nhân" in held.message
    assert "B4" in held.message and "nguyễn" in held.message


def test_a_registration_dated_after_its_list_is_said_with_its_row(con, cfg):
    """Black-box (December 2026): a list signed 15/01/2024 whose rows carry registrations up to
    31/12/2024 was counted without a word. A list cannot hold a registration made after its own
    date: the rows are counted as written and named, by row and date."""
    rows = [
        ["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG HUYỆN"],
        ["TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM 2024"],
        ["Tam Nông, ngày 15 tháng 01 năm 2024"],
        [],
        ["Ghi chú", "Đã đăng ký", "Ngày đăng ký", "Tên cơ quan, đơn vị", "STT"],
        [None, "x", "10/01/2024", "Phòng Nội vụ", 1],
        [None, "x", "31/12/2024", "Phòng Tư pháp", 2],
        [None, "x", "12/01/2024", "Công an huyện", 3],
        [None, "x", "2024-02-17", "Xã Dị Nậu", 4],
    ]
    prep = prepare(con, xlsx(rows), "dang-ky.xlsx", cfg=cfg)
    [late] = [i for i in prep.issues if i.code == "registered_after_list"]
    assert late.severity == "warning" and "2 đơn vị có ngày đăng ký sau ngày của danh sách (15/01/2024)" in late.message
    assert "«Phòng Tư pháp» (dòng 7: ngày 31/12/2024)" in late.message
    assert "«Xã Dị Nậu» (dòng 9: ngày 17/02/2024)" in late.message and "Nội vụ" not in late.message


@pytest.mark.parametrize(
    ("above", "title", "year"),
    [
        (  # the council's name and the place-and-date line are not the title
            [
                "UBND HUYỆN TAM NÔNG",
                "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
                "TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM 2024",
                "Tam Nông, ngày 15 tháng 01 năm 2024",
            ],
            "TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM 2024",
            2024,
        ),
        (  # a title without a year: the year is still read from the lines above, as before
            [
                "PHÒNG NỘI VỤ",
                "Kính gửi: Hội đồng Thi đua",
                "DANH SÁCH ĐƠN VỊ ĐĂNG KÝ THI ĐUA",
                "Ngày 20 tháng 01 năm 2024",
            ],
            "DANH SÁCH ĐƠN VỊ ĐĂNG KÝ THI ĐUA",
            2024,
        ),
    ],
)
def test_a_registers_title_leaves_out_the_body_the_labels_and_the_date_line(con, cfg, above, title, year):
    """Black-box (December 2026): a registration list's «Tiêu đề» was every line above its table
    joined, the council's name and «Tam Nông, ngày 15 tháng 01 năm 2024» included."""
    rows = [[line] for line in above] + [
        [],
        ["STT", "Tên cơ quan, đơn vị", "Ngày đăng ký"],
        [1, "Phòng Nội vụ", "10/01/2024"],
        [2, "Công an huyện", "12/01/2024"],
    ]
    prep = prepare(con, xlsx(rows), "dang-ky.xlsx", cfg=cfg)
    assert prep.file_kind == "registrations"
    assert (prep.title, prep.year) == (title, year)


def test_a_position_and_unit_column_gives_each_award_its_unit_and_says_how(con, cfg):
    """Black-box round 3 (December 2026): a supplement's «Chức vụ, đơn vị công tác» column was not
    read at all — four awards stored without their unit, «Sẵn sàng lưu», not a word. The column is
    the unit's now; a unit named at the end of the cell («Chủ tịch UBND Xã Tề Lễ», «Kế toán, Xã Lam
    Sơn») is the plan's unit, each said by its cell; a school named like a place is not a commune;
    a column left unread is named."""
    rows = [
        ["DANH SÁCH KHEN THƯỞNG BỔ SUNG NĂM 2024"],
        [],
        [
            "Số QĐ",
            "Hình thức khen thưởng",
            "Họ và tên / Tên tập thể",
            "Chức vụ, đơn vị công tác",
            "Số điện thoại",
            "STT",
        ],
        ["1999/QĐ-UBND", "Chiến sĩ thi đua cơ sở", "Lê Thị Thu", "Kế toán, Xã Lam Sơn", "", 1],
        ["1999/QĐ-UBND", "Chiến sĩ thi đua cơ sở", "Nguyễn Văn Hải", "Chủ tịch UBND Xã Tề Lễ", "", 2],
        ["1999/QĐ-UBND", "Chiến sĩ thi đua cơ sở", "Đỗ Thị Hằng", "Phòng Tư pháp", "", 3],
        ["1999/QĐ-UBND", "Chiến sĩ thi đua cơ sở", "Vũ Văn Toàn", "Giáo viên, Trường THCS Hưng Hoá", "0912 345 678", 4],
    ]
    prep = prepare(con, xlsx(rows), "bo-sung-chuc-vu.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    units = dict(zip(prep.awards["recipient"], prep.awards["unit"], strict=True))
    assert units == {
        "Lê Thị Thu": "Xã Lam Sơn",
        "Nguyễn Văn Hải": "Xã Tề Lễ",
        "Đỗ Thị Hằng": "Phòng Tư pháp",
        "Vũ Văn Toàn": "Giáo viên, Trường THCS Hưng Hoá",  # not guessed: kept as written, asked
    }
    said = " ".join(i.text() for i in prep.issues)
    assert "D4 «Kế toán, Xã Lam Sơn» → Xã Lam Sơn" in said and "D5 «Chủ tịch UBND Xã Tề Lễ» → Xã Tề Lễ" in said
    assert "«Giáo viên, Trường THCS Hưng Hoá»" in said  # an unknown unit, said as before
    assert "các cột không dùng: «Số điện thoại» (E3)" in said


def test_a_unit_said_not_registered_is_placed_by_the_cell_that_says_so_and_keeps_its_block(con, cfg):
    """Black-box (December 2026), a list with its columns in another order (date, document, unit,
    block, number, status): the warning said «ô C32: «Chưa đăng ký»» — C32 holds the unit, the
    words are in F32 — and the two units said «Chưa» had no «Khối thi đua» in the preview."""
    rows = [
        ["UBND HUYỆN TAM NÔNG"],
        ["TỔNG HỢP ĐĂNG KÝ THI ĐUA CỦA CÁC CƠ QUAN, ĐƠN VỊ NĂM 2024"],
        [],
        ["Ngày đăng ký", "Số văn bản đăng ký", "Tên cơ quan, đơn vị", "Thuộc khối", "TT", "Tình trạng"],
        ["05/03/2024", "28/ĐK-TĐ", "Xã Dân Quyền", "Khối các xã, thị trấn số 1", 1, "Đã đăng ký"],
        ["24/03/2024", "31/ĐK-TĐ", "Phòng Nội vụ", "Khối nội chính", 2, "Đã đăng ký"],
        [None, None, "Phòng Tư pháp", "Khối nội chính", 3, "Chưa đăng ký"],
    ]
    prep = prepare(con, xlsx(rows), "dang-ky-dao-cot.xlsx", ImportOptions(), cfg)
    [said] = [i.text() for i in prep.issues if i.code == "not_registered"]
    assert "«Phòng Tư pháp» (ô F7: «Chưa đăng ký»)" in said
    table = prep.registrations.set_index("unit_written")
    assert table.at["Phòng Tư pháp", "block"] == table.at["Phòng Nội vụ", "block"] != ""


def test_a_registration_after_the_latest_reported_quarter_is_said_beside_the_years_share(loaded, cfg):
    """Black-box (December 2026): the preview of a registration list said the share would be 28/30,
    then the overview, at Quý III, said 27/30 — one unit registered on 15/10/2024. The preview says
    which units the pages judging Quý III (the latest with reports) do not count yet."""
    rows = [
        ["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"],
        [],
        ["TT", "Đơn vị", "Ngày đăng ký"],
        [1, "Xã Dân Quyền", "03/02/2024"],
        [2, "Xã Lam Sơn", "15/10/2024"],
    ]
    prep = prepare(loaded, xlsx(rows), "dang-ky-muon.xlsx", ImportOptions(register_as="supplement"), cfg)
    [said] = [i.text() for i in prep.issues if i.code == "registered_after_latest"]
    assert "1 đơn vị đăng ký sau ngày 30/09/2024 (hết Quý III/2024" in said and "Xã Lam Sơn (15/10/2024)" in said
    assert "Xã Dân Quyền" not in said


def test_a_persons_name_under_a_collectives_award_is_asked_not_counted(con, cfg):
    """Black-box (December 2026): «LĐXS» on «Ma Văn Sơn» was read as «Tập thể lao động xuất sắc»
    (the only close award) and the person was counted as a collective toward TD08, with only a
    «kiểm tra». When the award alone tells the kind and the name says the other, the row is asked."""
    rows = [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        [],
        ["STT", "Họ và tên / Tập thể", "Đơn vị", "Hình thức", "Quyết định"],
        [1, "Ma Văn Sơn", "Phòng Nội vụ", "LĐXS", "90/QĐ-UBND ngày 16/01/2025"],
        [2, "Phòng Tư pháp", "Phòng Tư pháp", "TTLĐXS", "91/QĐ-UBND ngày 16/01/2025"],
        [3, "Lê Thị Hoa", "Xã Tề Lễ", "CSTĐCS", "90/QĐ-UBND ngày 16/01/2025"],
    ]
    prep = prepare(con, xlsx(rows), "ldxs.xlsx", ImportOptions(), cfg)
    said = " ".join(i.text() for i in prep.issues)
    assert "Dòng 4 («Ma Văn Sơn»): tên là của cá nhân, nhưng «Tập thể lao động xuất sắc» chỉ trao cho tập thể" in said
    assert prep.awaiting_decision and "không rõ «Ma Văn Sơn»" in said
    kinds = dict(zip(prep.awards["recipient"], prep.awards["recipient_kind"], strict=True))
    assert kinds == {"Ma Văn Sơn": "", "Phòng Tư pháp": "tập thể", "Lê Thị Hoa": "cá nhân"}


def test_a_kind_column_after_the_recipients_is_read_as_the_kind(con, cfg):
    """Black-box (December 2026): «Họ tên / Tập thể» then «Đối tượng» (Tập thể / Cá nhân): the
    second column was left unread and «Nhân dân và cán bộ thôn Đồng Lạc», written «Tập thể», was
    held with «hãy ghi cột «Tập thể/Cá nhân»» — a column the file has."""
    rows = [
        ["DANH SÁCH KHEN THƯỞNG BỔ SUNG THÀNH TÍCH NĂM 2024"],
        [],
        ["Số QĐ", "Hình thức", "Họ tên / Tập thể", "Đối tượng", "Đơn vị công tác", "Năm TT"],
        [
            "260/QĐ-UBND",
            "Bằng khen của Chủ tịch UBND tỉnh",
            "Nhân dân và cán bộ thôn Đồng Lạc",
            "Tập thể",
            "Xã Hương Nộn",
            2024,
        ],
        ["260/QĐ-UBND", "Bằng khen của Chủ tịch UBND tỉnh", "Bùi Thị Khối", "Cá nhân", "Xã Hương Nộn", 2024],
        ["261/QĐ-UBND", "Tập thể lao động xuất sắc", "Trường Mầm non Hưng Hóa", "Tập thể", "Thị trấn Hưng Hóa", 2024],
    ]
    prep = prepare(con, xlsx(rows), "doi-tuong.xlsx", ImportOptions(), cfg)
    assert not prep.awaiting_decision and not prep.refused, [i.text() for i in prep.errors]
    kinds = dict(zip(prep.awards["recipient"], prep.awards["recipient_kind"], strict=True))
    assert kinds == {
        "Nhân dân và cán bộ thôn Đồng Lạc": "tập thể",
        "Bùi Thị Khối": "cá nhân",
        "Trường Mầm non Hưng Hóa": "tập thể",
    }
    assert dict(zip(prep.awards["recipient"], prep.awards["key"], strict=True))["Bùi Thị Khối"] == "TD07"
