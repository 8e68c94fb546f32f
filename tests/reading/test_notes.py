"""Notes said once per cell fold into one line per column (kpi/reading/notes.py).

Black-box finding (December 2026): a registration list with its dates written as text showed 14
near-identical lines «Ngày «…» đọc theo kiểu ngày/tháng/năm: dd/mm/yyyy.» under its preview.
Every workbook is written here (openpyxl), in layouts unlike the samples'.
"""

from __future__ import annotations

from kpi.ingest import prepare
from kpi.reading.messages import INFO, issue
from kpi.reading.notes import folded_notes
from kpi.reading.report_sheets import ImportOptions
from tests.support.sheets import xlsx

UNITS = [
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Thanh tra huyện",
    "Công an huyện",
    "Xã Dân Quyền",
    "Xã Hương Nộn",
    "Xã Dị Nậu",
    "Xã Thọ Văn",
    "Xã Lam Sơn",
    "Phòng Y tế",
]


def dated_list(dates: list[str]) -> bytes:
    """A registration list, the date first and written as text, then the unit; ``dates[n]`` for
    ``UNITS[n]``; a date that is not day/month-ambiguous (13/02) breaks the run of cells."""
    body = [[d, u, n] for n, (d, u) in enumerate(zip(dates, UNITS, strict=False), start=1)]
    return xlsx(
        [["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"], [], ["Ngày đăng ký", "Tên cơ quan, đơn vị", "TT"], *body],
        sheet="DK",
        text_cells=[f"A{r}" for r in range(4, 4 + len(body))],
    )


def test_dates_read_day_first_are_one_line_per_column_with_each_cell_kept(con, cfg):
    dates = ["05/02/2024", "06/02/2024", "07/02/2024", "13/02/2024", "02/03/2024", "14/03/2024", "04/03/2024"]
    dates += ["08/03/2024", "09/03/2024", "10/03/2024"]
    prep = prepare(con, dated_list(dates), "dk.xlsx", ImportOptions(), cfg)
    each = [i for i in prep.issues if i.code == "ambiguous_date"]
    assert [i.cell for i in each] == ["A4", "A5", "A6", "A8", "A10", "A11", "A12", "A13"]  # every cell noted
    [note] = [n for n in folded_notes(i for i in prep.issues if i.severity == INFO) if n.issues[0] in each]
    assert note.issues == tuple(each)
    assert note.text == (
        "[trang «DK»] 8 ngày ở cột A (A4–A6, A8, A10–A13) đọc theo kiểu ngày/tháng/năm (ngày trước, tháng sau), "
        "ví dụ «05/02/2024» là ngày 05 tháng 02 năm 2024; «06/02/2024» là ngày 06 tháng 02 năm 2024."
    )


def test_two_notes_stay_two_lines_and_many_runs_end_with_an_ellipsis(con, cfg):
    two = prepare(
        con, dated_list(["13/02/2024", "05/02/2024", "14/02/2024", "06/02/2024"]), "a.xlsx", ImportOptions(), cfg
    )
    lines = [n.text for n in folded_notes(i for i in two.issues if i.code == "ambiguous_date")]
    assert lines == [
        "[trang «DK», ô A5] Ngày «05/02/2024» đọc theo kiểu ngày/tháng/năm: 05/02/2024.",
        "[trang «DK», ô A7] Ngày «06/02/2024» đọc theo kiểu ngày/tháng/năm: 06/02/2024.",
    ]
    gaps = [f"0{n}/02/2024" if n % 2 else f"2{n}/02/2024" for n in range(1, 11)]
    many = prepare(con, dated_list(gaps), "b.xlsx", ImportOptions(), cfg)
    [note] = folded_notes(i for i in many.issues if i.code == "ambiguous_date")
    assert "5 ngày ở cột A (A4, A6, A8, A10, …)" in note.text and len(note.issues) == 5


def test_any_note_repeated_per_cell_folds_in_the_catalogues_general_words():
    formulas = [
        issue(INFO, "formula_evaluated", sheet="Biểu 2", cell=f"F{r}", formula=f"D{r}+E{r}", value=str(r))
        for r in (9, 10, 11, 12)
    ]
    other = issue(INFO, "formula_evaluated", sheet="Biểu 2", cell="G9", formula="F9", value="9")
    notes = folded_notes([*formulas, other])
    assert [len(n.issues) for n in notes] == [4, 1]
    assert notes[0].text == (
        "[trang «Biểu 2»] 4 ô ở cột F (F9–F12) có cùng loại ghi chú, ví dụ ô F9: Ô là công thức «=D9+E9» chưa "
        "có kết quả lưu sẵn; đã tự tính được 9; ô F10: Ô là công thức «=D10+E10» chưa có kết quả lưu sẵn; đã tự "
        "tính được 10."
    )
    assert notes[1].text == other.screen_text()


def test_one_code_for_two_reasons_is_two_lines(con, cfg):
    """Blind round 7 (finding 13): «3 ô ở cột E (E6–E8) có cùng một lỗi» lumped a share written
    as a fraction (0,936) with money in triệu under «tỷ đồng». Held for their scale both, but for
    two reasons: the three money figures are one line, the fraction its own."""
    rows = [
        ["UBND HUYỆN TAM NÔNG - PHÒNG TÀI CHÍNH - KẾ HOẠCH"],
        ["SỐ LIỆU ƯỚC THỰC HIỆN 6 THÁNG ĐẦU NĂM 2024"],
        ["Tam Nông, ngày 05 tháng 7 năm 2024"],
        ["Nội dung", "Đơn vị tính", "Chỉ tiêu KH", "Ghi chú", "TH 6T"],
        ["Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, "", 1312400],
        ["Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, "", 371250],
        ["Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94.5, "", 0.936],
        [
            "Giá trị sản phẩm bình quân trên 1 ha đất canh tác và nuôi trồng thủy sản",
            "Triệu đồng/ha",
            126.8,
            "",
            125300,
        ],
    ]
    prep = prepare(con, xlsx(rows), "sai-don-vi.xlsx", ImportOptions(), cfg)
    held = [i for i in prep.errors if i.code == "scale_unclear"]
    assert sorted(i.cell for i in held) == ["E5", "E6", "E7", "E8"]
    lines = [n for n in folded_notes(prep.errors) if n.issues[0] in held]
    assert [len(n.issues) for n in lines] == [3, 1]
    money, share = lines
    assert money.text.startswith("[trang «Sheet1»] 3 ô ở cột E (E5–E6, E8) có cùng một lỗi")
    assert "đơn vị nhỏ hơn 1000 lần" in money.text and "phân số" not in money.text
    assert share.issues[0].cell == "E7" and "phân số (0,95 nghĩa là 95 %)" in share.text
