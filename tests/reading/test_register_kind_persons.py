"""A list of persons with their units and a decision is an award list, not a registration list
(round 11 blind finding: «Họ và tên | Đơn vị công tác | Số QĐ | Ngày QĐ» under a heading row
«Danh hiệu Chiến sĩ thi đua cơ sở» was taken for the units' emulation registration — each row a
unit of the plan with a date and a document number — and saving it would have made TD01 100 % with
three units that never registered, and lost the 40 awards). Units register; a person written before
the unit on a row is that unit's member, no registration sign. Each list is written here in its
own layout and read as an upload is."""

from __future__ import annotations

import datetime as dt

from kpi.ingest import commit, prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report, report_records
from tests.support.registers import register
from tests.support.samples import ACTOR

UNITS = [
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Xã Tề Lễ",
    "Xã Thọ Văn",
    "Xã Dị Nậu",
    "Xã Hiền Quan",
    "Thị trấn Hưng Hóa",
    "Công an huyện",
    "Phòng Y tế",
    "Xã Lam Sơn",
    "Thanh tra huyện",
    "Xã Vạn Xuân",
]
PEOPLE = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Quang Cường", "Phạm Thu Dung", "Hoàng Minh Đức", "Vũ Thị Hà"]
TITLE = [
    "UBND HUYỆN TAM NÔNG",
    "",
    "DANH SÁCH CÁ NHÂN ĐƯỢC CÔNG NHẬN DANH HIỆU - THÀNH TÍCH NĂM 2024",
    "(Kèm theo Quyết định số 1600/QĐ-UBND ngày 25/12/2024 của Chủ tịch UBND huyện Tam Nông)",
    "",
]


def _figures(con) -> dict[str, float | None]:
    return {r["key"]: r["actual"] for r in report_records(attainment_report(con, 2024))}


