"""The meaning of figures (issue 5): year to date vs quarter amounts, vintages, provenance,
validation, completeness, unknown layouts, per-commune files, rebuild."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest

from kpi.errors import FileRefused
from kpi.ingest import ingest, prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.reading.workbook import col_letter
from kpi.reporting.attainment_report import attainment_report, report_records, unit_figures
from kpi.reporting.completeness import completeness
from kpi.storage.catalogue import load_catalogue
from kpi.storage.figures import current_figures, figure_history, figure_subjects, subjects_text
from tests.support.ledger import CT01, report_file
from tests.support.samples import ACTOR, load
from tests.support.sheets import report_rows, xlsx

DISTRICT = "UBND huyện Tam Nông"
CT02 = "Tổng thu ngân sách nhà nước"


def put(con, cfg, data: bytes, name: str, **options):
    prep, committed = ingest(con, data, name, ACTOR, ImportOptions(**options), cfg)
    return prep, committed


def verdict(con, key, quarter=None):
    return attainment_report(con, 2024, quarter).table.set_index("key").loc[key]


# 1. Year to date vs quarter amounts ------------------------------------------------------------------

Q1_ONLY_QUARTER = (
    "q1.xlsx",
    report_file(
        "BÁO CÁO QUÝ I NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
        [[1, CT01, "Tỷ đồng", 520.4], [2, CT02, "Tỷ đồng", 160.2]],
        "05/4/2024",
    ),
)
NINE_MONTHS_YTD = (
    "9t.xlsx",
    report_file(
        "BÁO CÁO 9 THÁNG NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Lũy kế 9 tháng"],
        [[1, CT01, "Tỷ đồng", 2438.3], [2, CT02, "Tỷ đồng", 566.5]],
        "05/10/2024",
        2,
    ),
)
YEAR_REPORT = (
    "nam.xlsx",
    report_file(
        "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2024"],
        [[1, CT01, "Tỷ đồng", 3300.94], [2, CT02, "Tỷ đồng", 790.0]],
        "10/01/2025",
        3,
    ),
)


@pytest.mark.parametrize("order", list(itertools.permutations([Q1_ONLY_QUARTER, NINE_MONTHS_YTD, YEAR_REPORT])))
def test_quarter_amounts_and_years_to_date_never_double_count(con, cfg, order):
    for name, data in order:
        put(con, cfg, data, name)
    q3 = verdict(con, "CT01", 3)
    assert (q3["actual"], q3["status"]) == (pytest.approx(2438.3), "behind")  # not 520.4 + 2438.3
    q1 = verdict(con, "CT01", 1)
    assert q1["actual"] == pytest.approx(520.4)
    year = verdict(con, "CT01")
    assert (year["actual"], year["status"], year["final"], year["period"]) == (
        pytest.approx(3300.94),
        "exceeded",  # 3.300,94 > 3.300,9 compared exactly (design.md, December 2026)
        True,
        "2024-Q4",
    )
    assert verdict(con, "CT02")["status"] == "not_met"  # 790 < 805, final at year end


def test_a_year_to_date_that_disagrees_with_earlier_quarters_is_warned_in_any_order(con, cfg):
    six = report_file(
        "BÁO CÁO 6 THÁNG ĐẦU NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Lũy kế 6 tháng"],
        [[1, CT01, "Tỷ đồng", 1426.0]],
        "01/7/2024",
        4,
    )
    nine = report_file(
        "BÁO CÁO 9 THÁNG NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý III", "Lũy kế 9 tháng"],
        [[1, CT01, "Tỷ đồng", 1012.3, 2400.0]],
        "01/10/2024",
        5,
    )
    put(con, cfg, six, "6t.xlsx")
    prep, _ = put(con, cfg, nine, "9t.xlsx")
    [warning] = [i for i in prep.warnings if i.code == "ytd_disagrees"]
    # every figure as every output writes it (black-box: «1.426» beside «1.012,3» in one line)
    assert "2.400,0" in warning.message and "1.426,0" in warning.message and "1.012,3" in warning.message
    assert "2.438,3" in warning.message  # what the earlier quarters add up to
    # …and the other way round: the six-month report arriving after the nine-month one.
    from kpi.bootstrap import open_database
    from kpi.config import settings

    other_cfg = settings(db_path=cfg.db_path.with_name("other.duckdb"))
    other = open_database(other_cfg)
    put(other, other_cfg, nine, "9t.xlsx")
    prep, _ = put(other, other_cfg, six, "6t.xlsx")
    assert any(i.code == "ytd_disagrees" for i in prep.warnings)
    assert verdict(other, "CT01")["actual"] == pytest.approx(2400.0)  # the year to date is used


def test_samples_raise_no_consistency_warning(con, cfg):
    for name in ("q1", "h1", "q3"):
        prep, _ = ingest(
            con,
            __import__("tests.support.samples", fromlist=["sample_bytes"]).sample_bytes(name),
            name,
            ACTOR,
            ImportOptions(),
            cfg,
        )
        assert not [i for i in prep.warnings if i.code in ("ytd_disagrees", "far_from_previous")], name


# 3. Vintages ------------------------------------------------------------------------------------------


def test_estimate_then_preliminary_then_official(con, cfg):
    header = ["STT", "Chỉ tiêu", "ĐVT", "{} 6 tháng năm 2024"]
    files = [
        ("uoc.xlsx", "Ước TH", 1400.0, "20/6/2024"),
        ("so-bo.xlsx", "Sơ bộ", 1420.0, "05/7/2024"),
        ("chinh-thuc.xlsx", "Thực hiện", 1426.0, "20/7/2024"),
    ]
    for i, (name, word, value, date) in enumerate(files):
        data = report_file(
            "BÁO CÁO 6 THÁNG ĐẦU NĂM 2024",
            [*header[:3], header[3].format(word)],
            [[1, CT01, "Tỷ đồng", value]],
            date,
            10 + i,
            sender="CHI CỤC THỐNG KÊ KHU VỰC",
        )
        put(con, cfg, data, name)
        row = verdict(con, "CT01")
        assert row["actual"] == pytest.approx(value)
        assert row["vintage"] == ("estimate", "preliminary", "official")[i]
        assert row["basis"] == ("estimate", "actual", "actual")[i]
    history = figure_history(con, 2024, "CT01", DISTRICT)
    assert list(history["value"]) == [1400.0, 1420.0, 1426.0]  # the earlier vintages are kept
    assert list(history["vintage"]) == ["estimate", "preliminary", "official"]


def test_a_later_vintage_wins_across_senders(con, cfg):
    est = report_file(
        "BÁO CÁO 6 THÁNG ĐẦU NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Ước TH 6 tháng năm 2024"],
        [[1, CT01, "Tỷ đồng", 1400.0]],
        "25/7/2024",
        20,
        sender="PHÒNG TÀI CHÍNH - KẾ HOẠCH",
    )
    off = report_file(
        "BÁO CÁO 6 THÁNG ĐẦU NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện 6 tháng năm 2024"],
        [[1, CT01, "Tỷ đồng", 1426.0]],
        "10/7/2024",
        21,
        sender="CHI CỤC THỐNG KÊ KHU VỰC",
    )
    put(con, cfg, off, "ck.xlsx")
    put(con, cfg, est, "tckh.xlsx")  # newer document, but only an estimate
    assert verdict(con, "CT01")["actual"] == pytest.approx(1426.0)


# 4. Provenance -----------------------------------------------------------------------------------------


def test_every_judged_figure_knows_where_it_came_from(loaded):
    table = attainment_report(loaded, 2024).table.set_index("key")
    row = table.loc["CT08"]
    assert (row["file_name"], row["sheet"], row["cell"]) == ("bao-cao-9-thang-2024.ods", "Quy III", "F20")
    assert row["uploaded_by"] == ACTOR and row["uploaded_at"] is not None
    assert row["source"] == "bao-cao-9-thang-2024.ods, trang «Quy III», ô F20"
    derived = table.loc["CT03"]
    assert derived["source"] == "bao-cao-6-thang-2024.xls, trang «6 thang», ô G11"


# 5. Validation rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,unit,value,code,severity,cell",
    [
        ("Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 104.5, "share_over_100", "error", "D8"),
        (CT02, "Tỷ đồng", -5, "negative", "error", "D8"),
        ("Số khu dân cư đạt khu nông thôn mới kiểu mẫu", "Khu", 17.5, "not_whole", "error", "D8"),
    ],
)
def test_validation_errors_refuse_the_file(con, cfg, name, unit, value, code, severity, cell):
    data = report_file(
        "BÁO CÁO QUÝ I NĂM 2024", ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"], [[1, name, unit, value]], "05/4/2024"
    )
    prep = prepare(con, data, "x.xlsx", ImportOptions(), cfg)
    assert [(i.code, i.severity, i.cell) for i in prep.errors] == [(code, severity, cell)]
    with pytest.raises(FileRefused):
        put(con, cfg, data, "x.xlsx")
    assert con.execute("SELECT count(*) FROM observations").fetchall()[0][0] == 0


@pytest.mark.parametrize(
    "cell_value",
    [1e31, 1e15, "1234567890123456789012345678901234567890", "1" + "0" * 400],
    ids=["1e31", "1e15", "40-digit-text", "401-digit-text"],
)
def test_a_figure_too_large_for_any_plan_is_refused_and_shown_in_full(con, cfg, cell_value):
    # 10^15 and up: no plan's figure is that large, and a DOUBLE would no longer hold it exactly.
    data = report_file(
        "BÁO CÁO QUÝ I NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
        [[1, CT01, "Tỷ đồng", cell_value]],
        "05/4/2024",
    )
    prep = prepare(con, data, "x.xlsx", ImportOptions(), cfg)
    [error] = prep.errors
    assert (error.code, error.cell) == ("too_large", "D8")
    assert "1.000.000.000.000.000" in error.message  # the limit, written vi-VN
    if cell_value == "1234567890123456789012345678901234567890":
        assert "(1234567890123456789012345678901234567890 tỷ đồng)" in error.message  # as written, not rounded
    with pytest.raises(FileRefused):
        put(con, cfg, data, "x.xlsx")
    assert con.execute("SELECT count(*) FROM observations").fetchall()[0][0] == 0


def test_just_below_the_limit_is_held_only_for_its_scale(con, cfg):
    data = report_file(
        "BÁO CÁO QUÝ I NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
        [[1, CT01, "Tỷ đồng", 999_999_999_999_999]],
        "05/4/2024",
    )
    prep = prepare(con, data, "x.xlsx", ImportOptions(), cfg)
    assert [i.code for i in prep.errors] == ["scale_unclear"] and prep.awaiting_decision
    prep = prepare(con, data, "x.xlsx", ImportOptions(scale="as_written"), cfg)
    assert not prep.errors and [i.code for i in prep.warnings] == ["scale"]


def test_a_fault_of_ours_while_reading_is_a_logged_refusal_not_a_crash(con, cfg, monkeypatch, caplog):
    # Any bug past the reader (here: the figure rules fail) must reach the clerk as a refusal.
    import kpi.ingest

    def broken_rules(*_args, **_kwargs):
        raise ZeroDivisionError("a bug of ours")

    monkeypatch.setattr(kpi.ingest, "check_figures", broken_rules)
    data = Q1_ONLY_QUARTER[1]
    with caplog.at_level("ERROR", logger="kpi.ingest"):
        prep = prepare(con, data, "q1.xlsx", ImportOptions(), cfg)
    [error] = prep.errors
    assert error.code == "internal_error" and prep.sha256[:8] in error.message
    assert "ZeroDivisionError" in error.message and "không được lưu" in error.message
    assert "ZeroDivisionError: a bug of ours" in caplog.text  # the traceback is in the server log
    with pytest.raises(FileRefused):
        put(con, cfg, data, "q1.xlsx")
    assert con.execute("SELECT count(*) FROM observations").fetchall()[0][0] == 0


def test_every_refusal_of_a_file_is_listed_at_once(con, cfg):
    # a cell that is no number does not hide the figures' own errors: one round of fixing
    data = report_file(
        "BÁO CÁO QUÝ I NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
        [
            [1, CT01, "Tỷ đồng", -5],
            [2, CT02, "Tỷ đồng", "khoảng 90"],
            [3, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 250],
        ],
        "05/4/2024",
    )
    prep = prepare(con, data, "x.xlsx", ImportOptions(), cfg)
    assert sorted((e.code, e.cell) for e in prep.errors) == [
        ("negative", "D8"),
        ("not_a_number", "D9"),
        ("share_over_100", "D10"),
    ]


def test_first_quarter_amount_and_year_to_date_must_agree_in_one_file(con, cfg):
    data = report_file(
        "BÁO CÁO QUÝ I NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I", "Lũy kế quý I"],
        [[1, CT01, "Tỷ đồng", 520.4, 600], [2, CT02, "Tỷ đồng", 160.2, 160.2]],
        "05/4/2024",
    )
    prep = prepare(con, data, "q1.xlsx", ImportOptions(), cfg)
    [warning] = [i for i in prep.warnings if i.code == "ytd_disagrees"]
    assert warning.key == "CT01" and "lũy kế quý I là 600,0" in warning.message and "520,4" in warning.message
    assert not prep.refused  # a warning: stored, the year to date is used
    _prep, committed = put(con, cfg, data, "q1.xlsx")
    assert verdict(con, "CT01")["actual"] == pytest.approx(600)


def test_plan_differs_and_far_from_previous_are_warnings_stored_with_the_figure(con, cfg):
    q1 = report_file(
        "BÁO CÁO QUÝ I NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện quý I"],
        [[1, CT02, "Tỷ đồng", 850, 160.2], [2, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94.5, 92.8]],
        "05/4/2024",
    )
    prep, committed = put(con, cfg, q1, "q1.xlsx")
    [plan] = [i for i in prep.warnings if i.code == "plan_differs"]
    assert plan.cell == "D8" and "850" in plan.message and "805" in plan.message
    q2 = report_file(
        "BÁO CÁO QUÝ II NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý II"],
        [[2, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 29.3]],
        "05/7/2024",
        2,
    )
    prep2, committed2 = put(con, cfg, q2, "q2.xlsx")
    [far] = [i for i in prep2.warnings if i.code == "far_from_previous"]
    assert far.cell == "D8" and "92,8" in far.message
    stored = con.execute(
        "SELECT submission_id, code, cell FROM issues WHERE severity = 'warning' ORDER BY 1"
    ).fetchall()
    assert (committed.submission_id, "plan_differs", "D8") in stored
    assert (committed2.submission_id, "far_from_previous", "D8") in stored


# 6. Completeness ----------------------------------------------------------------------------------------


def test_completeness_from_senders_and_subjects(loaded, tmp_path):
    # A plan without obligations.csv (tmp_path holds none): the units that have reported before owe.
    frame = completeness(loaded, 2024, today=dt.date(2024, 11, 20), data_dir=tmp_path)
    status = {(u, p): s for u, p, s in zip(frame["unit"], frame["period"], frame["status"], strict=True)}
    assert status[("Phòng Tài chính - Kế hoạch", "2024-Q1")] == "reported"  # the Q1 report's sender
    assert status[("Chi cục Thống kê khu vực", "2024-Q3")] == "reported"
    assert status[("Chi cục Thống kê khu vực", "2024-Q1")] == "late"  # due 15/4, it sent nothing for Q1
    assert status[(DISTRICT, "2024-Q2")] == "reported"  # subject of all three, sender of the six-month one
    assert status[(DISTRICT, "2024-Q4")] == "not_due"  # due 15/1/2025
    # a commune that never reported owes nothing: not listed (issue 14, item 9)
    assert set(frame["unit"]) == {DISTRICT, "Phòng Tài chính - Kế hoạch", "Chi cục Thống kê khu vực"}
    assert set(frame.columns) >= {"unit", "block", "period", "status"}


def test_completeness_counts_only_the_units_the_plan_says_owe(loaded):
    """data/plans/2024/obligations.csv: the plan's targets are the district's figures, owed every
    quarter; no commune or office is named as reporting, so none is late (it was: 30 units × Q1–Q3)."""
    frame = completeness(loaded, 2024, today=dt.date(2024, 11, 20))
    assert list(zip(frame["unit"], frame["period"], frame["status"], strict=True)) == [
        (DISTRICT, "2024-Q1", "reported"),
        (DISTRICT, "2024-Q2", "reported"),
        (DISTRICT, "2024-Q3", "reported"),
        (DISTRICT, "2024-Q4", "not_due"),
    ]
    assert frame["indicators"].iloc[0].startswith("CT01, CT02") and "TD01" not in frame["indicators"].iloc[0]


def test_obligations_file_mistakes_are_named(loaded, tmp_path):
    from kpi.errors import PlanError
    from kpi.reporting.obligations import obligations

    folder = tmp_path / "plans" / "2024"
    folder.mkdir(parents=True)
    (folder / "obligations.csv").write_text(
        "unit,indicators,periods\nXã Hiền Quan,CT01 social,Q1-Q2\nXã Không Có,CT01,Q5\n", encoding="utf-8"
    )
    with pytest.raises(PlanError) as caught:
        obligations(loaded, 2024, tmp_path)
    assert "dòng 3: đơn vị «Xã Không Có» không có trong danh sách đơn vị" in caught.value.message_vi
    (folder / "obligations.csv").write_text(
        "unit,indicators,periods\nXã Hiền Quan,CT01 social,Q1-Q2\n", encoding="utf-8"
    )
    owed = obligations(loaded, 2024, tmp_path)
    assert owed.quarters_of("Xã Hiền Quan") == (1, 2) and owed.keys_of("Xã Hiền Quan")[:2] == ("CT01", "CT04")
    # the group by its name, the lone key by itself (black-box: «14 chỉ tiêu (CT01…CT11)» hid which)
    assert "Xã Hiền Quan — nhóm Xã hội (9 chỉ tiêu) và chỉ tiêu CT01, quý I, II" in owed.rule  # CT04, CT05a … CT09
    frame = completeness(loaded, 2024, today=dt.date(2024, 11, 20), owed=owed)
    assert list(zip(frame["unit"], frame["period"], frame["status"], strict=True)) == [
        ("Xã Hiền Quan", "2024-Q1", "late"),
        ("Xã Hiền Quan", "2024-Q2", "late"),
    ]


def test_completeness_command_line(loaded, cfg):
    from tests.support.cli import kpi

    loaded.close()
    done = kpi("report", "--completeness", "--format", "json", db=cfg.db_path, check=True)
    rows = json.loads(done.stdout)
    # only the unit that owes (the district, data/plans/2024/obligations.csv), each quarter; said on stderr
    assert [(r["unit"], r["period"]) for r in rows] == [(DISTRICT, f"2024-Q{q}") for q in range(1, 5)]
    assert {"unit", "block", "period", "status"} <= rows[0].keys()
    assert {r["status"] for r in rows} <= {"reported", "late", "not_due"}
    assert "Chỉ tính các đơn vị phải báo cáo theo kế hoạch năm 2024" in done.stderr
    table = kpi("report", "--completeness", db=cfg.db_path, check=True)
    assert "Đơn vị không phải báo cáo chỉ tiêu nào thì không được liệt kê" in table.stdout


# 7. Unknown layouts -------------------------------------------------------------------------------------

ODD = [
    ["Số liệu tổng hợp quý I năm 2024"],
    [],
    ["Mục", "Giá trị A", "Giá trị B", "Loại"],
    [CT01, 520.4, 520.4, "Tỷ đồng"],
    [CT02, 160.2, 160.2, "Tỷ đồng"],
]
MAPPING = {
    "header_row": 3,
    "name": "A",
    "unit": "D",
    "values": {"B": {"kind": "quarter", "quarter": 1}, "C": {"kind": "ytd", "quarter": 1}},
}


#: Indicators as columns, periods as rows (round 9): no column of names for the layout form to take.
ACROSS = [
    ["UBND XÃ HIỀN QUAN"],
    ["Số liệu quý I năm 2024"],
    ["Kỳ", CT01, CT02, "Tỷ lệ hộ nghèo"],
    ["Kế hoạch năm 2024", 3300.9, 805, 1.9],
    ["Thực hiện Quý I/2024", 600, 180.2, 1.9],
]


@pytest.mark.parametrize("start", [0, 3], ids=["from-A", "from-D"])
def test_a_table_of_indicators_as_columns_is_refused_with_the_way_to_turn_it(con, cfg, start):
    data = xlsx([[None] * start + row for row in ACROSS])
    prep = prepare(con, data, "ngang.xlsx", ImportOptions(), cfg)
    first, last = col_letter(start + 1), col_letter(start + 3)
    assert [(e.code, e.cell) for e in prep.errors] == [("indicators_across", f"{first}3")]
    said = prep.errors[0].message
    assert f"nằm trên cùng một dòng (các ô {first}3:{last}3" in said and "Chuyển vị" in said
    assert "Khai báo bố cục bảng" not in said  # its form asks for a column of names the file has not
    with pytest.raises(FileRefused):
        ingest(con, data, "ngang.xlsx", ACTOR, ImportOptions(), cfg)
    assert con.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0


def test_an_unknown_layout_is_read_through_a_mapping_remembered_for_next_time(con, cfg):
    data = xlsx(ODD)
    prep = prepare(con, data, "la.xlsx", ImportOptions(), cfg)
    # the plan's names are there, the columns' meaning is not: the message says so, and where
    assert [(e.code, e.cell) for e in prep.errors] == [("no_value_columns", "A4")]
    assert "Khai báo bố cục bảng" in prep.errors[0].message
    assert prep.previews["Sheet1"][2][:3] == ["Mục", "Giá trị A", "Giá trị B"]
    assert prep.previews["Sheet1"][3][:2] == [CT01, "520,4"]  # numbers shown vi-VN
    # the form starts from a guess: names in A under the header of row 3, units in D ("Tỷ đồng"
    # cells under a header "Loại"), numbers in B and C read as the reader reads "Giá trị …"
    # (the report period's amount); the clerk corrects what the guess gets wrong
    assert prep.suggestions["Sheet1"] == {
        "header_row": 3,
        "name": "A",
        "unit": "D",
        "values": {"B": {"kind": "quarter", "quarter": None}, "C": {"kind": "quarter", "quarter": None}},
    }
    prep, committed = put(con, cfg, data, "la.xlsx", mapping=MAPPING, sheet="Sheet1")
    assert committed.status == "active" and (prep.year, prep.quarter) == (2024, 1)
    assert verdict(con, "CT02", 1)["actual"] == pytest.approx(160.2)
    # Next quarter, same template, no mapping given: the remembered one is used.
    next_file = xlsx(
        [
            ["Số liệu tổng hợp quý II năm 2024"],
            [],
            ["Mục", "Giá trị A", "Giá trị B", "Loại"],
            [CT01, 905.6, 1426.0, "Tỷ đồng"],
        ]
    )
    prep2, committed2 = put(con, cfg, next_file, "la-q2.xlsx", period="2024-Q2")
    assert committed2.status == "active", [i.text() for i in prep2.issues]
    assert any("bố cục đã khai báo" in n for n in prep2.notes)
    assert verdict(con, "CT01", 2)["actual"] == pytest.approx(1426.0)
    logged = [json.loads(o) for (o,) in con.execute("SELECT options FROM import_log ORDER BY seq").fetchall()]
    assert logged[0]["mapping"] == MAPPING and logged[1]["mapping"]["values"]["C"]["kind"] == "ytd"


def test_rebuild_reproduces_a_mapped_import(con, cfg):
    from kpi.bootstrap import open_database
    from kpi.rebuild import rebuild

    put(con, cfg, xlsx(ODD), "la.xlsx", mapping=MAPPING, sheet="Sheet1")
    load(con, cfg, "q3", "awards")
    before = report_records(attainment_report(con, 2024))
    con.close()
    result = rebuild(cfg, ACTOR)
    assert result.replayed == 3 and not result.missing
    again = open_database(cfg)
    assert report_records(attainment_report(again, 2024)) == before
    again.close()


# 8. Per-commune files -----------------------------------------------------------------------------------


def commune_counts(counts: dict[str, int]) -> bytes:
    """A Q1 file of CT09 (khu dân cư kiểu mẫu) in a block of columns per commune."""
    top, sub, row = ["STT", "Chỉ tiêu", "ĐVT"], ["", "", ""], [1, "Số khu dân cư đạt khu nông thôn mới kiểu mẫu", "Khu"]
    for unit, count in counts.items():
        top += [unit, ""]
        sub += ["Thực hiện quý I", "Lũy kế"]
        row += [count, count]
    rows = [["UBND HUYỆN TAM NÔNG"], [], ["TỔNG HỢP CHỈ TIÊU QUÝ I NĂM 2024 THEO XÃ, THỊ TRẤN"], [], top, sub, row]
    merges = [f"{col_letter(3 + 2 * i)}5:{col_letter(4 + 2 * i)}5" for i in range(len(counts))]
    return xlsx(rows, merges=merges)


def per_commune(with_district: bool, district_value: float = 5) -> bytes:
    blocks = (["Toàn huyện"] if with_district else []) + ["Xã Hiền Quan", "Xã Tề Lễ", "Thị trấn Hưng Hóa"]
    top = ["STT", "Chỉ tiêu", "ĐVT"]
    sub = ["", "", ""]
    for b in blocks:
        top += [b, ""]
        sub += ["Thực hiện quý I", "Lũy kế"]
    values = {
        "Toàn huyện": (district_value, district_value),
        "Xã Hiền Quan": (2, 2),
        "Xã Tề Lễ": (1, 1),
        "Thị trấn Hưng Hóa": (2, 2),
    }
    rate = {
        "Toàn huyện": (93.0, 93.0),
        "Xã Hiền Quan": (95.0, 95.0),
        "Xã Tề Lễ": (90.5, 90.5),
        "Thị trấn Hưng Hóa": (92.0, 92.0),
    }
    row1 = [1, "Số khu dân cư đạt khu nông thôn mới kiểu mẫu", "Khu"]
    row2 = [2, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%"]
    for b in blocks:
        row1 += list(values[b])
        row2 += list(rate[b])
    rows = [
        ["UBND HUYỆN TAM NÔNG"],
        ["PHÒNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"],
        [],
        ["TỔNG HỢP CHỈ TIÊU QUÝ I NĂM 2024 THEO XÃ, THỊ TRẤN"],
        [],
        top,
        sub,
        row1,
        row2,
    ]
    merges = [f"{chr(68 + 2 * i)}6:{chr(69 + 2 * i)}6" for i in range(len(blocks))]
    return xlsx(rows, merges=merges)


def test_per_commune_file_without_a_district_column_sums_only_what_adds_up(con, cfg):
    prep, done = put(con, cfg, per_commune(with_district=False), "xa.xlsx")
    assert set(prep.observations["subject"]) == {"Xã Hiền Quan", "Xã Tề Lễ", "Thị trấn Hưng Hóa"}
    # Dữ liệu says whose figures they are, not the submission's default subject (black-box)
    subjects = figure_subjects(con, done.submission_id)
    assert subjects_text(prep.subject, subjects) == "3 đơn vị: Xã Hiền Quan, Xã Tề Lễ, Thị trấn Hưng Hóa"
    # 3 of the plan's 12 communes: their sum is not the district's figure (black-box: the sum of
    # one commune's report was judged against the district's target), and the row says why
    ct09 = verdict(con, "CT09", 1)
    assert ct09["actual"] is None and ct09["status"] == "no_data"
    assert ct09["source"] == (
        "Quý I/2024: mới có số của 3 đơn vị, chưa đủ 12 xã, thị trấn của kế hoạch — chưa tính được số toàn huyện"
    )
    # the other nine communes' report: the sum covers the plan's communes, and is the district's
    others = [
        u
        for u in load_catalogue(con, 2024).units.query("kind == 'commune'")["unit"]
        if u not in prep.observations["subject"].values
    ]
    put(con, cfg, commune_counts(dict.fromkeys(others, 1)), "chin-xa.xlsx")
    ct09 = verdict(con, "CT09", 1)
    assert ct09["actual"] == 14  # 2 + 1 + 2 + 9 × 1 khu: across units = sum
    assert ct09["source"].endswith("tổng của 12 đơn vị") and "chưa đủ" not in ct09["source"]
    ct08 = verdict(con, "CT08", 1)
    assert ct08["status"] == "no_data"  # a rate is never summed or averaged
    ranked = unit_figures(con, 2024, "CT08", 1)
    assert list(ranked["unit"]) == ["Xã Hiền Quan", "Thị trấn Hưng Hóa", "Xã Tề Lễ"]
    assert list(ranked["value"]) == [95.0, 92.0, 90.5]


def test_a_communes_report_judges_only_what_the_districts_targets_can_say_of_it(con, cfg):
    """Black-box finding: ``report --unit "Xã Hiền Quan"`` judged the commune's 50 tỷ against the
    district's 3.300,9 («1,51 % — Chậm tiến độ») under the district's name. A unit's report judges
    the rates and levels only; the parts of the district's sums and the emulation counts are left
    out, and the command line says which and why, under the unit's own name."""
    from tests.support.cli import kpi

    put(con, cfg, per_commune(with_district=False), "xa.xlsx")
    rep = attainment_report(con, 2024, 1, "Xã Hiền Quan")
    assert "CT09" not in set(rep.table["key"]) and "TD02" not in set(rep.table["key"])  # a sum, a count
    assert rep.table.set_index("key").loc["CT08", "actual"] == 95.0  # a rate: the commune's own
    con.close()
    done = kpi("report", "--year", "2024", "--quarter", "1", "--unit", "Xã Hiền Quan", db=cfg.db_path, check=True)
    first, second = done.stdout.splitlines()[:2]
    assert first.startswith("Báo cáo mức độ hoàn thành chỉ tiêu — Xã Hiền Quan — Quý I/2024")
    assert second.startswith("Không đánh giá ") and "CT01" in second and "CT09" in second and "TD09" in second
    assert "Xã Hiền Quan không có kế hoạch riêng" in second


