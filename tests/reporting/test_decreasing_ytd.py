"""Two years to date that decrease give no quarter: CT01 (a flow summed over the year) of the
nine months 5.000,0 tỷ đồng, then of the year 3.250,0 — «Thực hiện kỳ» of Q4 would be
3.250,0 − 5.000,0 = −1.750,0, and no figure of the plan can be negative. Every output that shows the
quarter says it cannot be derived and names both figures and their reports; the upload warns
(black-box round 8, finding 1: −1.750,0 tỷ đồng in the annex and the draft)."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from kpi.ingest import ingest
from kpi.output.annex import annex_workbook
from kpi.output.report_draft import draft_document
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report
from kpi.reporting.period_figures import period_figures
from tests.support.apptest import run, texts
from tests.support.cli import kpi
from tests.support.samples import ACTOR
from tests.support.sheets import report_rows, xlsx

NINE_MONTHS = "bao-cao-9-thang-sai.xlsx"
YEAR = "bao-cao-nam-2024.xlsx"
#: What every output says instead of −1.750,0 (the hand-worked 3.250,0 − 5.000,0).
WHY = (
    f"lũy kế cả năm 3.250,0 tỷ đồng ({YEAR}) nhỏ hơn lũy kế 9 tháng 5.000,0 tỷ đồng ({NINE_MONTHS})"
    " — lũy kế không thể giảm"
)


def tcvon(title: str, heads: list[str], quarter: float, to_date: float, report: str) -> bytes:
    """The section's report with CT01's row alone: its quarter and its year to date."""
    return xlsx(
        report_rows(
            title,
            ["STT", "Chỉ tiêu", "ĐVT", *heads],
            [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", quarter, to_date]],
            reference=f"(Kèm theo Báo cáo số {report} của Phòng Tài chính - Kế hoạch)",
        )
    )


def nine_months() -> bytes:
    return tcvon(
        "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 9 THÁNG NĂM 2024",
        ["Thực hiện quý III", "Lũy kế 9 tháng"],
        3600,
        5000,
        "80/BC-TCKH ngày 05/10/2024",
    )


def year_report(to_date: float = 3250) -> bytes:
    return tcvon(
        "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM 2024",
        ["Thực hiện quý IV", "Thực hiện năm 2024"],
        900,
        to_date,
        "120/BC-TCKH ngày 10/01/2025",
    )


def store(con, cfg, data: bytes, name: str):
    prep, committed = ingest(con, data, name, ACTOR, ImportOptions(), cfg)
    assert not prep.refused and committed.status == "active", [i.text() for i in prep.issues]
    return prep


@pytest.fixture
def decreasing(con, cfg):
    store(con, cfg, nine_months(), NINE_MONTHS)
    return con, store(con, cfg, year_report(), YEAR)


def test_the_upload_warns_naming_both_years_to_date(decreasing):
    _con, prep = decreasing
    (warning,) = [i for i in prep.issues if i.code == "ytd_decreases"]
    assert warning.key == "CT01"
    assert warning.message.startswith(
        "«Tổng vốn đầu tư toàn xã hội»: lũy kế cả năm là 3.250,0 tỷ đồng (tệp này, ô E8) nhỏ hơn lũy kế 9 tháng "
        f"là 5.000,0 tỷ đồng ({NINE_MONTHS}, ô E8)."
    ), warning.message
    assert "số của quý IV không tính được" in warning.message


def test_the_quarter_is_not_derived_and_says_why(decreasing):
    con, _prep = decreasing
    row = period_figures(con, 2024, 4).set_index("key").loc["CT01"]
    assert row["quarter_value"] != row["quarter_value"]  # NaN: never −1.750,0
    assert row["not_derived"] == (3250.0, YEAR, 3, 5000.0, NINE_MONTHS)
    assert row["worked_out"] is None


def test_the_annex_and_the_draft_print_no_negative_quarter(decreasing):
    con, _prep = decreasing
    report = attainment_report(con, 2024)
    assert report.as_of == 4
    ws = load_workbook(io.BytesIO(annex_workbook(con, report)))["Phụ lục"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    (ct01,) = [r for r in cells if r[1] == "Tổng vốn đầu tư toàn xã hội"]
    assert ct01[4] == "không tính được" and ct01[5] == 3250
    text = " ".join(str(v) for r in cells for v in r if v is not None)
    assert "-1750" not in text.replace(".", "") and "1.750" not in text
    assert f"Tổng vốn đầu tư toàn xã hội: {WHY}" in text

    doc = draft_document(con, 2024)
    words = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "không tính được" in cells and "1.750" not in words + " ".join(cells)
    assert f"Tổng vốn đầu tư toàn xã hội: {WHY}" in words


def test_report_json_gives_a_null_with_the_reason(decreasing, cfg):
    con, _prep = decreasing
    con.close()
    out = kpi("report", "--year", "2024", "--format", "json", db=cfg.db_path, check=True)
    ct01 = {r["key"]: r for r in json.loads(out.stdout)}["CT01"]
    assert (ct01["actual"], ct01["quarter_value"]) == (3250, None)
    assert ct01["quarter_note"] == f"không tính được: {WHY}"


def test_the_print_view_says_it_cannot_be_derived(decreasing, app_env):
    decreasing[0].close()
    at = run("views/print.py")
    assert not at.exception
    economic = at.table[0].value
    first = [str(v).replace("\\", "") for v in economic.iloc[0]]
    assert first[1:6] == ["Tổng vốn đầu tư toàn xã hội", "tỷ đồng", "3.300,9", "không tính được", "3.250,0"]
    shown = texts(at)
    assert WHY in shown and "1.750" not in shown


def test_the_warning_comes_in_either_order(con, cfg):
    """The year's report first, the nine months after: the same two figures, the new one named «tệp này»."""
    store(con, cfg, year_report(), YEAR)
    prep = store(con, cfg, nine_months(), NINE_MONTHS)
    (warning,) = [i for i in prep.issues if i.code == "ytd_decreases"]
    assert warning.message.startswith(
        "«Tổng vốn đầu tư toàn xã hội»: lũy kế cả năm là 3.250,0 tỷ đồng "
        f"({YEAR}, ô E8) nhỏ hơn lũy kế 9 tháng là 5.000,0 tỷ đồng (tệp này, ô E8)."
    ), warning.message


def test_years_to_date_that_grow_give_the_quarter_and_no_warning(con, cfg):
    """Hand-worked: 5.000,0 then 5.900,0 — the fourth quarter is 900,0, as the year's report wrote."""
    store(con, cfg, nine_months(), NINE_MONTHS)
    prep = store(con, cfg, year_report(to_date=5900), YEAR)
    assert not [i for i in prep.issues if i.code == "ytd_decreases"]
    row = period_figures(con, 2024, 4).set_index("key").loc["CT01"]
    assert (row["quarter_value"], row["not_derived"]) == (900.0, None)