def test_persons_with_their_units_under_an_award_heading_are_awards_not_registrations(con, cfg):
    rows = [["I", "Danh hiệu Chiến sĩ thi đua cơ sở"]]
    rows += [
        [i + 1, f"{PEOPLE[i % 6]} {chr(65 + i)}", unit, "1600/QĐ-UBND", dt.datetime(2024, 12, 25)]
        for i, unit in enumerate(UNITS)
    ]
    data = register(TITLE, ["STT", "Họ và tên", "Đơn vị công tác", "Số QĐ", "Ngày QĐ"], rows)
    prep = prepare(con, data, "cstdcs.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "awards", [i.text() for i in prep.issues]
    assert not prep.refused, [i.text() for i in prep.errors]
    before = _figures(con)
    commit(con, prep, data, ACTOR, cfg)
    after = _figures(con)
    assert after["TD09"] == 12  # twelve emulation fighters at the grassroots level, by hand
    assert after["TD01"] == before["TD01"]  # no unit registered by it


def test_a_registration_list_with_its_signers_right_of_the_unit_is_still_one(con, cfg):
    """The person after the unit (who signed the registration) does not make it a list of persons."""
    rows = [
        [i + 1, unit, dt.datetime(2024, 1, 15), f"{PEOPLE[i % 6]}", f"{i + 3}/ĐK-UBND"] for i, unit in enumerate(UNITS)
    ]
    data = register(
        ["UBND HUYỆN TAM NÔNG", "", "DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024", ""],
        ["STT", "Tên cơ quan, đơn vị", "Ngày đăng ký", "Thủ trưởng ký", "Số văn bản"],
        rows,
    )
    prep = prepare(con, data, "dang-ky.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "registrations" and len(prep.registrations) == 12


def test_a_list_of_last_years_achievements_is_kept_and_counts_toward_no_target(con, cfg):
    """Round 11 f11: 40 emulation fighters of 2023, decided in January 2024, with no 2023 plan: the
    preview said «Tính vào chỉ tiêu năm 2023: 40» and «Số cá nhân đạt danh hiệu … 0 → 40» of the
    2024 plan's target. Kept, counted toward nothing, said so; 2024's figures unchanged."""
    title = [line.replace("NĂM 2024", "NĂM 2023").replace("25/12/2024", "10/01/2024") for line in TITLE]
    rows = [["I", "Danh hiệu Chiến sĩ thi đua cơ sở"]]
    rows += [
        [i + 1, f"{PEOPLE[i % 6]} {chr(65 + i)}", unit, "15/QĐ-UBND", dt.datetime(2024, 1, 10)]
        for i, unit in enumerate(UNITS)
    ]
    data = register(title, ["STT", "Họ và tên", "Đơn vị công tác", "Số QĐ", "Ngày QĐ"], rows)
    prep = prepare(con, data, "cstdcs-2023.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "awards" and prep.year == 2023 and not prep.refused, [i.text() for i in prep.errors]
    counted = dict((what, value) for what, value, _how in prep.inferred)["Tính vào chỉ tiêu năm 2023"]
    assert counted.startswith("0 — chưa có kế hoạch năm 2023")
    assert prep.register_scope is None or prep.register_scope.changes.empty
    before = _figures(con)
    commit(con, prep, data, ACTOR, cfg)
    assert _figures(con) == before


def test_an_award_heading_naming_another_achievement_year_dates_its_rows(con, cfg):
    """Round 12: «BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH (THÀNH TÍCH NĂM 2023)» over two rows of a 2024
    list: counted toward 2024 (TD07 20 for 19). The heading's year is its rows'."""
    rows = [
        ["I", "Bằng khen của Chủ tịch UBND tỉnh"],
        [1, "Nguyễn Văn An", "Phòng Nội vụ", "90/QĐ-UBND", dt.datetime(2024, 12, 20)],
        [2, "Trần Thị Bích", "Xã Tề Lễ", "90/QĐ-UBND", dt.datetime(2024, 12, 20)],
        ["II", "Bằng khen của Chủ tịch UBND tỉnh (thành tích năm 2023)"],
        [1, "Vũ Văn Long", "Phòng Y tế", "88/QĐ-UBND", dt.datetime(2024, 1, 15)],
    ]
    title = [line for line in TITLE if "Quyết định" not in line]
    data = register(title, ["STT", "Họ và tên", "Đơn vị công tác", "Số QĐ", "Ngày QĐ"], rows)
    prep = prepare(con, data, "bk.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "awards" and not prep.refused, [i.text() for i in prep.errors]
    years = dict(zip(prep.awards["recipient"], prep.awards["achievement_year"], strict=True))
    assert years == {"Nguyễn Văn An": 2024, "Trần Thị Bích": 2024, "Vũ Văn Long": 2023}
    commit(con, prep, data, ACTOR, cfg)
    assert _figures(con)["TD07"] == 2  # the 2023 award counts toward nothing of 2024


def test_units_with_a_decisions_number_are_an_award_lists_rows(con, cfg):
    """Round 12: «… ĐƯỢC TẶNG DANH HIỆU TẬP THỂ LAO ĐỘNG XUẤT SẮC» with a «Quyết định số» column,
    its rows units, was asked «award list or registration list?» (a unit with a date voted for a
    registration). A decision's number («…/QĐ-…») on a unit's row is an award's sign."""
    rows = [[i + 1, unit, f"{1500 + i}/QĐ-UBND", dt.datetime(2024, 12, 25)] for i, unit in enumerate(UNITS[:6])]
    title = ["UBND HUYỆN TAM NÔNG", "", "DANH SÁCH ĐƯỢC TẶNG DANH HIỆU TẬP THỂ LAO ĐỘNG XUẤT SẮC NĂM 2024", ""]
    data = register(title, ["STT", "Tên tập thể", "Quyết định số", "Ngày"], rows)
    prep = prepare(con, data, "ttldxs.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "awards" and not prep.refused, [i.text() for i in prep.issues]
    assert len(prep.awards) == 6
