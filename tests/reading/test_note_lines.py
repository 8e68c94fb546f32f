"""Lines of words around a report's table — a note, a source, a signature — are no indicator's
name: never offered as «Đây là chỉ tiêu: …» (blind round 7, finding 13: the Thống kê file's
«Ghi chú: số liệu 6 tháng là số ước tính.» was). A row outside the plan is still asked."""

from __future__ import annotations

from kpi.aliases import unmatched_names
from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.catalogue import load_catalogue
from tests.support.sheets import xlsx

NOTES = [
    "Ghi chú: số liệu 6 tháng là số ước tính.",
    "Lưu ý: chỉ tiêu tỷ lệ tính theo số liệu của ngành.",
    "(*) Số liệu sơ bộ",
    "Nguồn: Chi cục Thống kê khu vực Tam Nông - Thanh Thủy",
    "Người lập biểu",
]


def test_note_source_and_signature_lines_are_not_names(con, cfg):
    rows = [
        ["PHÒNG VĂN HÓA VÀ THÔNG TIN"],
        ["ƯỚC THỰC HIỆN 6 THÁNG ĐẦU NĂM 2024"],
        ["Lưu ý: số liệu đến ngày 20/6/2024."],
        ["Tam Nông, ngày 01 tháng 7 năm 2024"],
        ["Ước TH 6T", "Chỉ tiêu", "ĐVT", "KH 2024", "% KH"],
        [93.6, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94.5, 99.0],
        [1250, "Diện tích lúa gieo cấy", "ha", 2500, 50],
        [None, NOTES[0]],
        [None, NOTES[1]],
        [None, NOTES[2]],
        [None, NOTES[3]],
        [None, NOTES[4]],
    ]
    prep = prepare(con, xlsx(rows), "ghi-chu-duoi-bang.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    asked = [n.written for n in unmatched_names(prep, load_catalogue(con, 2024))]
    assert asked == ["Diện tích lúa gieo cấy"]
    status = dict(zip(prep.rows["label"], prep.rows["status"], strict=True))
    assert [status.get(n) for n in NOTES[:4]] == ["note"] * 4  # «Người lập biểu» ends the table
    assert "Người lập biểu" not in status
    assert not any("Ghi chú" in i.message or "Nguồn:" in i.message for i in prep.issues)
