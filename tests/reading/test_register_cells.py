"""Registers written by a tester with no knowledge of the code (issue 13's black-box pass): a
proposal list is never counted as awards, a decision written as "số, ngày" in one cell is read, lists
cite the award's own cell, a unit missing from a registration list is named, and the registration
share gets one status for one figure. Files: ``tests/data/blackbox13/`` (copies of the tester's,
made by its ``make_inputs.py`` with openpyxl)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from kpi.ingest import commit, prepare
from kpi.reading.register_cells import decision_parts
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report, report_records
from tests.support.paths import TESTS
from tests.support.samples import ACTOR

FILES = TESTS / "data" / "blackbox13"
PROPOSAL = "2c-kt-de-nghi-chua-co-quyet-dinh.xlsx"
TWO_AWARDS = "2b-kt-phan-muc-hai-bang-khen.xlsx"


def _bytes(name: str) -> bytes:
    return (FILES / name).read_bytes()


def _store(con, cfg, data: bytes, name: str, **options):
    prep = prepare(con, data, name, ImportOptions(**options), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    commit(con, prep, data, ACTOR, cfg)
    return prep


def _records(con, quarter=None):
    return {r["key"]: r for r in report_records(attainment_report(con, 2024, quarter))}


def _edited(name: str, cells: dict[str, object]) -> bytes:
    wb = openpyxl.load_workbook(FILES / name)
    for ref, value in cells.items():
        wb.active[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- 1. a proposal is not an award ----------------------------------------------------------------


def test_a_proposal_list_is_refused_saying_why_where_and_what_to_upload(con, cfg):
    prep = prepare(con, _bytes(PROPOSAL), PROPOSAL, ImportOptions(), cfg)
    assert prep.refused
    [issue] = [i for i in prep.errors if i.code == "proposal_list"]
    assert "danh sách ĐỀ NGHỊ khen thưởng" in issue.message
    assert "ô A2" in issue.message and "ĐỀ NGHỊ KHEN THƯỞNG" in issue.message  # the title's cell
    assert "E7, E8, E9" in issue.message and "«Đề nghị»" in issue.message  # the decision cells
    assert "tải lên danh sách kèm theo quyết định" in issue.message  # what to do
    # the same rows in a register of conferred awards (file 2b) are counted: the proposal alone refuses
    assert {i.code for i in prepare(con, _bytes(TWO_AWARDS), TWO_AWARDS, ImportOptions(), cfg).errors} == set()


def test_a_proposal_title_decides_only_for_rows_without_a_decision(con, cfg):
    # the tester's proposal list with its "Đề nghị" cells emptied: the title and no decision suffice
    empty = {f"E{r}": None for r in range(7, 19)}
    prep = prepare(con, _edited(PROPOSAL, empty), "de-nghi-trong.xlsx", ImportOptions(), cfg)
    [issue] = [i for i in prep.errors if i.code == "proposal_list"]
    assert "ô B7, B8" in issue.message and "chưa ghi quyết định" in issue.message
    # the same title over rows that each carry a decision number: conferred awards, counted
    titled = _edited(TWO_AWARDS, {"A2": "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG"})
    prep = prepare(con, titled, "de-nghi-da-co-qd.xlsx", ImportOptions(), cfg)
    assert not prep.refused and not any(i.code == "proposed_rows" for i in prep.issues)


def test_proposed_rows_inside_a_register_count_toward_nothing_and_are_listed(con, cfg):
    # rows 7 and 13 of file 2b (a TTLĐXS collective, a CSTĐ cơ sở individual) wait for their decision
    data = _edited(TWO_AWARDS, {"E7": "Đề nghị", "E13": "Chờ quyết định"})
    prep = _store(con, cfg, data, "2b-de-nghi-hai-dong.xlsx")
    [warning] = [i for i in prep.issues if i.code == "proposed_rows"]
    assert warning.severity == "warning"
    assert "ô E7 «Đề nghị» (Trường Tiểu học Thọ Văn" in warning.message
    assert "ô E13 «Chờ quyết định» (Ông Nguyễn Văn Bình" in warning.message
    assert not any(i.code == "unmatched_held" for i in prep.issues)  # understood, not held
    got = _records(con)
    # by hand from the file: TTLĐXS rows 7, 8, 9 → 2 (8, 9); CSTĐ cơ sở rows 13–16 → 3: row 16 (the
    # same person under 90/QĐ-UBND) is the conferred award, no longer a duplicate of the proposed row 13
    assert got["TD08"]["actual"] == 2
    assert got["TD09"]["actual"] == 3


# -- 2. a decision's number and date in one cell --------------------------------------------------


@pytest.mark.parametrize(
    ("written", "number", "date"),
    [
        ("90/QĐ-UBND ngày 16/01/2025", "90/QĐ-UBND", dt.date(2025, 1, 16)),
        ("Số 90/QĐ-UBND, 16/01/2025", "90/QĐ-UBND", dt.date(2025, 1, 16)),
        ("Số: 90/QĐ-UBND Ngày 16 tháng 01 năm 2025", "90/QĐ-UBND", dt.date(2025, 1, 16)),
        ("90/QĐ-UBND (16.01.2025)", "90/QĐ-UBND", dt.date(2025, 1, 16)),
        ("16/01/2025 - 90/QĐ–UBND", "90/QĐ-UBND", dt.date(2025, 1, 16)),
        ("512/QĐ-TTg", "512/QĐ-TTg", None),
        ("15/2025/QĐ-UBND", "15/2025/QĐ-UBND", None),
        ("16/01/2025", "", dt.date(2025, 1, 16)),
        ("", "", None),
    ],
)
def test_decision_number_and_date_read_out_of_one_cell(written, number, date):
    assert decision_parts(written) == (number, date)


def test_two_awards_of_one_person_under_two_decisions_are_two(con, cfg):
    prep = _store(con, cfg, _bytes(TWO_AWARDS), TWO_AWARDS)
    lan = prep.awards[prep.awards["recipient"] == "Hoàng Thị Lan"]
    assert list(lan["decision_number"]) == ["247/QĐ-UBND", "512/QĐ-UBND"]
    assert list(lan["decision_date"]) == [dt.date(2025, 1, 24), dt.date(2025, 3, 10)]
    assert lan["duplicate_of"].isna().all()
    # the one true duplicate (Ông Nguyễn Văn Bình twice under 90/QĐ-UBND) names its decision
    [dup] = [i for i in prep.issues if i.code == "duplicate_award"]
    assert "QĐ 90/QĐ-UBND" in dup.message and "?" not in dup.message
    assert _records(con)["TD07"]["actual"] == 2


def test_a_header_numbering_and_dating_the_decision_in_one_column_is_read(con, cfg):
    data = _edited(TWO_AWARDS, {"E5": "Số, ngày quyết định", "E19": "Số 512/QĐ-UBND, 10/3/2025"})
    prep = prepare(con, data, "so-ngay.xlsx", ImportOptions(), cfg)
    row = prep.awards[prep.awards["row_number"] == 19].iloc[0]
    assert (row["decision_number"], row["decision_date"]) == ("512/QĐ-UBND", dt.date(2025, 3, 10))


# -- 3. the award's own cell ----------------------------------------------------------------------


# An award no table knows ("BK Sở Nội vụ": a department's award, not the plan's), in the tester's
# register 1 where the award column (B) comes before the recipient (C).
UNKNOWN_AWARD = {"B15": "BK Sở Nội vụ", "B16": "BK Sở Nội vụ"}


def test_unmatched_awards_are_cited_by_the_award_cell(con, cfg):
    data = _edited("1-kt-viet-tat-TT-CN.xlsx", UNKNOWN_AWARD)
    prep = prepare(con, data, "1.xlsx", ImportOptions(), cfg)
    [listed] = [i.message for i in prep.issues if i.code in ("unmatched_held", "counts_toward_nothing")]
    assert "B15: danh hiệu «BK Sở Nội vụ»" in listed  # written in B15, the recipient in C15
    assert "C15" not in listed
    # a tick layout: the tick cell (E6), not the name (B6)
    prep = prepare(con, _bytes("3-kt-cot-danh-dau.xlsx"), "3.xlsx", ImportOptions(kind="awards"), cfg)
    listed = next(i.message for i in prep.issues if i.code == "unmatched_held")
    assert "E6: danh hiệu «✓»" in listed and "B6:" not in listed


def test_abbreviated_honour_roll_awards_are_understood_and_never_hold_a_file(con, cfg):
    """«LĐTT» (Lao động tiên tiến) and «GK» (Giấy khen) of the tester's register 1 go on the
    honour roll: written out, they are known awards that count toward no target. Left: two rows of
    an award no table knows (2 of 24, not more than a fifth: listed, not held)."""
    prep = prepare(con, _edited("1-kt-viet-tat-TT-CN.xlsx", UNKNOWN_AWARD), "1.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    [listed] = [i.message for i in prep.issues if i.code == "counts_toward_nothing"]
    assert "LĐTT" not in listed and "«GK»" not in listed
    assert listed.count("BK Sở Nội vụ") == 2


def test_a_similarity_warning_without_a_key_has_no_empty_brackets(con, cfg):
    prep = prepare(con, _bytes(TWO_AWARDS), TWO_AWARDS, ImportOptions(), cfg)
    similar = [i for i in prep.issues if i.code == "matched_by_similarity"]
    assert similar and all("()" not in i.message for i in similar)
    assert similar[0].cell == "D17"  # the award's cell


# -- 4 and 5. the registration list ---------------------------------------------------------------


def test_a_unit_missing_from_the_registration_list_is_named(con, cfg):
    prep = _store(con, cfg, _bytes("5-dk-khoi-danh-dau.xlsx"), "5.xlsx")
    [missing] = [i for i in prep.issues if i.code == "units_missing"]
    assert missing.severity == "warning"
    assert "«Phòng Tư pháp» (Khối nội chính)" in missing.message


def test_the_registration_share_has_one_status_with_or_without_the_quarter(con, cfg):
    """Only a registration list loaded (no report): the share as of the year's end is a level's Q4
    figure, final under design.md ("Final statuses … Q4 data for flow and level"), with or without
    --quarter 4. 28 of 30 units, worked out by hand: Thọ Văn says "Chưa đăng ký", Phòng Tư pháp is
    absent ("Ban CHQS huyện" is Ban Chỉ huy Quân sự huyện: CHQS in data/abbreviations.csv)."""
    _store(con, cfg, _bytes("5-dk-khoi-danh-dau.xlsx"), "5.xlsx")
    without, q4 = _records(con)["TD01"], _records(con, 4)["TD01"]
    assert without["actual"] == q4["actual"] == 93.33
    assert without["period"] == q4["period"] == "2024-Q4"
    assert without["status"] == q4["status"] == "not_met"