def test_the_units_sum_is_exact_in_decimals(con, cfg):
    """0,01 + 0,02 + 2,32 tỷ đồng is 2,35 (rounded half-up to one decimal, 2,4); summed as floats,
    in any order, it is 2.3499999999999996 (which rounds to 2,3)."""
    blocks = ["Xã Hiền Quan", "Xã Tề Lễ", "Thị trấn Hưng Hóa"]  # then the plan's other communes, 0 each
    blocks += [u for u in load_catalogue(con, 2024).units.query("kind == 'commune'")["unit"] if u not in blocks]
    top, sub, row = ["STT", "Chỉ tiêu", "ĐVT"], ["", "", ""], [1, CT01, "Tỷ đồng"]
    for block, value in zip(blocks, (0.01, 0.02, 2.32) + (0,) * 9, strict=True):
        top += [block, ""]
        sub += ["Thực hiện quý I", "Lũy kế"]
        row += [value, value]
    rows = [["UBND HUYỆN TAM NÔNG"], [], ["TỔNG HỢP CHỈ TIÊU QUÝ I NĂM 2024 THEO XÃ, THỊ TRẤN"], [], top, sub, row]
    put(
        con,
        cfg,
        xlsx(rows, merges=[f"{col_letter(3 + 2 * i)}5:{col_letter(4 + 2 * i)}5" for i in range(12)]),
        "xa.xlsx",
    )
    row = verdict(con, "CT01", 1)
    assert row["actual"] == 2.35


