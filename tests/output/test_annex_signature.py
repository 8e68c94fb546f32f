"""The annex (.xlsx) and the draft report (.docx) name the same recipients («Nơi nhận») and the
same signer, from one source: the plan's ``[report]`` table (``data/plans/<year>/plan.toml``),
else ``data/report_draft.toml`` ``[document]``. The annex wrote «- Như trên; - Lưu: VT.» and
«(Ký, ghi rõ họ tên, đóng dấu)» of its own, beside a draft that listed seven recipients and the
chairman's name. Both files are produced and read back here."""

from __future__ import annotations

import datetime as dt
import io
import tomllib

import openpyxl
from docx import Document

from kpi.config import DATA_DIR
from kpi.output.annex import write_annex
from kpi.output.report_draft import write_draft

LABEL = "Nơi nhận:"


def annex_signature(data: bytes) -> tuple[list[str], list[str]]:
    """The annex's recipients (column A under «Nơi nhận:») and signer lines (columns F–I from that row)."""
    ws = openpyxl.load_workbook(io.BytesIO(data))["Phụ lục"]
    [start] = [c.row for c in ws["A"] if c.value == LABEL]
    recipients, signer = [], []
    for r in range(start + 1, ws.max_row + 1):
        if not ws[f"A{r}"].value:
            break
        recipients.append(ws[f"A{r}"].value)
    for r in range(start, ws.max_row + 1):
        if ws[f"F{r}"].value:
            signer.append(ws[f"F{r}"].value)
    return recipients, signer


def draft_signature(data: bytes) -> tuple[list[str], list[str]]:
    """The draft's recipients (the signature table's left cell under «Nơi nhận:») and signer lines (its right cell)."""
    doc = Document(io.BytesIO(data))
    [table] = [t for t in doc.tables if t.rows[0].cells[0].paragraphs[0].text == LABEL]
    left, right = table.rows[0].cells
    return [p.text for p in left.paragraphs[1:] if p.text], [p.text for p in right.paragraphs if p.text]


def test_the_annex_and_the_draft_name_the_plans_recipients_and_signer(loaded):
    plan = tomllib.loads((DATA_DIR / "plans" / "2024" / "plan.toml").read_text(encoding="utf-8"))["report"]
    annex = annex_signature(write_annex(loaded, 2024, 3))
    draft = draft_signature(write_draft(loaded, 2024, 3, today=dt.date(2024, 10, 15)))
    assert annex == draft
    assert annex[0] == plan["recipients"] and annex[0][0] == "- Ban TĐKT tỉnh (B/c);"
    assert annex[1] == [plan["signer_for"], plan["signer_title"], plan["signer_name"]]
    assert annex[1] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Quách Hải Lý"]


def test_an_office_that_edits_its_plans_report_table_changes_both_files(loaded, tmp_path):
    """Another data folder whose plan.toml says other recipients and another signer: both files say them."""
    (tmp_path / "plans" / "2024").mkdir(parents=True)
    (tmp_path / "plans" / "2024" / "plan.toml").write_text(
        '[report]\ncode = "BC-UBND"\nrecipients = ["- Sở Nội vụ (B/c);", "- Các xã, thị trấn;", "- Lưu: VT."]\n'
        'signer_for = "KT. CHỦ TỊCH"\nsigner_title = "PHÓ CHỦ TỊCH"\nsigner_name = "Nguyễn Văn Bình"\n',
        encoding="utf-8",
    )
    annex = annex_signature(write_annex(loaded, 2024, 3, data_dir=tmp_path))
    draft = draft_signature(write_draft(loaded, 2024, 3, today=dt.date(2024, 10, 15), data_dir=tmp_path))
    assert (
        annex
        == draft
        == (
            ["- Sở Nội vụ (B/c);", "- Các xã, thị trấn;", "- Lưu: VT."],
            ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Bình"],
        )
    )


def test_each_note_under_the_table_is_given_the_lines_it_needs(loaded):
    """The notes under the table were each 30 pt high, two lines of Times New Roman 11: the third,
    the figures' own note, was cut in LibreOffice's rendering (s13 helper). Each note row is now as
    high as its text's lines across the nine merged columns (≈ 196 characters a line)."""
    ws = openpyxl.load_workbook(io.BytesIO(write_annex(loaded, 2024, 3)))["Phụ lục"]
    [header] = [c.row for c in ws["A"] if c.value == "STT"]
    notes = [
        (m.min_row, ws.cell(m.min_row, 1).value)
        for m in ws.merged_cells.ranges
        if m.min_col == 1 and m.max_col == 9 and m.min_row == m.max_row > header and ws.cell(m.min_row, 1).font.i
    ]
    assert len(notes) >= 3, notes
    longest = max(len(text) for _row, text in notes)
    assert longest > 2 * 196  # a note of three lines or more: the one a fixed height cut
    for row, text in notes:
        lines = -(-len(text) // 196)
        assert (ws.row_dimensions[row].height or 0) >= 15.75 * lines * 11 / 12, (row, text)
