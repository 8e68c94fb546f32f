"""A sheet's calamine parse and libxml2's check run beside the literal search (issue 17): the
work overlaps, the answers are those of reading one after the other, and a fault is said in
the caller's order."""

from __future__ import annotations

import io
import threading
import zipfile

import openpyxl
import pytest

from kpi.errors import UnreadableFile
from kpi.reading.beside import Beside
from kpi.reading.workbook import read_workbook


def test_the_piece_runs_while_the_caller_goes_on():
    started, released = threading.Event(), threading.Event()

    def piece():
        started.set()
        assert released.wait(timeout=10), "the caller never went on"
        return threading.get_ident()

    job = Beside(piece)
    assert started.wait(timeout=10)  # it started before the caller asked for it
    released.set()  # the caller's own work, done while the piece waits for it
    assert job.result() != threading.get_ident()


def test_its_failure_is_raised_in_the_caller_and_wait_does_not_raise():
    def fails():
        raise UnreadableFile("corrupt", "hỏng")

    job = Beside(fails)
    job.wait()
    with pytest.raises(UnreadableFile) as caught:
        job.result()
    assert caught.value.cause == "corrupt"


def _formula_book(rows: int = 300) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Số", "Gấp đôi"])
    for i in range(1, rows + 1):
        ws.append([i, i * 7, f"=B{i + 1}*2"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _with_sheet(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            part = src.read(item.filename)
            dst.writestr(item, change(part) if item.filename == "xl/worksheets/sheet1.xml" else part)
    return out.getvalue()


def test_a_formula_sheet_read_beside_gives_its_cells_formulas_and_rows():
    wb = read_workbook(_formula_book(), "so-lieu.xlsx", evaluate=False)
    sheet = wb.sheets[0]
    assert sheet.rows[0] == ["STT", "Số", "Gấp đôi"]
    assert sheet.rows[300][:2] == [300.0, 2100.0]
    assert len(sheet.formulas) == 300 and sheet.formulas[(300, 2)] == "B301*2"


def test_a_malformed_formula_sheet_is_refused_as_corrupt_whatever_calamine_says():
    """The end tags are cut: calamine, parsing beside, may fail or not; the clerk is told the part is
    damaged (the scan's fault is said first), not calamine's words."""
    broken = _with_sheet(_formula_book(), lambda xml: xml.replace(b"</sheetData>", b""))
    with pytest.raises(UnreadableFile) as caught:
        read_workbook(broken, "so-lieu.xlsx", evaluate=False)
    assert caught.value.cause == "corrupt"
    assert "xl/worksheets/sheet1.xml" in str(caught.value)
