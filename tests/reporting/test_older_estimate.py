"""An older year-end estimate beside a newer in-year figure (black-box round 7, finding 6): the
six-month report said «Ước cả năm 94,6 %» for health insurance (target 94,5 %, «Dự kiến vượt»);
the nine-month report then gave 94,0 % («Chậm tiến độ»). The estimate did not know 94,0: from then
on it is history on every output — not the projection, not drawn, not in «Ước cả năm» — and the
outputs name it as no longer used (kpi.domain.estimates.estimate_overtaken).

Worked by hand: CT08 (level, ≥ 94,5): Quý III 94,0 → 94,0 / 94,5 = 99,47 %, behind (a level's
latest figure against the target itself); the projection keeps the latest figure, 94,0 < 94,5
«Dự kiến không đạt». CT10 (level, ≥ 87,84): Quý III 87,20 → 87,20 / 87,84 = 99,27 %, behind;
its six-month estimate 87,90 (≥ 87,84, «Dự kiến vượt») is history too. As of Quý II both
estimates are the newest word on the year and are the projection.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal as D

import duckdb
import openpyxl
import pytest
from docx import Document
from pptx import Presentation

from tests.support.cli import kpi
from tests.support.ledger import report_file

CT08 = "Tỷ lệ dân số tham gia bảo hiểm y tế"
CT10 = "Tỷ lệ thu gom và xử lý chất thải rắn sinh hoạt đô thị và khu dân cư tập trung"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """Three reports of the finance office loaded by the command line, as a clerk would."""
    folder = tmp_path_factory.mktemp("older-estimate")
    files = {
        "quy-1.xlsx": report_file(
            "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ I NĂM 2024",
            ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện Quý I/2024"],
            [[1, CT08, "%", 93.1], [2, CT10, "%", 86.9]],
            "08/4/2024",
            n=11,
        ),
        "6-thang.xlsx": report_file(
            "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 6 THÁNG ĐẦU NĂM 2024",
            ["STT", "Chỉ tiêu", "ĐVT", "Ước TH 6 tháng năm 2024", "Ước TH cả năm 2024"],
            [[1, CT08, "%", 93.6, 94.6], [2, CT10, "%", 86.9, 87.9]],
            "10/7/2024",
            n=22,
        ),
        "9-thang.xlsx": report_file(
            "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 9 THÁNG NĂM 2024",
            ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện 9 tháng năm 2024"],
            [[1, CT08, "%", 94.0], [2, CT10, "%", 87.2]],
            "08/10/2024",
            n=33,
        ),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    path = folder / "kpi.duckdb"
    done = kpi("ingest", *(folder / n for n in files), db=path)
    assert done.returncode == 0, done.stdout + done.stderr
    return path


def test_the_command_line_judges_the_newer_figure(db):
    rows = {r["key"]: r for r in json.loads(kpi("report", "--format", "json", db=db, check=True).stdout)}
    ct08, ct10 = rows["CT08"], rows["CT10"]
    assert (ct08["actual"], ct08["basis"], ct08["period"], ct08["attainment_pct"], ct08["status"]) == (
        94.0,
        "actual",
        "2024-Q3",
        99.47,
        "behind",
    )
    assert (ct10["actual"], ct10["attainment_pct"], ct10["status"]) == (87.2, 99.27, "behind")


def test_the_older_estimate_is_not_the_projection_anywhere(db):
    from kpi.output.annex import write_annex
    from kpi.output.deck import write_deck
    from kpi.output.export import chart_figure
    from kpi.output.report_draft import write_draft
    from kpi.reporting.attainment_report import attainment_report
    from kpi.reporting.period_figures import period_figures
    from kpi.reporting.projection import indicator_projection

    con = duckdb.connect(str(db))
    try:
        # the projection and its words (the group pages' line under each chart, presentation mode)
        p, _ = indicator_projection(con, 2024, "CT08", 3)
        assert (float(p.value), p.method, p.verdict_text, p.overtaken) == (
            94.0,
            "latest",
            "Dự kiến không đạt",
            (D("94.6"), 2),
        )
        assert p.text("%", 1) == (
            "Dự kiến cả năm: 94,0 % (giữ nguyên số mới nhất) — Dự kiến không đạt. "
            "Ước cả năm của báo cáo 6 tháng (94,6 %) không còn dùng: đã có số Quý III"
        )
        p10, _ = indicator_projection(con, 2024, "CT10", 3)
        assert (float(p10.value), p10.verdict_text, p10.overtaken) == (87.2, "Dự kiến không đạt", (D("87.9"), 2))
        # as of Quý II the estimate is the newest word: it is the projection
        q2, _ = indicator_projection(con, 2024, "CT08", 2)
        assert (float(q2.value), q2.method, q2.verdict_text) == (94.6, "reported", "Dự kiến vượt")
        # the chart: no estimate's diamond, no «Dự kiến vượt»
        report = attainment_report(con, 2024, 3)
        names = [str(t.name) for t in chart_figure(con, report, "CT08").data if t.name]
        assert not [n for n in names if "Ước cả năm" in n or "Dự kiến vượt" in n], names
        assert "<b>Dự kiến cả năm: 94,0 — Dự kiến không đạt</b><br>(giữ nguyên số mới nhất)" in names
        # the tables' «Ước cả năm» (annex, print view, draft's annex)
        figures = period_figures(con, 2024, 3).set_index("key")
        assert figures["year_estimate"].isna()[["CT08", "CT10"]].all()
        assert figures.loc["CT08", "overtaken"] == (94.6, 2)
        annex = openpyxl.load_workbook(io.BytesIO(write_annex(con, 2024, 3))).active
        cells = [[c.value for c in row] for row in annex.iter_rows()]
        ct08 = next(r for r in cells if r[1] == CT08)
        assert ct08[3:9] == [94.5, 94.0, 94.0, 99.47, None, "Chậm tiến độ"]
        said = " ".join(str(v) for row in cells for v in row if isinstance(v, str))
        assert f"{CT08} (ước 94,6 %, báo cáo 6 tháng)" in said and f"{CT10} (ước 87,90 %, báo cáo 6 tháng)" in said
        # the deck and the draft never write the estimate as the year's projection
        deck = Presentation(io.BytesIO(write_deck(con, 2024, 3)))
        slides = " ".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
        assert "94,6" not in slides and "Dự kiến vượt" not in slides
        draft = Document(io.BytesIO(write_draft(con, 2024, 3)))
        words = "\n".join(p.text for p in draft.paragraphs)
        words += "\n".join(c.text for t in draft.tables for row in t.rows for c in row.cells)
        assert "Dự kiến vượt" not in words
        assert "94,6 %" not in words.split("để trống")[0]  # named only as the estimate left out
    finally:
        con.close()
