"""The registers' preview on the upload page, with lists of our own in layouts unlike the samples
(black-box findings, December 2026): «Cấp khen» by the honour roll's rule, each indicator by the
plan's name, and a registration list's block headings that are never rows."""

from __future__ import annotations

import pytest

from kpi.reporting.attainment_report import attainment_report, report_records
from tests.support.apptest import XLSX, run
from tests.support.sheets import xlsx

pytestmark = pytest.mark.usefixtures("app_env", "server_machine")

BK_TINH, TTLDXS = "Bằng khen của Chủ tịch UBND tỉnh", "Tập thể lao động xuất sắc"


def _preview_tables(at) -> list:
    return [t.value.map(lambda v: v.replace("\\", "")) for t in at.table if "Dòng" in t.value.columns]


def test_an_award_list_without_a_level_column_gets_the_honour_rolls_level_in_the_preview(con):
    """A list with a title block of three lines, a merged «Quyết định» header over number and date
    and no «Cấp khen» column: the preview left «Cấp khen» empty on every row, while the honour roll
    and the annex said «Chủ tịch UBND tỉnh» (from the award's name); «Tính vào chỉ tiêu» wrote TD07
    where the plan's name says what it is."""
    rows = [
        ["ỦY BAN NHÂN DÂN HUYỆN TAM NÔNG"],
        ["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"],
        ["DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2024"],
        [],
        ["TT", "Họ và tên", "Đơn vị", "Hình thức khen thưởng", "Quyết định", None, "Năm thành tích"],
        [None, None, None, None, "Số", "Ngày", None],
        [1, "Lục Văn Hải", "Phòng Tư pháp", BK_TINH, "247/QĐ-UBND", "24/01/2025", 2024],
        [2, "Phòng Nội vụ", "Phòng Nội vụ", TTLDXS, "91/QĐ-UBND", "16/01/2025", 2024],
    ]
    data = xlsx(rows, merges=["E5:F5", "A5:A6", "B5:B6", "C5:C6", "D5:D6", "G5:G6"])
    at = run("views/upload.py")
    at.file_uploader(key="up_files").set_value([("kt-khong-cap-khen.xlsx", data, XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    [awards] = [t for t in _preview_tables(at) if "Cấp khen" in t.columns]
    by_row = awards.set_index("Dòng")
    assert by_row.loc["7", "Cấp khen"] == "Chủ tịch UBND tỉnh"
    # the province confers Tập thể lao động xuất sắc (data/award_levels.csv), as a main list that
    # writes the level says: the same for every list (black-box: «Không rõ» beside «Chủ tịch UBND tỉnh»)
    assert by_row.loc["8", "Cấp khen"] == "Chủ tịch UBND tỉnh"
    assert by_row.loc["7", "Tính vào chỉ tiêu"] == "Số cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen"


def test_an_award_list_of_another_district_waits_for_the_clerk_and_the_choice_lifts_it(con):
    """An award list headed «UBND HUYỆN CẨM KHÊ» was ready to save as the district's: the page
    holds it with the line and its cell, offers «Danh sách của», and the district chosen there
    makes it ready to save."""
    rows = [
        ["UBND HUYỆN CẨM KHÊ"],
        ["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"],
        ["DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2024"],
        [],
        ["TT", "Họ và tên", "Đơn vị", "Hình thức khen thưởng", "Số quyết định", "Năm thành tích"],
        [1, "Lục Văn Hải", "Phòng Tư pháp", BK_TINH, "247/QĐ-UBND", 2024],
    ]
    at = run("views/upload.py")
    at.file_uploader(key="up_files").set_value([("kt-cam-khe.xlsx", xlsx(rows), XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(str(w.value) for w in at.warning).replace("\\", "")
    assert "Chờ bạn quyết định" in " ".join(m.value for m in at.markdown)
    assert "[trang «Sheet1», ô A1] Tệp ghi «UBND HUYỆN CẨM KHÊ»: huyện Cẩm Khê không phải huyện Tam Nông" in shown
    assert "ô «Danh sách của»" in shown and "dòng lệnh" not in shown
    assert not [b for b in at.button if b.label == "Lưu vào cơ sở dữ liệu"]
    [owner] = [s for s in at.selectbox if s.label == "Danh sách của"]
    owner.set_value("UBND huyện Tam Nông").run()
    assert not at.exception
    assert "Sẵn sàng lưu" in " ".join(m.value for m in at.markdown)
    assert [b for b in at.button if b.label == "Lưu vào cơ sở dữ liệu"]


def test_the_backup_tab_says_what_the_originals_folder_is_in_vietnamese(con):
    """Black-box: the backup tab said «thư mục `raw`», a program word; it says what the folder
    holds, with its place on the server for the one who copies it."""
    at = run("views/admin.py")
    [said] = [m.value for m in at.markdown if "Sao lưu tạo một bản sao" in m.value]
    assert "thư mục `raw`" not in said and "thư mục raw" not in said
    assert "Bản sao này không gồm các tệp gốc đã tải lên: chúng nằm trong thư mục lưu tệp gốc, cạnh cơ" in said


def _registration_list(units, not_registered: set[str]) -> bytes:
    """A registration list unlike the sample: a title block of three lines, no block column but a
    heading row per block (numbered «I», «II» … as text, merged across the row), a «Tình trạng»
    column that says «Chưa đăng ký» for ``not_registered``."""
    import datetime as dt
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DK2024"
    ws.append(["ỦY BAN NHÂN DÂN HUYỆN TAM NÔNG"])
    ws.append(["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"])
    ws.append(["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024 (THAY THẾ DANH SÁCH ĐÃ GỬI)"])
    ws.append([])
    ws.append(["STT", "Tên cơ quan, đơn vị", "Ngày đăng ký", "Số văn bản", "Tình trạng"])
    blocks = list(dict.fromkeys(b for b in units["block"] if b))
    for i, block in enumerate(blocks):
        ws.append([["I", "II", "III", "IV", "V", "VI"][i], block])
        ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row, end_column=5)
        for n, unit in enumerate(units.loc[units["block"] == block, "unit"], start=1):
            if unit in not_registered:
                ws.append([n, unit, None, None, "Chưa đăng ký"])
            else:
                ws.append([n, unit, dt.datetime(2024, 2, 10), f"{n}/ĐK-TĐ", "Đã đăng ký"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_block_headings_of_a_replacing_registration_list_are_no_rows_and_the_summary_counts_units(loaded):
    """Black-box finding: a replacing registration list with block heading rows and 3 units
    «Chưa đăng ký» was previewed as «0 dòng của danh sách đang dùng không còn được tính, 5 dòng
    mới» above a table 30 → 27; the 5 «new rows» were the headings, also warned as units not in
    the catalogue («nhờ quản trị viên thêm») and «5 tên chưa khớp». Headings only set the block."""
    from kpi.storage.catalogue import load_catalogue

    units = load_catalogue(loaded, 2024).units
    gone = {"Xã Lam Sơn", "Phòng Y tế", "Xã Quang Húc"}
    at = run("views/upload.py")
    at.file_uploader(key="up_files").set_value([("dk-thay-the.xlsx", _registration_list(units, gone), XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = "\n".join(str(w.value) for w in [*at.warning, *at.info, *at.caption, *at.markdown]).replace("\\", "")
    assert "3 đơn vị không còn được tính là đã đăng ký (Phòng Y tế; Xã Lam Sơn; Xã Quang Húc)" in shown
    assert "không đơn vị nào mới đăng ký" in shown and "dòng mới" not in shown
    assert "không có trong danh mục" not in shown and "tên chưa khớp" not in shown
    [table] = [t for t in _preview_tables(at) if "Khối thi đua" in t.columns]
    assert len(table) == 30 and not table["Đơn vị"].str.startswith("Khối").any()
    by_unit = table.set_index("Đơn vị")
    assert by_unit.loc["Xã Quang Húc", "Khối thi đua"] == "Khối các xã, thị trấn số 2"
    save = [b for b in at.button if b.label == "Lưu vào cơ sở dữ liệu"]
    save[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    records = {r["key"]: r for r in report_records(attainment_report(loaded, 2024, None))}
    assert records["TD01"]["actual"] == pytest.approx(90.0)  # 27/30
    page = run("views/awards.py")
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Khối các xã, thị trấn số 2"] == "5/6" and sum(int(v.split("/")[0]) for v in metrics.values()) == 27


def test_a_merged_header_supplement_without_levels_reads_the_same_on_preview_and_honour_roll(loaded):
    """A supplementary list after the samples: a title block, a two-row merged header in another
    column order, no «Cấp khen» column, one row repeating the main list's Cao Minh Nam (written
    «Ông Cao Minh Nam», decision «Số 0498/QĐ-TTg»). Preview and honour roll give the same level;
    the roll marks the repeat «trùng» and names the main list's row that counted it."""
    rows = [
        ["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG HUYỆN TAM NÔNG"],
        ["DANH SÁCH KHEN THƯỞNG BỔ SUNG"],
        ["Thành tích năm 2024"],
        [],
        ["Quyết định", None, "Hình thức khen", "Người được khen", "Đơn vị", "Năm thành tích"],
        ["Số", "Ngày", None, None, None, None],
        [
            "Số 0498/QĐ-TTg",
            "18/04/2025",
            "Bằng khen của Thủ tướng Chính phủ",
            "Ông Cao Minh Nam",
            "Công an huyện",
            2024,
        ],
        ["247/QĐ-UBND", "24/01/2025", BK_TINH, "Bế Thị Mai", "Phòng Tư pháp", 2024],
    ]
    data = xlsx(rows, merges=["A5:B5", "C5:C6", "D5:D6", "E5:E6", "F5:F6"])
    at = run("views/upload.py")
    at.file_uploader(key="up_files").set_value([("kt-bo-sung-2.xlsx", data, XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    [preview] = [t for t in _preview_tables(at) if "Cấp khen" in t.columns]
    assert list(preview["Cấp khen"]) == ["Thủ tướng Chính phủ", "Chủ tịch UBND tỉnh"]
    [b for b in at.button if b.label == "Lưu vào cơ sở dữ liệu"][0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    page = run("views/awards.py")
    page.text_input(key="aw_query").set_value("cao minh nam").run()
    [roll] = [f.value for f in page.dataframe if "Tính vào" in f.value.columns]
    assert sorted(roll["Tính vào"]) == ["Số tập thể, cá nhân được Thủ tướng Chính phủ tặng Bằng khen", "trùng"]
    assert set(roll["Cấp khen"]) == {"Thủ tướng Chính phủ"}
    [said] = [c.value.replace("\\", "") for c in page.caption if c.value.startswith("**Dòng trùng:**")]
    assert "Ông Cao Minh Nam — Bằng khen của Thủ tướng Chính phủ (kt-bo-sung-2.xlsx, dòng 7)" in said
    assert "đã tính ở dòng 7 của khen-thuong-2024.xlsx" in said
