"""A report whose issuing office is no unit of the plan, and which does not say whose figures it
holds, is held until the clerk says (round 11: a project board's «Lũy kế 9 tháng» 412,7 tỷ and a
town's 152,3 under «UBND TT HƯNG HÓA» were read as the district's — «mặc định: báo cáo của toàn
huyện» — and, dated later, replaced the district's 2.480,0 under a warning). An abbreviation that
written out names a unit («UBND TT …» = thị trấn) is that unit. Each file written in its own layout."""

from __future__ import annotations

import pytest

from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from tests.support.sheets import report_rows, xlsx

ROWS = [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 412.7]]
HEADER = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Lũy kế 9 tháng"]
TITLE = "BÁO CÁO KẾT QUẢ 9 THÁNG ĐẦU NĂM 2024"


@pytest.mark.parametrize(
    "admin",
    [
        ("UBND HUYỆN TAM NÔNG", "BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG"),
        ("UBND HUYỆN TAM NÔNG", "TRUNG TÂM PHÁT TRIỂN QUỸ ĐẤT"),
    ],
)
def test_an_office_not_in_the_plan_without_a_subject_holds_the_file(con, cfg, admin):
    data = xlsx(report_rows(TITLE, HEADER, ROWS, admin=admin))
    prep = prepare(con, data, "bql.xlsx", ImportOptions(), cfg)
    [held] = [i for i in prep.errors if i.code == "office_unknown_subject"]
    assert f"«{admin[1]}»" in held.message and "Số liệu của (đối tượng)" in held.message
    assert prep.awaiting_decision and prep.needs("subject")
    assert not [i for i in prep.issues if i.code == "no_sender"]  # the same fact, said once
    chosen = prepare(con, data, "bql.xlsx", ImportOptions(subject="UBND huyện Tam Nông"), cfg)
    assert not chosen.refused, [i.text() for i in chosen.errors]


@pytest.mark.parametrize("admin", [("UBND TT HƯNG HÓA", ""), ("UBND TT. HƯNG HÓA", "VĂN PHÒNG HĐND - UBND")])
def test_a_towns_abbreviated_letterhead_is_the_town(con, cfg, admin):
    data = xlsx(report_rows(TITLE, HEADER, ROWS, admin=admin))
    prep = prepare(con, data, "tt.xlsx", ImportOptions(), cfg)
    assert prep.subject == "Thị trấn Hưng Hóa", [i.text() for i in prep.issues]
    assert set(prep.observations["subject"]) == {"Thị trấn Hưng Hóa"}


def test_no_letterhead_at_all_is_still_the_district_by_default(con, cfg):
    """A file with no admin block names no office: nothing to doubt, read as the district's as before."""
    data = xlsx(report_rows(TITLE, HEADER, ROWS, admin=("", "")))
    prep = prepare(con, data, "tron.xlsx", ImportOptions(), cfg)
    assert not [i for i in prep.issues if i.code == "office_unknown_subject"]
    assert prep.subject == "UBND huyện Tam Nông"


@pytest.mark.parametrize("said", ["UBND xã Tề Lễ", "Xã Tề Lễ"])
def test_a_commune_that_sends_a_report_sends_its_own_figures(con, cfg, said):
    """Round 12: «Đơn vị báo cáo: UBND xã Tề Lễ» at the right was read as the sender and its
    figures as the district's (CT01 99,9 — 3,03 %): a commune reports its own figures."""
    rows = [
        [None, None, None, None, "Đơn vị báo cáo:", said],
        [None, None, None, None, "Kỳ báo cáo:", "Quý III/2024"],
        [],
        ["BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"],
        [],
        HEADER,
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 150, 99.9],
    ]
    prep = prepare(con, xlsx(rows), "te-le.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert prep.sender == prep.subject == "Xã Tề Lễ"
    assert set(prep.observations["subject"]) == {"Xã Tề Lễ"}


def test_an_office_that_sends_a_report_still_sends_the_districts(con, cfg):
    rows = [
        [None, None, None, None, "Đơn vị báo cáo:", "Phòng Tài chính - Kế hoạch"],
        *report_rows(TITLE, HEADER, ROWS, admin=("", "")),
    ]
    prep = prepare(con, xlsx(rows), "tckh.xlsx", ImportOptions(), cfg)
    assert prep.subject == "UBND huyện Tam Nông"


def test_a_report_read_as_the_districts_by_default_whose_plan_is_a_communes_is_held(con, cfg):
    """Round 12: a commune's report with no letterhead (title «… trên địa bàn xã», its own plan 250
    against the district's 3.300,9) was stored as the district's, CT01 2.438,3 → 85,2. Its plan
    column, a third of the district's target or less, says it is a part: held for «Số liệu của»."""
    rows = [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 250, 85.2]]
    data = xlsx(report_rows(TITLE, HEADER, rows, admin=("", "")))
    prep = prepare(con, data, "xa.xlsx", ImportOptions(), cfg)
    [held] = [i for i in prep.errors if i.code == "district_plan_far"]
    assert "250 tỷ đồng" in held.message and "3.300,9 tỷ đồng" in held.message and held.cell == "D8"
    assert prep.awaiting_decision and prep.needs("subject")
    chosen = prepare(con, data, "xa.xlsx", ImportOptions(subject="Xã Dân Quyền"), cfg)
    assert not chosen.refused and set(chosen.observations["subject"]) == {"Xã Dân Quyền"}
    # the district's own plan (or none at all) is no doubt
    for plan in (3300.9, None):
        rows = [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", plan, 2438.3]]
        same = prepare(con, xlsx(report_rows(TITLE, HEADER, rows, admin=("", ""))), "h.xlsx", ImportOptions(), cfg)
        assert not [i for i in same.issues if i.code == "district_plan_far"]
