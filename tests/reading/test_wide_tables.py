"""Tables laid out unlike a district report (issue 17's big sheet, a black-box finding): a column
«Đơn vị» naming each row's commune beside the «ĐVT» column, and thousands of rows refused for one
reason — read as a clerk would, and said in a few lines, not one per row."""

from __future__ import annotations

import pytest

from kpi.errors import FileRefused
from kpi.ingest import ingest, prepare
from kpi.reading.report_sheets import ImportOptions
from tests.support.ledger import stored
from tests.support.samples import ACTOR
from tests.support.sheets import report_rows, xlsx

CT02 = "Tổng thu ngân sách nhà nước"
POOR = "Tỷ lệ hộ nghèo"


def _report(header: list[str], body: list[list]) -> bytes:
    return xlsx(report_rows("BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU QUÝ I NĂM 2024", header, body))


@pytest.mark.parametrize(
    "header",
    [
        ["STT", "Đơn vị", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Đơn vị", "Thực hiện quý I"],
        ["STT", "ĐV", "Chỉ tiêu", "Đ.V.T", "Thực hiện quý I"],
    ],
    ids=["don-vi-first", "don-vi-after", "short-forms"],
)
def test_a_bare_don_vi_beside_dvt_is_not_the_unit_of_measure(con, cfg, header):
    """«Đơn vị» may name the reporting unit; beside «ĐVT» it does: the figure is read in the ĐVT
    column's unit. Before, «Xã Hiền Quan» was taken for a unit of measure and the row refused."""
    unit_col, commune_col = (3, 1) if header[1] in ("Đơn vị", "ĐV") else (2, 3)
    row = [1, "", "", "", 520.4]
    row[header.index("Chỉ tiêu")] = CT02
    row[unit_col], row[commune_col] = "Tỷ đồng", "Phòng Tài chính - Kế hoạch"
    prep, committed = ingest(con, _report(header, [row]), "bao-cao.xlsx", ACTOR, ImportOptions(), cfg)
    assert committed.status == "active"
    assert not [i for i in prep.issues if i.code == "unit_mismatch"]
    assert stored(con, "CT02", "quarter") == pytest.approx(520.4)


def test_a_lone_don_vi_column_is_still_the_unit_of_measure(con, cfg):
    """Many reports write the unit column «Đơn vị» alone: with no «ĐVT» beside it, it is the unit."""
    body = [[1, CT02, "Tỷ đồng", 520.4]]
    prep, committed = ingest(
        con, _report(["STT", "Chỉ tiêu", "Đơn vị", "Thực hiện quý I"], body), "b.xlsx", ACTOR, ImportOptions(), cfg
    )
    assert committed.status == "active"
    assert stored(con, "CT02", "quarter") == pytest.approx(520.4)


def test_thousands_of_rows_refused_for_one_reason_are_said_in_one_line(con, cfg):
    """2,000 rows of a share written in «Tỷ đồng»: one line says how many cells, which, and two
    examples — on the command line's refusal and on the upload page's — not 2,000 lines."""
    body = [[n, POOR if n % 2 else CT02, "Tỷ đồng", 1.5] for n in range(1, 2001)]
    data = _report(["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"], body)
    with pytest.raises(FileRefused) as refused:
        ingest(con, data, "nhieu-dong.xlsx", ACTOR, ImportOptions(), cfg)
    said = str(refused.value).splitlines()
    assert len(said) < 10, said[:12]
    folded = [line for line in said if "ô ở cột C" in line]
    assert len(folded) == 1 and folded[0].startswith("  - [trang «Sheet1»] 1.000 ô ở cột C (C8")
    assert "có cùng một lỗi, ví dụ ô C8: Đơn vị «Tỷ đồng» của «Tỷ lệ hộ nghèo»" in folded[0]
    assert len(refused.value.issues) > 1000  # each refused cell is still an issue of its own
    from kpi.reading.notes import folded_notes

    page = [n.text for n in folded_notes(prepare(con, data, "nhieu-dong.xlsx", ImportOptions(), cfg).refusal_issues)]
    assert len(page) == len(said) - 1
    # the audit log keeps the lines the clerk was told, the count with them, not the first rows' lines
    (logged,) = con.execute("SELECT detail FROM audit_log WHERE action = 'refuse'").fetchone()
    assert "1.000 ô ở cột C (C8" in logged and "có cùng một lỗi" in logged
    assert logged.count("Đơn vị «Tỷ đồng»") == 2  # the two examples of the folded line