def test_a_district_column_wins_and_the_sum_is_checked(con, cfg):
    prep, _ = put(con, cfg, per_commune(with_district=True, district_value=6), "xa-huyen.xlsx")
    warnings = [i for i in prep.warnings if i.code == "unit_sum_differs"]
    assert [w.cell for w in warnings] == ["D8", "E8"]  # the quarter and the year-to-date columns
    assert "số toàn huyện 6 khu" in warnings[0].message and "(5 khu)" in warnings[0].message
    assert verdict(con, "CT09", 1)["actual"] == 6
    assert verdict(con, "CT08", 1)["actual"] == pytest.approx(93.0)
    figures = current_figures(con, 2024)
    assert len(figures[(figures["key"] == "CT09") & (figures["kind"] == "ytd")]) == 4  # per subject


def test_a_matching_district_column_raises_nothing(con, cfg):
    prep, _ = put(con, cfg, per_commune(with_district=True, district_value=5), "xa-huyen.xlsx")
    assert not [i for i in prep.warnings if i.code == "unit_sum_differs"]


# 8. Whose figures a report holds -------------------------------------------------------------------


def _commune_report(title: str, admin: tuple[str, str], extra_line: list | None = None) -> bytes:
    rows = report_rows(
        title,
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
        [[1, CT01, "Tỷ đồng", 61.0]],
        admin=admin,
        reference="(Kèm theo Báo cáo số 7/BC ngày 05/4/2024)",
    )
    if extra_line:
        rows.insert(5, extra_line)
    return xlsx(rows)


