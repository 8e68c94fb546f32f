"""What the upload preview says of registers written unlike the samples (exploration, December 2026).

Lists written for this test (openpyxl) in layouts the shared samples do not have: a registration
list grouped under block headings with its dates as text in several forms, a supplementary list of
two units ticked «x», an award list whose supplement holds a row of another achievement year. Each
test is one thing the preview said wrong:

1. a registration date written «ngày 12 tháng 2 năm 2024» inside the table was read as the list's
   own date, and 21 units were «registered after the list's date»;
2. a two-unit supplementary registration list warned that the 28 units it does not name are «not
   in the list — counted as not registered», all 28 registered in the list in use;
3. a row of 2023 in a 2024 award list read «Tính vào chỉ tiêu: Số cá nhân đạt danh hiệu Chiến sĩ
   thi đua cấp huyện».
"""

from __future__ import annotations

import datetime as dt

from kpi.ingest import ingest, prepare
from kpi.preview import register_effect
from kpi.reading.registers import register_preview
from kpi.reading.report_sheets import ImportOptions
from tests.support.samples import ACTOR, load
from tests.support.sheets import xlsx

BLOCKS = {
    "I. KHỐI CÁC XÃ, THỊ TRẤN SỐ 1": ["Thị trấn Hưng Hóa", "Xã Dân Quyền", "Xã Hương Nộn", "Xã Dị Nậu"],
    "II. KHỐI NỘI CHÍNH": ["Phòng Nội vụ", "Phòng Tư pháp", "Thanh tra huyện"],
}
#: The same day written as offices write dates as text.
FORMS = [
    "{d:%d/%m/%Y}",
    "{d.day}-{d.month}-{d.year}",
    "ngày {d.day} tháng {d.month} năm {d.year}",
    "{d:%d.%m.%Y}",
]


def by_blocks(title: str, dates: list[dt.date], footer: list[list] = ()) -> bytes:
    """A registration list grouped under block headings, the unit first, dates as text (``dates``
    in the units' order, each in the next of :data:`FORMS`), the document number last."""
    rows, n = [[title], [], ["Tên cơ quan, đơn vị", "Ngày đăng ký", "Số văn bản"]], 0
    for heading, units in BLOCKS.items():
        rows.append([heading])
        for unit in units:
            rows.append([unit, FORMS[n % len(FORMS)].format(d=dates[n]), f"{n + 1}/ĐK-TĐ"])
            n += 1
    cells = [f"B{r}" for r, row in enumerate(rows, start=1) if len(row) == 3 and r > 3]
    return xlsx([*rows, [], *footer], sheet="DK", text_cells=cells)


def test_a_registration_date_in_the_table_is_not_the_lists_own_date(con, cfg):
    dates = [dt.date(2024, 2, d) for d in (5, 20, 12, 25, 26, 27, 28)]  # «ngày 12 tháng 2 năm 2024» third
    prep = prepare(con, by_blocks("DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024", dates), "dk.xlsx", ImportOptions(), cfg)
    assert dict((w, v) for w, v, _h in prep.inferred)["Ngày văn bản của danh sách"] == "(không ghi)"
    assert not [i for i in prep.issues if i.code == "registered_after_list"]
    assert list(prep.registrations["registered_on"]) == dates  # every form read as the same kind of date
    # a list dated below its table still has its date, and a unit registered after it is still said
    signed = by_blocks("DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024", dates, [["", "Tam Nông, ngày 22 tháng 02 năm 2024"]])
    prep = prepare(con, signed, "dk-ky.xlsx", ImportOptions(), cfg)
    assert dict((w, v) for w, v, _h in prep.inferred)["Ngày văn bản của danh sách"] == "22/02/2024"
    [late] = [i for i in prep.issues if i.code == "registered_after_list"]
    assert late.message.startswith("4 đơn vị có ngày đăng ký sau ngày của danh sách (22/02/2024)")


