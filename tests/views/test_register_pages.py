"""The registers' preview on the upload page, with lists of our own in layouts unlike the samples
(black-box findings, December 2026): «Cấp khen» by the honour roll's rule, each indicator by the
plan's name, and a registration list's block headings that are never rows."""

from __future__ import annotations

import pytest

from tests.support.apptest import XLSX, run
from tests.support.sheets import xlsx

pytestmark = pytest.mark.usefixtures("app_env", "server_machine")

BK_TINH, TTLDXS = "Bằng khen của Chủ tịch UBND tỉnh", "Tập thể lao động xuất sắc"


def _preview_tables(at) -> list:
    return [t.value.map(lambda v: v.replace("\\", "")) for t in at.table if "Dòng" in t.value.columns]


def test_an_award_list_without_a_level_column_gets_the_honour_rolls_level_in_the_preview(con):
    """A list with a title block of three lines, a merged «Quyết định» header over number and date
    and no «Cấp khen» column: the preview left «Cấp khen» empty on every row, while the honour roll
    and the annex said «Chủ tịch UBND tỉnh» (from the award's name) or «Không rõ (danh sách không
    ghi)»; «Tính vào chỉ tiêu» wrote TD07 where the plan's name says what it is."""
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
    assert by_row.loc["8", "Cấp khen"] == "Không rõ (danh sách không ghi)"
    assert by_row.loc["7", "Tính vào chỉ tiêu"] == "Số cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen"


def test_the_backup_tab_says_what_the_originals_folder_is_in_vietnamese(con):
    """Black-box: the backup tab said «thư mục `raw`», a program word; it says what the folder
    holds, with its place on the server for the one who copies it."""
    at = run("views/admin.py")
    [said] = [m.value for m in at.markdown if "Sao lưu tạo một bản sao" in m.value]
    assert "thư mục `raw`" not in said and "thư mục raw" not in said
    assert "Bản sao này không gồm các tệp gốc đã tải lên: chúng nằm trong thư mục lưu tệp gốc, cạnh cơ" in said