@pytest.mark.parametrize(
    "title,admin,line,unknown,cell,hint",
    [
        # a "Số liệu của" line naming no unit (a typo): refused, the nearest unit suggested
        (
            "BÁO CÁO QUÝ I NĂM 2024",
            ("UBND XÃ LAM SƠN", ""),
            ["Số liệu của:", "Xã Lam Sơm"],
            "Xã Lam Sơm",
            "B6",
            "Xã Lam Sơn",
        ),
        # the admin block of a commune that is no unit of the plan
        ("BÁO CÁO QUÝ I NĂM 2024", ("UBND XÃ LAM SƠM", "TỔ THỐNG KÊ"), None, "XÃ LAM SƠM", "A1", "Xã Lam Sơn"),
        # a title naming an unknown commune without "của"
        (
            "BÁO CÁO QUÝ I NĂM 2024 - XÃ KHÔNG CÓ",
            ("UBND HUYỆN TAM NÔNG", "PHÒNG NỘI VỤ"),
            None,
            "XÃ KHÔNG CÓ",
            "A4",
            "",
        ),
    ],
    ids=["subject-line-typo", "admin-block-unknown-commune", "title-unknown-commune"],
)
def test_a_report_of_an_unknown_unit_is_refused_not_read_as_the_district(
    con, cfg, title, admin, line, unknown, cell, hint
):
    data = _commune_report(title, admin, line)
    prep = prepare(con, data, "xa.xlsx", ImportOptions(), cfg)
    [error] = [i for i in prep.errors if i.code == "unknown_subject"]
    assert f"«{unknown}»" in error.message and error.cell == cell and prep.subject_unclear
    assert (f"có phải «{hint}»" in error.message) == bool(hint)
    with pytest.raises(FileRefused):
        put(con, cfg, data, "xa.xlsx")
    assert con.execute("SELECT count(*) FROM observations").fetchall()[0][0] == 0
    # choosing the unit at upload reads it as that unit's report
    prep, committed = put(con, cfg, data, "xa.xlsx", subject="Xã Lam Sơn")
    assert committed.status == "active" and set(prep.observations["subject"]) == {"Xã Lam Sơn"}


