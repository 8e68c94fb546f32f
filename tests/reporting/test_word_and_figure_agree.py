"""Issue 14 (black-box finding at year end): the comparison with the target is exact (design.md), so a
figure a hair from its target gets a word the rounded figure would contradict — 99,996 % against a
target of 100 % is «Không đạt», written «100,0» beside «100,00 %». Every output writes such a figure,
and its % KH, with the fewest more decimals that keep it apart from what its word was decided
against (the target, a range's crossed bound, the progress target during the year); every other
figure keeps the one formatter's decimals. Figures worked out by hand from the 2024 plan."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import openpyxl
import pytest
from pptx import Presentation

from kpi.ingest import ingest
from kpi.output import annex, deck
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report, report_records
from kpi.vn import distinct_decimals, format_figure, format_pct
from tests.support.ledger import report
from tests.support.samples import ACTOR

YEAR_END = [
    # CT11 ≥ 100 % (0 decimals): 99,996 is under it — «Không đạt», 99,996 %
    [1, "Tỷ lệ dân cư nông thôn, thành thị được sử dụng nước sạch, nước hợp vệ sinh", "%", 99.996],
    # CT10 ≥ 87,84 %: 87,841 is over it — «Vượt», 87,841 / 87,84 = 100,0011… %
    [2, "Tỷ lệ thu gom và xử lý chất thải rắn sinh hoạt đô thị và khu dân cư tập trung", "%", 87.841],
    # CT03 ≥ 126,8: 126,79 is under it — «Không đạt», 99,99 % (two decimals already tell it apart)
    [3, "Giá trị sản phẩm bình quân trên 1 ha đất canh tác và nuôi trồng thủy sản", "triệu đồng/ha", 126.79],
    # CT01 ≥ 3.300,9: 3.400 written 3.400,0 as always
    [4, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3400],
]


def test_distinct_decimals_by_hand():
    assert distinct_decimals(99.996, 100, 1) == 3  # 100,0 → 100,00 → 99,996
    assert distinct_decimals(87.841, 87.84, 2) == 3
    assert distinct_decimals(126.79, 126.8, 1) == 2
    assert distinct_decimals(100, 100, 1) == 1 and distinct_decimals(2438.3, 2475.7, 1) == 1
    assert distinct_decimals(100.0000001, 100, 2, most=6) == 6  # at most six: a reader sees no more
    assert format_pct(99.996) == "99,996 %" and format_pct(100) == "100,00 %" and format_pct(73.87) == "73,87 %"
    assert format_figure(99.996, "%", 0, 3) == "99,996" and format_figure(3400, "tỷ đồng", 1, 1) == "3.400,0"


@pytest.fixture
def year_end(con, cfg):
    ingest(
        con, report(2024, "NĂM", "Thực hiện năm 2024", YEAR_END, "20/12/2024"), "nam.xlsx", ACTOR, ImportOptions(), cfg
    )
    assert con.execute("SELECT count(*) FROM submissions").fetchall() == [(1,)]
    return con


def test_the_report_table_keeps_the_word_and_the_figure_together(year_end):
    table = attainment_report(year_end, 2024, 4).table.set_index("key")
    rows = {k: table.loc[k] for k in ("CT11", "CT10", "CT03", "CT01")}
    assert [rows[k]["status"] for k in rows] == ["not_met", "exceeded", "not_met", "exceeded"]
    assert [int(rows[k]["shown_decimals"]) for k in rows] == [3, 3, 2, 1]
    assert rows["CT11"]["attainment_pct"] == pytest.approx(99.996)
    assert rows["CT10"]["attainment_pct"] == pytest.approx(100.001)  # 87,841 / 87,84 = 100,00113…
    assert rows["CT03"]["attainment_pct"] == pytest.approx(99.99)  # 126,79 / 126,8 = 99,992…
    # the JSON keeps design.md's contract: two decimals
    records = {r["key"]: r for r in report_records(attainment_report(year_end, 2024, 4))}
    assert records["CT11"]["attainment_pct"] == 100.0 and records["CT11"]["status"] == "not_met"


def test_every_output_writes_them_apart(year_end, tmp_path, cfg):
    rep = attainment_report(year_end, 2024, 4)
    # the annex: the cell holds the figure as reported, shown with the decimals that tell it apart
    book = openpyxl.load_workbook(io.BytesIO(annex.annex_workbook(year_end, rep)))
    ws = book.active
    found = {}
    for row in ws.iter_rows():
        name = str(row[1].value or "")
        for key, start in (("CT11", "Tỷ lệ dân cư nông thôn"), ("CT10", "Tỷ lệ thu gom"), ("CT03", "Giá trị sản phẩm")):
            if name.startswith(start):
                found[key] = (row[5].value, row[5].number_format, row[6].value, row[6].number_format, row[8].value)
                # the year's figure is also the fourth quarter's own: written the same in both columns
                assert row[4].value == row[5].value and row[4].number_format == row[5].number_format, key
    assert set(found) == {"CT11", "CT10", "CT03"}
    assert found["CT11"][0] == pytest.approx(99.996) and found["CT11"][4] == "Không đạt"
    assert found["CT11"][1].removeprefix("[$-42A]").startswith("#,##0.000") and found["CT11"][3].removeprefix(
        "[$-42A]"
    ).startswith("#,##0.000")  # 99,996 · 99,996
    assert found["CT10"][1].removeprefix("[$-42A]").startswith("#,##0.000") and found["CT10"][3].removeprefix(
        "[$-42A]"
    ).startswith("#,##0.000")  # 87,841 · 100,001
    assert found["CT03"][1].removeprefix("[$-42A]").startswith("#,##0.00") and found["CT03"][3].removeprefix(
        "[$-42A]"
    ).startswith("#,##0.00")  # 126,79 · 99,99
    assert found["CT10"][4] == "Vượt"
    # the deck's table
    slides = Presentation(io.BytesIO(deck.deck(year_end, rep)))
    cells = [c.text for s in slides.slides for sh in s.shapes if sh.has_table for r in sh.table.rows for c in r.cells]
    assert "99,996" in cells and "87,841" in cells and "126,79" in cells and "3.400,0" in cells
    assert "100,001" in cells and "99,99" in cells
    assert "100,0" not in cells  # no figure of these reads as its target
    # the command line's table (the database closed first: DuckDB lets one process hold it)
    year_end.close()
    shown = subprocess.run(
        [sys.executable, "-m", "kpi", "report", "--db", str(cfg.db_path), "--quarter", "4"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout
    ct11 = next(line for line in shown.splitlines() if line.lstrip().startswith("CT11"))
    assert "99,996" in ct11 and "Không đạt" in ct11 and "100,0 " not in ct11
    data = json.loads(
        subprocess.run(
            [sys.executable, "-m", "kpi", "report", "--db", str(cfg.db_path), "--quarter", "4", "--format", "json"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        ).stdout
    )
    assert next(r for r in data if r["key"] == "CT10")["status"] == "exceeded"


def test_the_screens_write_them_apart(year_end, app_env):
    from tests.support.apptest import run, summaries

    at = run("app.py")
    at.selectbox(key="kpi_quarter").set_value(4).run()
    [table] = summaries(at)
    assert list(table.loc["CT11", ["Thực hiện", "% KH", "Đánh giá"]]) == ["99,996", "99,996 %", "Không đạt"]
    assert list(table.loc["CT10", ["Thực hiện", "% KH", "Đánh giá"]]) == ["87,841", "100,001 %", "Vượt"]
    assert list(table.loc["CT03", ["Thực hiện", "% KH", "Đánh giá"]]) == ["126,79", "99,99 %", "Không đạt"]
    assert table.loc["CT01", "Thực hiện"] == "3.400,0"
    cards = " ".join(m.value for m in at.markdown)
    cards = cards.replace("\u00a0", " ")  # a no-break space before "%" on the cards
    assert "#### 99,996 %\n\nKế hoạch: 100 % · 99,996 %" in cards
    assert "#### 87,841 %\n\nKế hoạch: 87,84 % · 100,001 %" in cards