def test_a_supplementary_registration_list_warns_only_of_units_no_list_names(loaded, cfg):
    con = loaded  # the samples: all 30 units registered
    ticked = xlsx(
        [
            ["DANH SÁCH ĐƠN VỊ ĐĂNG KÝ THI ĐUA BỔ SUNG NĂM 2024"],
            [],
            ["STT", "Khối", "Đơn vị", "Đăng ký (x)"],
            [1, "Khối văn hóa - xã hội", "Phòng Y tế", "x"],
            [2, "Khối các xã, thị trấn số 1", "Xã Lam Sơn", "x"],
            [],
            ["", "", "Tam Nông, ngày 15 tháng 4 năm 2024"],
        ]
    )
    prep = prepare(con, ticked, "dk-bo-sung.xlsx", ImportOptions(), cfg)
    assert prep.part == "bổ sung" and register_effect(prep).level == "info"
    assert not [i for i in prep.issues if i.code == "units_missing"], [i.message for i in prep.issues]
    # the list in use replaced by one without two units: the supplement's two are no longer missing,
    # the third unit no list names still is
    short = [u for u in con.execute("SELECT unit FROM registrations WHERE unit <> ''").fetchdf()["unit"]]
    short = [u for u in short if u not in ("Phòng Y tế", "Xã Lam Sơn", "Xã Vạn Xuân")]
    main = xlsx(
        [["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024 (THAY THẾ)"], [], ["Đơn vị", "Đăng ký"], *[[u, "x"] for u in short]]
    )
    ingest(con, main, "dk-thay.xlsx", ACTOR, ImportOptions(), cfg)
    prep = prepare(con, ticked, "dk-bo-sung.xlsx", ImportOptions(), cfg)
    [missing] = [i for i in prep.issues if i.code == "units_missing"]
    assert missing.message.startswith("1 đơn vị phải đăng ký thi đua nhưng không có trong danh sách")
    assert "«Xã Vạn Xuân»" in missing.message
    assert register_effect(prep).table.values.tolist() == [
        ["Tỷ lệ cơ quan, đơn vị đăng ký thi đua", "90,0 % (27/30)", "96,7 % (29/30)"]
    ]


def test_an_award_of_another_year_is_not_said_to_count_toward_this_years_target(con, cfg):
    load(con, cfg, "awards")
    second = xlsx(
        [
            ["DANH SÁCH KHEN THƯỞNG BỔ SUNG - ĐỢT 2 NĂM 2024"],
            [],
            ["Năm thành tích", "Quyết định", "Đơn vị", "Họ tên / Tập thể", "Hình thức khen thưởng", "Số TT"],
            [2024, "QĐ số 90/QĐ-UBND ngày 16/01/2025", "Thanh tra huyện", "Vi Thị Hằng", "Chiến sĩ thi đua cơ sở", 1],
            [2023, "QĐ số 12/QĐ-UBND ngày 10/01/2024", "Xã Vạn Xuân", "Bùi Văn Khải", "Chiến sĩ thi đua cơ sở", 2],
        ]
    )
    prep = prepare(con, second, "kt-dot-2.xlsx", ImportOptions(), cfg)
    shown = register_preview(prep.awards, "awards", {"TD09": "Số cá nhân đạt danh hiệu CSTĐ cấp huyện"}, prep.year)
    assert list(shown["Tính vào chỉ tiêu"]) == [
        "Số cá nhân đạt danh hiệu CSTĐ cấp huyện",
        "không tính vào năm 2024 (thành tích năm 2023)",
    ]
    assert register_effect(prep).table.values.tolist() == [
        ["Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện", "52", "53"]  # the 2023 row adds nothing
    ]


def test_the_award_preview_writes_out_an_abbreviated_award_as_the_honour_roll_names_it(con, cfg):
    """Black-box round 5: the preview showed «GK» and «LĐTT» as written while the Thi đua page
    showed «Giấy khen (GK)»; an award written whole is left as it is (no «→» to itself)."""
    from kpi.storage.awards import roll_naming
    from kpi.storage.catalogue import load_catalogue

    rows = [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        [],
        ["STT", "Họ và tên", "Đơn vị", "Hình thức", "Quyết định"],
        [1, "Lê Văn An", "Xã Tề Lễ", "GK", "5/QĐ-UBND ngày 10/01/2025"],
        [2, "Lê Thị Bình", "Xã Tề Lễ", "Giấy khen của Chủ tịch UBND huyện", "5/QĐ-UBND ngày 10/01/2025"],
        [3, "Hà Thu", "Xã Tề Lễ", "CSTĐCS", "5/QĐ-UBND ngày 10/01/2025"],
        [4, "Hà Hoa", "Xã Tề Lễ", "LĐTT", "5/QĐ-UBND ngày 10/01/2025"],
    ]
    prep = prepare(con, xlsx(rows), "gk.xlsx", ImportOptions(accept_unmatched=True), cfg)
    names = {i.key: i.name for i in load_catalogue(con, 2024).indicators}
    naming = roll_naming(con, prep.awards)  # the honour roll's names, as the upload page asks them
    shown = register_preview(prep.awards, "awards", names, 2024, naming)["Hình thức khen"].tolist()
    assert shown == [
        "GK → Giấy khen",
        "Giấy khen của Chủ tịch UBND huyện",
        "CSTĐCS → Chiến sĩ thi đua cơ sở",
        "LĐTT → Lao động tiên tiến",
    ]