def test_a_title_naming_a_commune_without_cua_is_that_communes_report(con, cfg):
    data = _commune_report("BÁO CÁO QUÝ I NĂM 2024 - XÃ HƯƠNG NỘN", ("UBND HUYỆN TAM NÔNG", "PHÒNG NỘI VỤ"))
    prep = prepare(con, data, "x.xlsx", ImportOptions(), cfg)
    assert not prep.errors and set(prep.observations["subject"]) == {"Xã Hương Nộn"}


@pytest.mark.parametrize("line", [["Số liệu của:", "Toàn huyện"], ["Số liệu của:", "Huyện Tam Nông"], None])
def test_the_district_named_or_implied_is_still_the_district(con, cfg, line):
    data = _commune_report("BÁO CÁO QUÝ I NĂM 2024", ("UBND HUYỆN TAM NÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH"), line)
    prep = prepare(con, data, "x.xlsx", ImportOptions(), cfg)
    assert not prep.errors and set(prep.observations["subject"]) == {DISTRICT}


# 9. Figures a file holds but the reader cannot use are named, not dropped in silence -------------------


def _edited_q1(edit) -> bytes:
    import io

    import openpyxl

    data = report_file(
        "BÁO CÁO QUÝ I NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I", "Lũy kế quý I"],
        [[1, CT01, "Tỷ đồng", 520.4, 520.4], [2, CT02, "Tỷ đồng", 160.2, 160.2]],
        "05/4/2024",
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    edit(wb.active)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _hide_row(ws):
    ws.row_dimensions[8].hidden = True


