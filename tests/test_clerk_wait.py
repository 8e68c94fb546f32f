"""What a clerk waits for on a small file (issue 17, "the clerk's wait"): work a refused file does
not need is not done, and work done three times is done once — with the same answers.

No timings here (no timed assertions): each test counts the work itself, and the answers are
compared with those of the plain way of working them out.
"""

from __future__ import annotations

import pytest

from kpi.errors import FileRefused
from kpi.ingest import ingest, prepare
from kpi.reading import register_open, workbook
from kpi.reading.layout import vocabulary
from kpi.reading.register_open import AWARD_ROLES, REGISTRATION_ROLES, column_role
from kpi.reading.registers import read_awards, read_registrations
from kpi.reading.report_sheets import ImportOptions
from kpi.reading.workbook import Sheet, read_workbook
from kpi.storage.catalogue import load_catalogue
from tests.support.paths import PROJECT
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

CORPUS = PROJECT / "tests" / "data" / "corpus"

#: A table whose rows name indicators of the plan but whose columns say nothing: refused, and on
#: the upload page the mapping form is offered (each sheet's first rows, a guessed mapping).
UNKNOWN_LAYOUT = [
    ["Số liệu tổng hợp quý I năm 2024"],
    [],
    ["Mục", "Giá trị A", "Giá trị B", "Loại"],
    ["Tổng thu ngân sách nhà nước trên địa bàn", 520.4, 520.4, "Tỷ đồng"],
    ["Tổng vốn đầu tư phát triển trên địa bàn", 160.2, 160.2, "Tỷ đồng"],
]


def test_the_command_line_refuses_without_building_the_mapping_form(con, cfg, monkeypatch):
    """The command line has no mapping form: ``ingest`` does not build the sheets' previews and
    guessed mappings (for a workbook of nine sheets, a fifth of its refusal's time), and refuses
    with the very issues the upload page's ``prepare`` gives."""
    import kpi.ingest_sheets

    data = xlsx(UNKNOWN_LAYOUT)
    shown = prepare(con, data, "la.xlsx", ImportOptions(), cfg)
    assert shown.previews and shown.suggestions  # the upload page still gets its form
    built = []
    real_preview = kpi.ingest_sheets.preview
    monkeypatch.setattr(
        kpi.ingest_sheets, "preview", lambda sheet, *a, **k: built.append(sheet.name) or real_preview(sheet, *a, **k)
    )
    with pytest.raises(FileRefused) as refused:
        ingest(con, data, "la.xlsx", ACTOR, ImportOptions(), cfg)
    assert built == []
    assert [(i.code, i.cell, i.message) for i in refused.value.issues] == [
        (i.code, i.cell, i.message) for i in shown.refusal_issues
    ]


def _role_as_written_reference(text, vocab, roles):
    """The plain way: each role in order, as in the register readers before issue 17."""
    from kpi.reading.file_kind import register_words
    from kpi.reading.layout import Vocabulary
    from kpi.vn import fold

    h = fold(text)
    if not h:
        return None
    for role in roles:
        if role in ("mark", "note"):
            if register_words().any("columns", role, text):
                return role
            continue
        if role in ("recipient", "award") and register_words().any("columns", role, text):
            return role
        patterns = vocab.columns["stt"] if role == "stt" else vocab.registers.get(role, [])
        if Vocabulary.any(patterns, h):
            return role
    return None


def _column_role_reference(text, vocab, roles):
    from kpi.domain.abbreviations import expand

    role = _role_as_written_reference(text, vocab, roles)
    if role is None:
        expanded = expand(text, "header")
        if expanded.used:
            role = _role_as_written_reference(expanded.text, vocab, roles)
    return role


def _header_texts() -> list[str]:
    """Every text of the first rows of every sheet of the corpus and the samples, and the header
    words a register is written with."""
    texts = {
        "STT",
        "Họ và tên",
        "Tên tập thể, cá nhân",
        "Đối tượng",
        "Danh hiệu",
        "Hình thức khen thưởng",
        "Số QĐ",
        "Ngày QĐ",
        "Năm thành tích",
        "Ghi chú",
        "Đơn vị",
        "Khối thi đua",
        "Ngày ĐK",
        "Ngày đăng ký",
        "Văn bản đăng ký",
        "Đăng ký",
        "Cấp khen",
        "Cơ quan, đơn vị",
        "Tập thể/Cá nhân",
    }
    for folder in (CORPUS, PROJECT / "data" / "samples"):
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".xlsx", ".xls", ".ods"):
                continue
            try:
                wb = read_workbook(path.read_bytes(), path.name)
            except Exception:  # noqa: BLE001 - a corpus file our reader refuses has no header to read
                continue
            for sheet in wb.sheets:
                for row in sheet.rows[:60]:
                    texts.update(v for v in row if isinstance(v, str))
    return sorted(texts)


def test_a_header_cell_reads_as_the_same_role_as_when_each_role_was_asked_in_turn():
    vocab = vocabulary()
    texts = _header_texts()
    assert len(texts) > 500
    for roles in (AWARD_ROLES, REGISTRATION_ROLES, (*AWARD_ROLES, *REGISTRATION_ROLES), ("note", "stt", "unknown")):
        got = {t: column_role(t, vocab, roles) for t in texts}
        assert got == {t: _column_role_reference(t, vocab, roles) for t in texts}, roles
        assert any(got.values())


