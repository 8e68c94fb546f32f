"""The upload preview of a per-commune table (:mod:`kpi.reading.unit_columns`): a column left unread
— a commune not in the plan — is said on the page with its letter and header, and the figures table
names each figure's commune (round 12: the columns were dropped without a word)."""

from __future__ import annotations

import pytest

from tests.support.apptest import XLSX, texts, upload_page
from tests.support.sheets import xlsx

KDC = "Số khu dân cư đạt khu nông thôn mới kiểu mẫu"


def _per_commune() -> bytes:
    return xlsx(
        [
            ["UBND HUYỆN TAM NÔNG"],
            ["PHÒNG TÀI CHÍNH - KẾ HOẠCH"],
            ["BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 9 THÁNG NĂM 2024"],
            ["Tam Nông, ngày 05 tháng 10 năm 2024"],
            ["STT", "Chỉ tiêu", "ĐVT", "X. Dân Quyền", "X. Tân Phú", "TT Hưng Hóa", "Cộng"],
            [1, KDC, "Khu", 1, 4, 2, 7],
        ]
    )


@pytest.mark.usefixtures("app_env", "server_machine")
def test_the_preview_says_the_unknown_communes_column_and_whose_each_figure_is(con):
    at = upload_page(con)
    at.file_uploader(key="up_files").set_value([("theo-xa.xlsx", _per_commune(), XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "Cột E «X. Tân Phú»: «X. Tân Phú» không có trong danh sách đơn vị của kế hoạch năm 2024" in shown
    [columns] = [t.value for t in at.table if "Ý nghĩa" in t.value.columns]
    meanings = {
        c.replace("\\", ""): m.replace("\\", "") for c, m in zip(columns["Cột"], columns["Ý nghĩa"], strict=True)
    }
    assert meanings["D"] == "lũy kế từ đầu năm (đến quý 3, Xã Dân Quyền)"
    assert meanings["E"] == "không dùng: «X. Tân Phú» không có trong danh sách đơn vị của kế hoạch"
    # «Cộng» of the communes in the table (not all twelve): their sum, not the district's (round 13)
    assert meanings["G"] == "không dùng: tổng của một số đơn vị, không phải toàn huyện"
    [figures] = [t.value for t in at.table if "Đối tượng" in t.value.columns]
    assert list(zip(figures["Ô"], figures["Đối tượng"], figures["Ghi trong tệp"], strict=True)) == [
        ("D6", "Xã Dân Quyền", "1"),
        ("F6", "Thị trấn Hưng Hóa", "2"),
    ]