def _formula_name(ws):
    ws["B9"] = '=HYPERLINK("http://x", "Tổng thu ngân sách nhà nước")'  # saved without a result


def _merge_figures(ws):
    ws.merge_cells("D8:E8")


@pytest.mark.parametrize(
    "edit,code,cell,words,kept",
    [
        (_hide_row, "hidden_row", "B8", "bị ẩn", {"CT02"}),
        (_formula_name, "row_without_name", "B9", "là công thức «=HYPERLINK", {"CT01"}),
        (_merge_figures, "merged_figure", "D8", "D8:E8", {"CT01", "CT02"}),
    ],
    ids=["hidden-row", "formula-name", "merged-figures"],
)
def test_unusable_figures_are_named_with_their_cell(con, cfg, edit, code, cell, words, kept):
    prep = prepare(con, _edited_q1(edit), "q1.xlsx", ImportOptions(), cfg)
    [warning] = [i for i in prep.warnings if i.code == code]
    assert warning.cell == cell and words in warning.message
    assert set(prep.observations["key"]) == kept


def test_a_subject_line_saying_district_under_a_communes_title_is_refused(con, cfg):
    # a commune's clerk fills the template but leaves its "Số liệu của: UBND huyện …" as it was
    data = _commune_report(
        "BÁO CÁO QUÝ I NĂM 2024 - XÃ HƯƠNG NỘN",
        ("UBND HUYỆN TAM NÔNG", ""),
        ["Số liệu của:", "UBND huyện Tam Nông"],
    )
    prep = prepare(con, data, "x.xlsx", ImportOptions(), cfg)
    [error] = prep.errors
    assert (error.code, error.cell) == ("subject_conflict", "B6")
    assert "«UBND huyện Tam Nông»" in error.message and "«Xã Hương Nộn»" in error.message
    with pytest.raises(FileRefused):
        put(con, cfg, data, "x.xlsx")
    prep, committed = put(con, cfg, data, "x.xlsx", subject="Xã Hương Nộn")
    assert committed.status == "active" and set(prep.observations["subject"]) == {"Xã Hương Nộn"}


