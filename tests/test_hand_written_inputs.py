"""Ten inputs written by hand in layouts unlike ``../shared/samples/`` (issue 13, "Done when"): five
award registers / registration lists and five plan excerpts worded as another district would, each
with the counts worked out by hand in its comment. A figure the product reads wrongly is fixed at
its cause (a general rule, never the string of an input) and stays tested here.
"""

from __future__ import annotations

import datetime as dt

from kpi.ingest import commit, prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report, report_records
from tests.conftest import ACTOR
from tests.sheets import xlsx


def _records(con) -> dict:
    return {r["key"]: r for r in report_records(attainment_report(con, 2024))}


def _stored(con, cfg, data: bytes, name: str, **options) -> dict:
    prep = prepare(con, data, name, ImportOptions(**options), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    commit(con, prep, data, ACTOR, cfg)
    return _records(con)


# -- the kind of a register whose award is written in a way no table knows ------------------------


def test_unknown_award_rows_of_units_are_not_registration_evidence(con, cfg):
    """An award register (title, kind column, award column) where two of five rows write the award
    "BKCTT": those rows name a unit and hold a date and a decision number, but their text sits in the
    award column — they are award rows not understood, not a registration list's rows. Before the
    fix they voted "registrations" (2 of 6 votes) and the file was held as of unclear kind."""
    day = dt.date(2025, 1, 25)
    header = ["STT", "Tên tập thể / Họ và tên", "Tập thể/Cá nhân", "Danh hiệu", "Số quyết định", "Ngày quyết định"]
    rows = [["DANH SÁCH KHEN THƯỞNG - THÀNH TÍCH NĂM 2024"], [], header]
    rows += [
        [1, "Phòng Tư pháp", "Tập thể", "Bằng khen của Chủ tịch UBND tỉnh", "250/QĐ-UBND", day],
        [2, "Xã Thọ Văn", "Tập thể", "Bằng khen của Chủ tịch UBND tỉnh", "250/QĐ-UBND", day],
        [3, "Xã Lam Sơn", "Tập thể", "BKCTT", "250/QĐ-UBND", day],
        [4, "Xã Tề Lễ", "Tập thể", "BKCTT", "250/QĐ-UBND", day],
        [5, "Nguyễn Văn An", "Cá nhân", "Chiến sĩ thi đua cơ sở", "1021/QĐ-UBND", dt.date(2024, 12, 20)],
    ]
    prep = prepare(con, xlsx(rows), "kt.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "awards"
    assert [i.code for i in prep.errors] == ["unmatched_held"]  # held for the two names, not for its kind
    assert "danh hiệu «BKCTT» không có trong kế hoạch" in prep.errors[0].message
