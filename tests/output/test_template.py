"""The product's own template: written with dropdowns, filled in like a clerk would, it ingests."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from kpi.ingest import ingest
from kpi.output.template import write_template
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report, report_records
from kpi.storage.catalogue import load_catalogue
from tests.support.ledger import AFTER_Q1
from tests.support.samples import ACTOR, load

# The Q1 sample's figures, typed from its sheet: key → (Thực hiện quý, Lũy kế từ đầu năm).
Q1_FIGURES = {
    "CT01": (520.4, 520.4),
    "CT02": (160.2, 160.2),
    "CT07a": (10.1, 10.1),
    "CT07b": (53.4, 53.4),
    "CT08": (92.8, 92.8),
    "CT09": (17, 17),
    "CT10": (86.9, 86.9),
    "CT11": (100, 100),
}


def _fill(template: bytes, period: str = "Quý I/2024") -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb["Báo cáo"]
    labels = {ws.cell(row=r, column=1).value: r for r in range(1, 15)}
    ws.cell(row=labels["Cơ quan gửi báo cáo:"], column=3, value="Phòng Tài chính - Kế hoạch")
    ws.cell(row=labels["Kỳ báo cáo:"], column=3, value=period)
    ws.cell(row=labels["Ngày báo cáo:"], column=3, value=dt.datetime(2024, 4, 5))
    ws.cell(row=labels["Số văn bản:"], column=3, value="52/BC-TCKH")
    for r in range(1, ws.max_row + 1):
        key = ws.cell(row=r, column=2).value
        if key in Q1_FIGURES:
            quarter, ytd = Q1_FIGURES[key]
            ws.cell(row=r, column=6, value=quarter)
            ws.cell(row=r, column=7, value=ytd)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_template_has_dropdowns_and_every_reported_indicator(con):
    data = write_template(load_catalogue(con, 2024))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Báo cáo"]
    keys = [ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)]
    assert [k for k in keys if k and k.startswith(("CT", "TD"))] == [
        "CT01",
        "CT02",
        "CT03",
        "CT04",
        "CT05a",
        "CT05b",
        "CT06a",
        "CT06b",
        "CT07a",
        "CT07b",
        "CT08",
        "CT09",
        "CT10",
        "CT11",
    ]
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"list", "decimal", "date"} <= kinds
    assert wb["Danh mục"].sheet_state == "hidden"
    assert wb["Danh mục"]["B3"].value == "Quý III/2024"


def test_filled_template_gives_the_q1_report(con, cfg, tmp_path):
    data = _fill(write_template(load_catalogue(con, 2024)))
    prep, committed = ingest(con, data, "mau-da-dien.xlsx", ACTOR, ImportOptions(), cfg)
    assert committed.status == "active"
    assert (prep.year, prep.quarter, prep.sender) == (2024, 1, "Phòng Tài chính - Kế hoạch")
    assert prep.doc_date == dt.date(2024, 4, 5)
    from_template = report_records(attainment_report(con, 2024, 1))
    for row in from_template:
        actual, basis, pct, status = AFTER_Q1[row["key"]]
        assert (row["actual"], row["basis"], row["attainment_pct"], row["status"]) == (actual, basis, pct, status)

    # …and exactly what the Q1 sample gives, in another database.
    from kpi.bootstrap import open_database
    from kpi.config import settings

    other_cfg = settings(db_path=tmp_path / "other.duckdb")
    other = open_database(other_cfg)
    load(other, other_cfg, "q1")
    assert report_records(attainment_report(other, 2024, 1)) == [
        {**r, "source": s["source"]}
        for r, s in zip(from_template, report_records(attainment_report(other, 2024, 1)), strict=True)
    ]


def test_blank_template_is_refused_without_a_period(con, cfg):
    prep = __import__("kpi.ingest", fromlist=["prepare"]).prepare(
        con, write_template(load_catalogue(con, 2024)), "mau.xlsx", ImportOptions(), cfg
    )
    assert prep.refused
    # the empty "Kỳ báo cáo:" line means the period is missing, not that this is a year's report
    assert [i.code for i in prep.errors] == ["no_period"]
    # the form's "(Tên cơ quan báo cáo)" placeholder is not part of the title
    assert (
        dict((k, v) for k, v, _ in prep.inferred)["Tiêu đề"]
        == "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KẾ HOẠCH NĂM 2024"
    )