def test_an_office_named_in_the_title_still_reports_the_districts_figures(con, cfg):
    # "… của Phòng Tài chính - Kế hoạch" with "Số liệu của: UBND huyện": an office reports the district
    data = _commune_report(
        "BÁO CÁO QUÝ I NĂM 2024 CỦA PHÒNG TÀI CHÍNH - KẾ HOẠCH",
        ("UBND HUYỆN TAM NÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH"),
        ["Số liệu của:", "UBND huyện Tam Nông"],
    )
    prep = prepare(con, data, "x.xlsx", ImportOptions(), cfg)
    assert not prep.errors and set(prep.observations["subject"]) == {DISTRICT}


def test_an_agencys_column_beside_every_commune_is_not_summed_into_the_district(con, cfg):
    """A per-commune table with a column for an agency beside the plan's twelve communes: the
    district's total is the communes' sum (12 khu), not 12 + the agency's own 5 (a wrong total
    that looks right: «tổng của 13 đơn vị» judged against the district's target)."""
    communes = list(load_catalogue(con, 2024).units.query("kind == 'commune'")["unit"])
    agency = load_catalogue(con, 2024).units.query("kind == 'agency'")["unit"].iloc[0]
    put(con, cfg, commune_counts(dict.fromkeys(communes, 1) | {agency: 5}), "xa-va-phong.xlsx")
    ct09 = verdict(con, "CT09", 1)
    assert ct09["actual"] == 12
    assert ct09["source"].endswith("tổng của 12 đơn vị")
    # the agency's own figure is still its own on the ranking of units
    assert unit_figures(con, 2024, "CT09", 1).set_index("unit").loc[agency, "value"] == 5


