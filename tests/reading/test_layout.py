"""Reading reports in layouts the samples do not use; what the reader infers and why."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kpi.ingest import commit, prepare
from kpi.reading.layout import classify_header, vocabulary
from kpi.reading.report_sheets import ImportOptions
from tests.support.ledger import FOURTH
from tests.support.samples import ACTOR
from tests.support.sheets import report_rows, xlsx


def test_fourth_report_saved_by_libreoffice(con, cfg):
    """A commune's six-month estimate: header on rows 10–11, columns in another order, "Ước thực
    hiện quý", money in Tr.đồng, a percent typed as text (tests/data/make_fourth_report.py)."""
    data = FOURTH.read_bytes()
    assert b"LibreOffice" in __import__("zipfile").ZipFile(__import__("io").BytesIO(data)).read("docProps/app.xml")
    prep = prepare(con, data, FOURTH.name, ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert (prep.year, prep.quarter) == (2024, 2)
    assert (prep.sender, prep.subject) == ("Xã Hiền Quan", "Xã Hiền Quan")
    assert (prep.doc_number, prep.doc_date) == ("45/BC-UBND", dt.date(2024, 6, 18))
    assert prep.layout.header_range == "10–11"
    obs = prep.observations.set_index(["key", "kind"])
    assert obs.loc[("CT01", "ytd"), "value"] == pytest.approx(45.2)  # 45.200 Tr.đồng = 45,2 tỷ đồng
    assert obs.loc[("CT01", "quarter"), "value"] == pytest.approx(24.1)
    assert obs.loc[("CT02", "ytd"), "value"] == pytest.approx(8.35)
    assert obs.loc[("CT08", "ytd"), "value"] == pytest.approx(93.6)  # "93,6%" as text
    assert obs.loc[("CT09", "ytd"), "value"] == 2
    assert set(obs["vintage"][obs.index.get_level_values("kind") != "plan"]) == {"estimate"}  # "Báo cáo ước…"
    assert set(obs["subject"]) == {"Xã Hiền Quan"}
    rows = prep.rows.set_index("row")
    assert rows.loc[14, "status"] == "not_in_plan" and rows.loc[14, "label"] == "Diện tích lúa gieo cấy"
    assert not any(i.code == "plan_differs" for i in prep.issues)  # a commune's plan is its own
    committed = commit(con, prep, data, ACTOR, cfg)
    assert committed.status == "active"
    stored = con.execute("SELECT count(*), min(subject), max(subject) FROM observations").fetchall()[0]
    assert stored == (15, "Xã Hiền Quan", "Xã Hiền Quan")


# header text, report year → role, kind, vintage, quarter
HEADERS = [
    ("Thực hiện Quý I/2024", 2024, ("value", "quarter", "official", 1)),
    ("TH quý III", 2024, ("value", "quarter", "official", 3)),
    ("Ước thực hiện quý", 2024, ("value", "quarter", "estimate", None)),
    ("Lũy kế từ đầu năm", 2024, ("value", "ytd", "official", None)),
    ("Lũy kế 9 tháng", 2024, ("value", "ytd", "official", 3)),
    ("Ước TH 6 tháng năm 2024", 2024, ("value", "ytd", "estimate", 2)),
    ("Thực hiện năm 2024", 2024, ("value", "ytd", "official", 4)),
    ("Ước TH cả năm 2024", 2024, ("value", "year_estimate", "estimate", None)),
    ("Ước thực hiện năm", 2024, ("value", "year_estimate", "estimate", None)),
    ("Kế hoạch năm 2024", 2024, ("value", "plan", "official", None)),
    ("KH 2024", 2024, ("value", "plan", "official", None)),
    ("KH 2025", 2024, ("ignore", None, "official", None)),
    ("TH cùng kỳ", 2024, ("value", "last_year", "official", None)),
    ("TH 6 tháng năm 2023", 2024, ("value", "last_year", "official", 2)),
    ("Sơ bộ lũy kế 6 tháng", 2024, ("value", "ytd", "preliminary", 2)),
    ("So sánh (%) TH/KH năm", 2024, ("derived", None, "official", None)),
    ("Tỷ lệ TH/KH", 2024, ("derived", None, "official", None)),
    ("Đánh giá", 2024, ("derived", None, "official", None)),
    ("Ghi chú", 2024, ("note", None, "official", None)),
    ("Đơn vị\ntính", 2024, ("unit", None, "official", None)),
    ("ĐVT", 2024, ("unit", None, "official", None)),
    ("DVT", 2024, ("unit", None, "official", None)),
    ("\ufeffĐơn vị tính\u00a0", 2024, ("unit", None, "official", None)),
    ("Tên chỉ tiêu", 2024, ("name", None, "official", None)),
    ("Thực hiện kỳ trước", 2024, ("ignore", None, "official", None)),
    ("ƯTH2020", 2020, ("value", "year_estimate", "estimate", None)),
    # a ratio, whatever it compares (blind round 7: «So cùng kỳ (%)» was last year's figure)
    ("So cùng kỳ (%)", 2024, ("derived", None, "official", None)),
    ("% KH", 2024, ("derived", None, "official", None)),
    ("So với KH (%)", 2024, ("derived", None, "official", None)),
    ("Tăng/giảm so cùng kỳ (%)", 2024, ("derived", None, "official", None)),
    ("Số cùng kỳ năm trước", 2024, ("value", "last_year", "official", None)),
    ("TH 6T", 2024, ("value", "ytd", "official", 2)),
    ("Ước TH 9T", 2024, ("value", "ytd", "estimate", 3)),
]


@pytest.mark.parametrize("header,year,expected", HEADERS)
def test_column_meanings(header, year, expected):
    col = classify_header(header, vocabulary(), year)
    assert (col.role, col.kind, col.vintage, col.quarter) == expected


def test_header_on_another_row_with_section_rows_and_a_unit_note(con, cfg):
    rows = [
        ["PHÒNG TÀI CHÍNH - KẾ HOẠCH"],
        [],
        [],
        ["KẾT QUẢ THỰC HIỆN CHỈ TIÊU QUÝ II NĂM 2024"],
        [],
        ["", "", "", "", "Đơn vị tính: triệu đồng"],
        ["Số TT", "Tên chỉ tiêu", "Lũy kế 6 tháng", "KH năm 2024", "TH quý II"],
        ["A", "B", "1", "2", "3"],
        ["I", "KINH TẾ", "", "", ""],
        ["1", "Tổng thu NSNN", 376000, 805000, 215800],
    ]
    prep = prepare(con, xlsx(rows), "q2.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    obs = prep.observations.set_index("kind")["value"]
    assert obs["ytd"] == pytest.approx(376.0) and obs["quarter"] == pytest.approx(215.8) and obs["plan"] == 805
    assert prep.quarter == 2 and prep.sender == "Phòng Tài chính - Kế hoạch"


def test_unknown_unit_is_refused_with_its_cell(con, cfg):
    rows = report_rows(
        "BÁO CÁO QUÝ I NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
        [[1, "Tổng thu ngân sách nhà nước", "USD", 7000000]],
    )
    prep = prepare(con, xlsx(rows), "usd.xlsx", ImportOptions(), cfg)
    assert prep.refused
    error = prep.errors[0]
    assert (error.code, error.cell) == ("unit_mismatch", "C8")
    assert "USD" in error.message and "tỷ đồng" in error.message


def test_text_that_is_not_a_number_is_refused_with_its_cell(con, cfg):
    rows = report_rows(
        "BÁO CÁO QUÝ I NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
        [[1, "Tổng thu ngân sách nhà nước", "Tỷ đồng", "khoảng 160"]],
    )
    prep = prepare(con, xlsx(rows), "bad.xlsx", ImportOptions(), cfg)
    assert [(e.code, e.sheet, e.cell) for e in prep.errors] == [("not_a_number", "Sheet1", "D8")]
    assert "khoảng 160" in prep.errors[0].message


def test_no_period_asks_for_one_and_the_option_supplies_it(con, cfg):
    rows = [["Chỉ tiêu", "ĐVT", "Thực hiện", "Kế hoạch 2024"], ["Tổng thu ngân sách nhà nước", "Tỷ đồng", 160.2, 805]]
    prep = prepare(con, xlsx(rows), "noperiod.xlsx", ImportOptions(), cfg)
    assert [e.code for e in prep.errors] == ["no_period"]
    assert "--period" in prep.errors[0].message
    prep = prepare(con, xlsx(rows), "noperiod.xlsx", ImportOptions(period="2024-Q1"), cfg)
    assert not prep.refused and prep.quarter == 1


def test_two_signals_of_one_rank_disagreeing_refuse(con, cfg):
    rows = [
        ["Kỳ báo cáo: Quý I/2024"],
        ["Kỳ báo cáo: Quý II/2024"],
        [],
        ["Chỉ tiêu", "ĐVT", "Thực hiện quý"],
        ["Tổng thu ngân sách nhà nước", "Tỷ đồng", 160.2],
    ]
    prep = prepare(con, xlsx(rows), "two.xlsx", ImportOptions(), cfg)
    # The first "Kỳ báo cáo" line wins; a second one is not a new signal of the same field.
    assert prep.quarter == 1
    rows = [
        ["BÁO CÁO QUÝ I VÀ QUÝ II NĂM 2024"],
        [],
        ["Chỉ tiêu", "ĐVT", "Thực hiện"],
        ["Tổng thu ngân sách nhà nước", "Tỷ đồng", 160.2],
    ]
    prep = prepare(con, xlsx(rows), "two.xlsx", ImportOptions(), cfg)
    assert [e.code for e in prep.errors] == ["period_conflict"]


def test_a_title_that_contradicts_the_columns_is_held_for_a_decision(con, cfg):
    """Issue 16: the title says six months, the only figure column nine: which is true is the
    clerk's to say (it was a warning, and the title's period was stored)."""
    rows = [
        ["BÁO CÁO 6 THÁNG ĐẦU NĂM 2024"],
        [],
        ["Chỉ tiêu", "ĐVT", "Lũy kế 9 tháng"],
        ["Tổng thu ngân sách nhà nước", "Tỷ đồng", 560],
    ]
    prep = prepare(con, xlsx(rows), "w.xlsx", ImportOptions(), cfg)
    assert [(e.code, e.cell) for e in prep.held] == [("period_contradiction", "C3")]
    assert "quý 2" in prep.held[0].message and "quý 3" in prep.held[0].message
    assert "--period" in prep.held[0].message and prep.needs("period") and prep.refused
    chosen = prepare(con, xlsx(rows), "w.xlsx", ImportOptions(period="2024-Q3"), cfg)
    assert not chosen.refused and chosen.quarter == 3
    assert "period_overridden" in [i.code for i in chosen.warnings]


def test_a_column_that_is_not_the_latest_period_is_only_a_warning(con, cfg):
    rows = [
        ["BÁO CÁO 6 THÁNG ĐẦU NĂM 2024"],
        [],
        ["Chỉ tiêu", "ĐVT", "Thực hiện quý I", "Lũy kế 6 tháng"],
        ["Tổng thu ngân sách nhà nước", "Tỷ đồng", 160.2, 360.5],
    ]
    prep = prepare(con, xlsx(rows), "w.xlsx", ImportOptions(), cfg)
    assert prep.quarter == 2 and not prep.held


def test_a_year_report_says_its_period_from_its_title_not_a_quarter_column(con, cfg):
    """Blind round 8, finding 7: a title «… NĂM 2024» over «Quý I» … «Quý IV» and the year's
    column was said «Quý IV/2024 · tiêu đề cột F «Quý IV»»; the title gives it (a year report).
    A year-only title over a first quarter's column stays a first-quarter report, said by its column."""
    title = "TỔNG HỢP KẾT QUẢ THỰC HIỆN NĂM 2024"
    rows = [
        [title],
        ["Tam Nông, ngày 12 tháng 01 năm 2025"],
        ["Chỉ tiêu", "ĐVT", "Quý I", "Quý II", "Quý III", "Quý IV", "Cả năm"],
        ["Tổng thu ngân sách nhà nước", "Tỷ đồng", 170.5, 209.5, 180, 252, 812],
    ]
    prep = prepare(con, xlsx(rows), "nam.xlsx", ImportOptions(), cfg)
    said = {what: (value, how) for what, value, how in prep.inferred}
    assert said["Kỳ báo cáo"] == ("Quý IV/2024", f"tiêu đề «{title}» chỉ ghi năm (báo cáo năm)")
    rows[1], rows[2], rows[3] = ["Tam Nông, ngày 05 tháng 4 năm 2024"], rows[2][:3], rows[3][:3]
    prep = prepare(con, xlsx(rows), "quy.xlsx", ImportOptions(), cfg)
    said = {what: (value, how) for what, value, how in prep.inferred}
    assert said["Kỳ báo cáo"] == ("Quý I/2024", "tiêu đề cột C «Quý I»")


def test_subject_named_in_the_title(con, cfg):
    rows = [
        ["BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU QUÝ I NĂM 2024 CỦA XÃ TỀ LỄ"],
        [],
        ["Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
        ["Số khu dân cư đạt khu nông thôn mới kiểu mẫu", "Khu", 1],
    ]
    prep = prepare(con, xlsx(rows), "tl.xlsx", ImportOptions(), cfg)
    assert prep.subject == "Xã Tề Lễ"
    rows[0] = ["BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU QUÝ I NĂM 2024 TOÀN HUYỆN"]
    assert prepare(con, xlsx(rows), "tl2.xlsx", ImportOptions(), cfg).subject == "UBND huyện Tam Nông"


def test_a_file_with_no_indicator_of_the_plan_is_refused(con, cfg):
    rows = [["Tên chỉ tiêu", "Đơn vị", "Thực hiện năm"], ["Số lượng vật nuôi", "Con", 13588]]
    prep = prepare(con, xlsx(rows), "x.xlsx", ImportOptions(period="2024-Q4"), cfg)
    assert [e.code for e in prep.errors] == ["no_indicator"]
    assert "không tìm thấy chỉ tiêu nào của kế hoạch" in prep.errors[0].message.lower()


def test_a_refusal_of_a_table_of_names_none_of_the_plans_says_what_the_column_holds(con, cfg):
    """Black-box (December 2026): a tax office's table with a «Chỉ tiêu» column and «Tổng vốn ĐTXH»
    was refused with «Tệp cần có bảng với cột «Chỉ tiêu»» — a column it has. The refusal names the
    column, its cell and the names in it, and the plan's indicator a name is near."""
    rows = [
        ["CHI CỤC THUẾ KHU VỰC"],
        [],
        ["BÁO CÁO TÌNH HÌNH THU NGÂN SÁCH 9 THÁNG NĂM 2024"],
        [],
        ["STT", "Chỉ tiêu", "Đơn vị", "Lũy kế 9 tháng năm 2024"],
        [1, "Số lượt khách du lịch", "Lượt", 12000],
        [2, "Tổng vốn ĐTXH", "Tỷ đồng", 2450],
    ]
    prep = prepare(con, xlsx(rows), "thue.xlsx", ImportOptions(), cfg)
    [error] = prep.errors
    assert error.code == "no_indicator" and error.cell == "B5"
    assert (
        "cột «Chỉ tiêu» (ô B5) ghi «Số lượt khách du lịch»; «Tổng vốn ĐTXH» (gần giống «Tổng vốn đầu tư toàn xã hội»)"
        in (error.message)
    )
    assert "Tệp cần có bảng với cột" not in error.message and len(error.message) < 500


def test_a_rows_note_saying_estimate_makes_its_figures_estimates(con, cfg):
    """Black-box round 5: a commune's «Tỷ lệ hộ nghèo … 0,9» with «ước» in its «Ghi chú» cell was
    stored as an official figure. The row's figures are estimates, and the preview says so by cell."""
    rows = [
        ["UBND XÃ HIỀN QUAN"],
        ["BÁO CÁO KẾT QUẢ THỰC HIỆN MỘT SỐ CHỈ TIÊU 9 THÁNG ĐẦU NĂM 2024"],
        [],
        ["TT", "Nội dung chỉ tiêu", "ĐVT", "Lũy kế 9 tháng", "Ghi chú"],
        ["1", "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 96.2, None],
        ["2", "Tỷ lệ hộ nghèo", "%", 0.9, "ước"],
    ]
    prep = prepare(con, xlsx(rows), "xa.xlsx", ImportOptions(), cfg)
    vintages = dict(zip(prep.observations["key"], prep.observations["vintage"], strict=True))
    assert vintages == {"CT08": "official", "CT06a": "estimate"}
    [said] = [i for i in prep.issues if i.code == "row_estimate"]
    assert said.cell == "E6" and "«Tỷ lệ hộ nghèo»: ô ghi chú ghi «ước»" in said.message


SAMPLE_LABELS = [
    # Labels, sheet names and names that only the shared samples (and the plan) use: they live in
    # data/, never in kpi/. The field's standard terms (lũy kế, đơn vị tính, năm thành tích) may
    # appear in messages; what a header *means* is decided by data/vocabulary.toml alone.
    "Bieu 01",
    "6 thang",
    "Quy III",
    "Dang ky",
    "Khen thuong",
    "TH/KH năm",
    "Ước TH 6 tháng",
    "Lũy kế 9 tháng",
    "Thực hiện Quý I",
    "Chi cục Thống kê",
    "Phòng Tài chính",
    "Tam Nông",
    "Hưng Hóa",
    "Hiền Quan",
    "Tổng vốn đầu tư",
    "ngân sách",
    "bác sỹ",
    "giường bệnh",
    "CT01",
    "TD01",
    "TD09",
    "Kế hoạch năm 2024",
    "So sánh (%)",
    "Số quyết định",
    "Cấp khen",
    "Chiến sĩ thi đua",
    "Bằng khen",
    "Cờ thi đua",
    "Tập thể lao động",
    "Phú Thọ",
    "3300",
    "805",
]


def test_no_sample_label_is_hard_coded_in_kpi():
    sources = {p: p.read_text(encoding="utf-8") for p in Path("kpi").rglob("*.py")}
    offenders = []
    for path, text in sources.items():
        code = re.sub(r'"""(?:.|\n)*?"""', "", text)  # docstrings may cite examples
        code = "\n".join(line.split("#", 1)[0] for line in code.splitlines())
        for label in SAMPLE_LABELS:
            if label.lower() in code.lower():
                offenders.append(f"{path}: {label}")
    assert offenders == []


def _zip_with(data: bytes, part: str, change) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info, change(body) if info.filename == part else body)
    return out.getvalue()


def test_percent_cells_are_found_whatever_order_the_attributes_come_in(cfg):
    """The fast searches (`` s="N"`` right after ``r``, or later in the tag) and the general one
    agree: a writer that puts the style first after a tab, or last, is read as openpyxl's file."""
    import io

    import openpyxl

    from kpi.reading.workbook import read_workbook

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Chỉ tiêu", "Tỷ lệ", "Số"])
    for i in range(1, 40):
        ws.append([f"Chỉ tiêu {i}", i / 100, i])
        ws.cell(i + 1, 2).number_format = "0.00%"
    ws.cell(3, 3).number_format = "0%"  # one more, in another column
    buf = io.BytesIO()
    wb.save(buf)
    plain = buf.getvalue()
    expected = {(r, 1) for r in range(1, 40)} | {(2, 2)}
    assert read_workbook(plain, "a.xlsx", cfg).sheets[0].percent == expected

    def style_first(xml: bytes) -> bytes:
        return re.sub(rb'<c r="([A-Z]+\d+)"((?: t="\w+")?) s="(\d+)"', rb'<c\ts="\3" r="\1"\2', xml)

    def style_last(xml: bytes) -> bytes:
        return re.sub(rb'<c r="([A-Z]+\d+)" s="(\d+)"((?: t="\w+")?)', rb'<c r="\1"\3 s="\2"', xml)

    for change in (style_first, style_last):
        moved = _zip_with(plain, "xl/worksheets/sheet1.xml", change)
        assert moved != plain
        assert read_workbook(moved, "a.xlsx", cfg).sheets[0].percent == expected, change.__name__


def test_an_earlier_quarters_column_is_said_to_be_stored_as_that_quarter(con, cfg):
    """Black-box (December 2026): a six-month report with «Quý I/2024» and «Quý II/2024» columns
    stored column D as Q1 — rightly — but warned «… gợi ý quý 1 … Đã dùng quý 2», which says the
    opposite. The warning now says what is stored."""
    rows = [
        ["UBND HUYỆN TAM NÔNG"],
        ["PHÒNG TÀI CHÍNH - KẾ HOẠCH"],
        [],
        ["KẾT QUẢ THỰC HIỆN CHỈ TIÊU 6 THÁNG ĐẦU NĂM 2024"],
        [],
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện", None, None],
        [None, None, None, "Quý I/2024", "Quý II/2024", "Lũy kế 6 tháng"],
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 500, 650, 1150],
        [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 150, 200, 350],
    ]
    prep = prepare(con, xlsx(rows), "sau-thang.xlsx", ImportOptions(), cfg)
    assert not prep.refused and prep.quarter == 2
    [said] = [i for i in prep.issues if i.code == "period_disagrees"]
    assert "Đã dùng quý 2" not in said.message
    assert "số của cột này được lưu là số quý 1; kỳ báo cáo của tệp vẫn là quý 2" in said.message
    stored = prep.observations.set_index(["key", "quarter", "kind"])["value"]
    assert stored[("CT01", 1, "quarter")] == 500 and stored[("CT01", 2, "quarter")] == 650
    assert stored[("CT01", 2, "ytd")] == 1150