def test_a_header_cell_is_read_once_for_both_registers(con, monkeypatch):
    """A sheet is tried as an award register (its header cells read for the award roles, then for
    both registers' roles to name a missing award column) and as a registration list: three
    readings of each header cell, which were each worked out (a ninth sheet's workbook spent 20 ms
    on them); now once."""
    catalogue = load_catalogue(con, 2024)
    vocab = vocabulary()
    headers = [f"Cột thứ {n} của bảng kê số {id(monkeypatch)}" for n in range(6)]  # texts no other test read
    sheet = Sheet(name="Bảng kê", rows=[headers, [1, 2, 3, 4, 5, 6]])
    folded = []
    real_fold = register_open.fold
    monkeypatch.setattr(register_open, "fold", lambda text: folded.append(text) or real_fold(text))
    assert read_awards(sheet, catalogue, vocab) is None
    assert read_registrations(sheet, catalogue, vocab) is None
    assert sorted(t for t in folded if t in headers) == sorted(headers)


def test_a_sheet_with_an_absurd_box_skips_its_blank_cells_before_matching_cells():
    """calamine's issue_174 file: 49,152 formatted blank cells up to XFD1048576 around two rows of
    data. The sparse reading matches only the cells that hold something."""
    matched = []
    real = workbook._CELL

    class Counting:
        def finditer(self, xml):
            for m in real.finditer(xml):
                matched.append(m)
                yield m

    wb_before = read_workbook((CORPUS / "calamine__issue_174.xlsx").read_bytes(), "issue_174.xlsx")
    workbook._CELL = Counting()
    try:
        wb = read_workbook((CORPUS / "calamine__issue_174.xlsx").read_bytes(), "issue_174.xlsx")
    finally:
        workbook._CELL = real
    (sheet,) = wb.sheets
    assert (sheet.height, sheet.width) == (2, 11)
    assert sheet.rows == wb_before.sheets[0].rows
    assert sheet.value(0, 0) not in ("", None)
    assert len(matched) <= 2 * 11


def test_formulas_are_evaluated_only_when_the_reading_asks_for_a_value(con, cfg, monkeypatch):
    """A program-written sheet of formulas that is not a report is refused without its formulas
    being evaluated or sent (issue 17: ≈ 0.35 s of 64,000 formulas); a report whose value cell is
    a formula gets its value from the worker — once, for the whole workbook."""
    from kpi.reading.worker import WorkerPool
    from tests.support import hostile

    asked = []
    real = WorkerPool._values
    monkeypatch.setattr(WorkerPool, "_values", lambda self, *args: asked.append(args[0]) or real(self, *args))
    sheet = [["STT", "Số", "Gấp đôi"]] + [[r, r * 7 % 1000, f"=B{r + 1}*2"] for r in range(1, 2001)]
    with pytest.raises(FileRefused):
        ingest(con, xlsx(sheet), "so-lieu.xlsx", ACTOR, ImportOptions(), cfg)
    assert asked == []
    prep, committed = ingest(con, hostile.formula_bomb_report(3, 10), "bao-cao.xlsx", ACTOR, ImportOptions(), cfg)
    assert committed.status == "active"
    assert len(asked) == 1
    evaluated = [i.cell for i in prep.issues if i.code == "formula_evaluated"]
    assert "E9" in evaluated


def test_a_header_is_a_name_column_as_the_full_classification_says():
    """The refusal's look for a column of names asks the few name words first
    (:func:`kpi.reading.layout.names_things`); it says what ``classify_header`` says of every
    text of the corpus's and samples' first rows."""
    from kpi.reading.layout import classify_header, names_things

    vocab = vocabulary()
    texts = _header_texts()
    got = {t: names_things(t, vocab) for t in texts}
    assert got == {t: classify_header(t, vocab).role == "name" for t in texts}
    assert any(got.values())


def test_a_refusal_classifies_in_full_only_the_cells_with_a_name_word(con, monkeypatch):
    """A workbook of nine foreign sheets, refused: its every first-rows cell was classified in full
    (all the vocabulary's column and value words: a tenth of the refusal's time); now only those
    that hold a name word, with the same answer."""
    from kpi.ingest_sheets import names_unmatched
    from kpi.reading import layout

    wb = read_workbook((CORPUS / "xlrd__corrupted_error.xls").read_bytes(), "corrupted_error.xls")
    catalogue = load_catalogue(con, 2024)
    expected = names_unmatched(wb, catalogue)
    classified = []
    real = layout.classify_header
    monkeypatch.setattr(layout, "classify_header", lambda text, *a: classified.append(text) or real(text, *a))
    assert names_unmatched(wb, catalogue) == expected
    texts = sum(1 for s in wb.sheets for row in s.rows[:30] for v in row if isinstance(v, str))
    assert texts > 200
    assert len(classified) < texts / 10


def test_an_award_text_is_matched_once_per_register(con, monkeypatch):
    """A register repeats a few award names over its rows: each distinct text is matched to the
    plan's awards once (it was matched on every row, with the plan's places taken off it)."""
    from kpi.domain import plan

    catalogue = load_catalogue(con, 2024)
    wb = read_workbook((PROJECT / "data" / "samples" / "khen-thuong-2024.xlsx").read_bytes(), "khen-thuong.xlsx")
    catalogue.__dict__.pop("_memo", None)  # what earlier readings remembered
    matched = []
    real = plan.Catalogue._match_award
    monkeypatch.setattr(
        plan.Catalogue, "_match_award", lambda self, text, by_words: matched.append(text) or real(self, text, by_words)
    )
    read = read_awards(wb.sheets[0], catalogue, vocabulary())
    assert len(read.table) > 50
    assert sorted(matched) == sorted(set(matched))
    assert set(read.table["award_written"]) <= set(matched)
