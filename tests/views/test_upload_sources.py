"""The upload preview's «Xác định từ» of the document date (AppTest, the real page on the test's own
DuckDB file, reports written with openpyxl: ``tests/support/corrections.py``): the file's own words
are said to be a quotation of a cell of the file, so the date read and the line it was read from do
not look like two ways the program writes one date (black-box: «05/04/2024 · xác định từ: dòng
«(Kèm theo Báo cáo số 52/BC-TCKH ngày 05/4/2024…)»»)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.support.apptest import XLSX, run
from tests.support.corrections import report

pytestmark = pytest.mark.usefixtures("app_env", "server_machine")
ANNEX = "(Kèm theo Báo cáo số 52/BC-TCKH ngày 05/4/2024 của Phòng Tài chính - Kế hoạch)"


def _date_line(name: str, data: bytes) -> tuple[str, str]:
    at = run("views/upload.py")
    at.file_uploader(key="up_files").set_value([(name, data, XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    [table] = [t.value for t in at.table if "Xác định từ" in t.value.columns]
    [(value, how)] = table.loc[table["Thông tin"] == "Ngày văn bản", ["Giá trị", "Xác định từ"]].values.tolist()
    return value, how.replace("\\", "")


def test_the_document_date_cites_the_cell_and_quotes_the_files_line():
    assert _date_line("ky.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4)) == (
        "08/04/2024",
        "ô D3 của tệp ghi «Tam Nông, ngày 08 tháng 4 năm 2024»",
    )
    book = openpyxl.load_workbook(io.BytesIO(report("", "", 520.4)))
    sheet = book.active
    sheet["A3"], sheet["D3"] = ANNEX, None
    out = io.BytesIO()
    book.save(out)
    assert _date_line("phu-luc.xlsx", out.getvalue()) == ("05/04/2024", f"ô A3 của tệp ghi «{ANNEX}»")