def test_the_communes_sum_stands_for_a_quarter_the_district_has_no_figure_of(con, cfg):
    """Black-box round 2 (December 2026): after the district's own reports of Q1–Q3, a full-year
    table of the twelve communes (20 khu) was never summed — only indicators with no district
    figure at all were —, so the year read «18 · Quý III/2024 · Chậm tiến độ». The district's own
    figures win quarter by quarter; the communes' sum stands for the quarter it has none of."""
    load(con, cfg, "q1", "h1", "q3")
    communes = list(load_catalogue(con, 2024).units.query("kind == 'commune'")["unit"])
    top, sub, row = ["STT", "Chỉ tiêu", "ĐVT"], ["", "", ""], [1, "Số khu dân cư đạt khu nông thôn mới kiểu mẫu", "Khu"]
    for unit, count in zip(communes, [2] * 8 + [1] * 4, strict=True):  # 16 + 4 = 20 khu
        top += [unit]
        sub += ["Thực hiện năm 2024"]
        row += [count]
    rows = [["UBND HUYỆN TAM NÔNG"], [], ["TỔNG HỢP CHỈ TIÊU NĂM 2024 THEO XÃ, THỊ TRẤN"], [], top, sub, row]
    assert verdict(con, "CT09", 3)["actual"] == 18  # the nine-month report's own
    put(con, cfg, xlsx(rows), "ca-nam-theo-xa.xlsx")
    year = verdict(con, "CT09", 4)
    assert (year["actual"], year["period"], year["status"]) == (20, "2024-Q4", "met")
    assert year["source"].endswith("tổng của 12 đơn vị")
    assert verdict(con, "CT09", 3)["actual"] == 18  # Q3 is still the district's own figure


def test_a_long_title_naming_the_unit_is_quoted_whole_in_the_preview(con, cfg):
    """Black-box round 3 (December 2026): «Số liệu của» was said found in the title «BÁO CÁO … CỦA XÃ
    THANH » — its first 80 characters, read as a unit «Xã Thanh»; a title is quoted whole up to
    120 characters, else cut between words with «…» (kpi.words.excerpt)."""
    from kpi.ingest import prepare
    from kpi.reading.report_sheets import ImportOptions
    from tests.support.sheets import report_rows, xlsx

    title = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU THI ĐUA 9 THÁNG NĂM 2024 CỦA XÃ THANH UYÊN, HUYỆN TAM NÔNG"
    body = [[1, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 93.0]]
    rows = report_rows(title, ["STT", "Chỉ tiêu", "ĐVT", "Lũy kế 9 tháng"], body, admin=("", ""))
    prep = prepare(con, xlsx(rows), "xa-thanh-uyen.xlsx", ImportOptions(), cfg)
    lines = {what: (value, how) for what, value, how in prep.inferred}
    value, how = lines["Số liệu của (đối tượng)"]
    assert value == "Xã Thanh Uyên" and title in how, lines
