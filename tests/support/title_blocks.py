"""A report's top lines written as an office lays them out, for the tests of what the preview reads
from them (tests/reading/test_report_header.py, test_title_blocks.py): the cells above the table
by reference, the table two rows under the last of them, the workbook read back as an upload is."""

from __future__ import annotations

import io

import openpyxl

from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions

NATION, MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
TITLE = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI QUÝ I NĂM 2024"


def title_block_report(
    top: dict[str, object], table: list[list], *, merges=(), below: dict[tuple[int, int], object] | None = None
) -> bytes:
    """An .xlsx (openpyxl) of one sheet «Bieu»: ``top`` the cells above the table by reference
    («A1»: the sender's block, «D1»: the nation's name …), ``table`` from column A two rows under
    the last of them, ``below`` cells by (rows after the table's end, column), ``merges`` merged."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bieu"
    for ref, value in top.items():
        ws[ref] = value
    start = max(ws[ref].row for ref in top) + 2
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            ws.cell(start + i, 1 + j, value)
    for (offset, column), value in (below or {}).items():
        ws.cell(start + len(table) + offset, column, value)
    for ref in merges:
        ws.merge_cells(ref)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_title_block(con, cfg, top: dict[str, object], *, table: list[list], merges=(), below=None, **options):
    """The preview of :func:`title_block_report` uploaded as «bao-cao.xlsx» (``options``: the
    upload's :class:`ImportOptions`)."""
    data = title_block_report(top, table, merges=merges, below=below)
    return prepare(con, data, "bao-cao.xlsx", ImportOptions(**options), cfg)


def inferred(prep, what: str) -> list[tuple[str, str]]:
    """The preview's (value, how) of each "what I read" line about ``what``."""
    return [(value, how) for w, value, how in prep.inferred if w == what]


def inferred_line(prep, what: str) -> tuple[str, str]:
    """The preview's (value, how) of its one "what I read" line about ``what``."""
    found = inferred(prep, what)
    assert len(found) == 1, prep.inferred
    return found[0]
