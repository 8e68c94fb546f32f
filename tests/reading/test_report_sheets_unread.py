"""A workbook holding a report on each of several sheets (one per quarter, one per commune) is read
one sheet per upload; the other sheets used to be named in a blue line «Bỏ qua trang «Quy II» (đã
dùng trang «Quy I»)», easy to miss — a clerk believed the half-year figures stored. Each report sheet
not read is now a warning saying what it holds (period, subject, rows matched) and how to load it; a
hidden sheet (an old template) keeps its quiet note."""

from __future__ import annotations

from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from tests.support.sheets import xlsx

HEADER = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2024"]


def _report(title: str, column: str, figures: tuple[float, float], admin: str = "UBND HUYỆN TAM NÔNG") -> list[list]:
    return [
        [admin],
        [],
        [title],
        [*HEADER, column],
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, figures[0]],
        [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, figures[1]],
    ]


def _warned(prep) -> dict[str, str]:
    return {i.sheet: i.message for i in prep.issues if i.code == "other_report_sheet"}


def test_a_sheet_per_quarter_the_unread_one_is_a_warning_with_its_period(con, cfg):
    data = xlsx(
        _report("BÁO CÁO KẾT QUẢ QUÝ I NĂM 2024", "Thực hiện Quý I/2024", (520.4, 160.2)),
        sheet="Quy I",
        extra_sheets={
            "Quy II": {"rows": _report("BÁO CÁO KẾT QUẢ 6 THÁNG ĐẦU NĂM 2024", "Lũy kế 6 tháng", (1200.0, 390.5))}
        },
    )
    prep = prepare(con, data, "hai-quy.xlsx", ImportOptions(), cfg)
    assert prep.sheet == "Quy I" and (prep.year, prep.quarter) == (2024, 1)
    warned = _warned(prep)
    assert set(warned) == {"Quy II"}
    assert "Quý II/2024 (báo cáo 6 tháng), UBND huyện Tam Nông, 2 dòng khớp chỉ tiêu" in warned["Quy II"]
    assert "chỉ đọc một trang (trang «Quy I»)" in warned["Quy II"] and "tệp riêng" in warned["Quy II"]
    assert not [n for n in prep.notes if n.startswith("Bỏ qua trang")]
    assert not prep.refused  # the sheet read is right: saved, with the warning


def test_a_sheet_per_commune_each_unread_commune_is_named(con, cfg):
    communes = ["Xã Thọ Văn", "Xã Dị Nậu", "Xã Hiền Quan"]
    sheets = {
        name: {
            "rows": _report(
                "BÁO CÁO KẾT QUẢ 9 THÁNG NĂM 2024", "Lũy kế 9 tháng", (10.0 + i, 2.0), "UBND " + name.upper()
            )
        }
        for i, name in enumerate(communes[1:])
    }
    data = xlsx(
        _report("BÁO CÁO KẾT QUẢ 9 THÁNG NĂM 2024", "Lũy kế 9 tháng", (9.0, 2.0), "UBND " + communes[0].upper()),
        sheet=communes[0],
        extra_sheets=sheets,
    )
    prep = prepare(con, data, "cac-xa.xlsx", ImportOptions(), cfg)
    warned = _warned(prep)
    assert set(warned) == set(communes) - {prep.sheet}
    for name, message in warned.items():
        assert f"Quý III/2024 (báo cáo 9 tháng), {name}" in message


def test_a_hidden_old_copy_keeps_its_quiet_note(con, cfg):
    data = xlsx(
        _report("BÁO CÁO KẾT QUẢ QUÝ I NĂM 2024", "Thực hiện Quý I/2024", (520.4, 160.2)),
        sheet="Quy I",
        extra_sheets={
            "Mau cu": {"rows": _report("BÁO CÁO KẾT QUẢ QUÝ I NĂM 2023", "Thực hiện", (1.0, 1.0)), "state": "hidden"}
        },
    )
    prep = prepare(con, data, "an.xlsx", ImportOptions(), cfg)
    assert not _warned(prep)
