"""A report's identity from its title block (black-box round 7, findings 1, 7 and 8): its own
number and date, never those of a document it quotes; its sender block on either side, never
glued to the title; a block or title naming another district or province held for the clerk.

Each workbook is written here with openpyxl, in layouts the shared samples and the round's files
do not use (other offices, blocks on the right, merged cells, quoted references, another
province), and read by :func:`kpi.ingest.prepare` as an upload is.
"""

from __future__ import annotations

import openpyxl

from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions

TABLE = [
    ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện quý I/2024", "Ghi chú"],
    [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 520.4, None],
    [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, 160.2, None],
    [3, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94.5, 92.8, None],
]
NATION, MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
TITLE = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI QUÝ I NĂM 2024"


def read(con, cfg, tmp_path, top: dict[str, object], merges=(), below: dict[str, object] | None = None, **options):
    """Write ``top`` (the cells above the table; the table two rows under the last of them, and
    ``below`` by offset from the table's end), read it back as an upload, return the preview."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bieu"
    for ref, value in top.items():
        ws[ref] = value
    start = max(ws[ref].row for ref in top) + 2
    for i, row in enumerate(TABLE):
        for j, value in enumerate(row):
            ws.cell(start + i, 1 + j, value)
    for (offset, column), value in (below or {}).items():
        ws.cell(start + len(TABLE) + offset, column, value)
    for ref in merges:
        ws.merge_cells(ref)
    path = tmp_path / "bao-cao.xlsx"
    wb.save(path)
    return prepare(con, path.read_bytes(), path.name, ImportOptions(**options), cfg)


def line(prep, what: str) -> tuple[str, str]:
    found = [(value, how) for w, value, how in prep.inferred if w == what]
    assert len(found) == 1, prep.inferred
    return found[0]


def lines(prep, what: str) -> list[tuple[str, str]]:
    return [(value, how) for w, value, how in prep.inferred if w == what]


def codes(prep) -> list[tuple[str, str]]:
    return [(e.code, e.cell) for e in prep.errors]


# -- 7. another district or province is held for the clerk ----------------------------------------


def test_a_title_naming_another_district_is_held_with_what_where_and_what_to_do(con, cfg, tmp_path):
    top = {"A1": "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU QUÝ I NĂM 2024 HUYỆN YÊN LẬP"}
    prep = read(con, cfg, tmp_path, top, merges=["A1:F1"])
    assert prep.refused and prep.awaiting_decision and prep.needs("subject")
    [held] = prep.errors
    assert (held.code, held.cell) == ("other_place", "A1")
    assert "huyện Yên Lập không phải huyện Tam Nông, tỉnh Phú Thọ của kế hoạch" in held.message
    assert "chọn đúng đối tượng ở ô «Số liệu của (đối tượng)»" in held.message
    value, how = line(prep, "Số liệu của (đối tượng)")
    assert how == "chưa rõ: tệp ghi huyện Yên Lập (ô A1), không phải nơi của kế hoạch — hãy chọn"
    # the clerk who knows these are Tam Nông's figures says so, and the file is read
    chosen = read(con, cfg, tmp_path, top, merges=["A1:F1"], subject="UBND huyện Tam Nông")
    assert not chosen.refused and chosen.subject == "UBND huyện Tam Nông"


def test_another_provinces_office_in_mixed_case_on_the_left_is_held(con, cfg, tmp_path):
    top = {
        "A1": "UBND tỉnh Yên Bái",
        "A2": "Sở Tài chính",
        "A4": "Tình hình thực hiện các chỉ tiêu kinh tế - xã hội quý I năm 2024",
    }
    prep = read(con, cfg, tmp_path, top)
    assert codes(prep) == [("other_place", "A1")]
    assert "tỉnh Yên Bái không phải huyện Tam Nông, tỉnh Phú Thọ" in prep.errors[0].message


def test_the_same_district_name_in_another_province_is_held(con, cfg, tmp_path):
    top = {
        "A1": "UBND HUYỆN TAM NÔNG",
        "A2": "PHÒNG TÀI CHÍNH - KẾ HOẠCH",
        "A4": TITLE,
        "A5": "(Số liệu của huyện Tam Nông, tỉnh Đồng Tháp)",
    }
    prep = read(con, cfg, tmp_path, top, merges=["A4:F4", "A5:F5"])
    assert codes(prep) == [("other_place", "A5")]  # the title's second line, where it is written
    assert "tỉnh Đồng Tháp không phải" in prep.errors[0].message


def test_the_plans_own_places_in_capitals_beside_bodies_and_phrases_hold_nothing(con, cfg, tmp_path):
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
    prep = read(con, cfg, tmp_path, top, merges=["A4:F4", "A5:F5"])
    assert not prep.refused, [e.message for e in prep.errors]
    assert prep.sender == "Phòng Nội vụ" and prep.subject == "UBND huyện Tam Nông"
