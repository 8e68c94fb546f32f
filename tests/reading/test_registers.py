"""Registers and reports in many layouts, from one table of truths (tests/support/register_layouts.py):
the same counts whatever the layout, a file never stored as another kind, the held rule (issue 13)."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.ingest import commit, prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report, report_records
from kpi.storage.catalogue import load_catalogue
from tests.support.register_layouts import (
    AWARD_COUNTS,
    LIST_DATE,
    award_layouts,
    registered_share,
    registration_layouts,
    registration_truth,
    report_with,
)
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

AWARDS = award_layouts()


def _units(con):
    units = load_catalogue(con, 2024).block_units
    return list(zip(units["block"], units["unit"], strict=True))


def _records(con, quarter=None):
    return {r["key"]: r for r in report_records(attainment_report(con, 2024, quarter))}


@pytest.mark.parametrize("layout", list(AWARDS))
def test_award_register_layouts_give_the_counts_of_the_truth(con, cfg, layout):
    prep = prepare(con, AWARDS[layout], f"{layout}.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "awards", [i.text() for i in prep.issues]
    assert not prep.refused, [i.text() for i in prep.errors]
    commit(con, prep, AWARDS[layout], ACTOR, cfg)
    got = _records(con)
    assert {k: got[k]["actual"] for k in AWARD_COUNTS} == AWARD_COUNTS
    assert got["TD01"]["actual"] is None  # an award register is never a registration list


def test_abbreviated_awards_and_duplicates_are_said(con, cfg):
    prep = prepare(con, AWARDS["TT/CN, abbreviated, shuffled, text dates"], "a.xlsx", ImportOptions(), cfg)
    similar = [i for i in prep.issues if i.code == "matched_by_similarity"]
    assert any("«BK TTg»" in i.message and "Bằng khen của Thủ tướng Chính phủ" in i.message for i in similar)
    dup = [i for i in prep.issues if i.code == "duplicate_award"]
    assert len(dup) == 1 and "Ông Lê Văn Cường" in dup[0].message


@pytest.mark.parametrize("index", [0, 1, 2])
def test_registration_layouts_give_the_share_of_the_truth(con, cfg, index):
    units = _units(con)
    truth = registration_truth(units)
    name, data = list(registration_layouts(units).items())[index]
    prep = prepare(con, data, f"{name}.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "registrations", [i.text() for i in prep.issues]
    assert not prep.refused, [i.text() for i in prep.errors]
    codes = {i.code: i.message for i in prep.issues}
    not_registered = [u for u, v in truth.items() if v == "no"]
    assert all(u in codes["not_registered"] for u in not_registered)
    unsigned = [u for u, v in truth.items() if v == "none"]
    if index == 0:  # only layout 1 leaves a unit without any sign
        assert all(u in codes["no_registration_sign"] for u in unsigned)
    if index == 2:  # abbreviated unit names are written out, and the preview says how
        expanded = " ".join(i.message for i in prep.issues if i.code == "abbreviation_expanded")
        assert "GDĐT = giáo dục và đào tạo" in expanded and "TTYT = trung tâm y tế" in expanded
        assert not any(i.code == "unknown_unit" for i in prep.issues)
    commit(con, prep, data, ACTOR, cfg)
    for q, until in ((1, dt.date(2024, 3, 31)), (2, dt.date(2024, 6, 30))):
        expected_truth = dict(truth)
        if index == 1:  # a tick column only: every registered unit counts from the list's date
            expected_truth = {u: ("mark" if (v == "mark" or isinstance(v, dt.date)) else v) for u, v in truth.items()}
        assert _records(con, q)["TD01"]["actual"] == registered_share(expected_truth, until), (name, q)
    assert registered_share(truth, dt.date(2024, 3, 31)) == 90.0  # 27 of 30, worked out by hand


def test_tick_only_list_counts_from_the_list_date_with_a_warning(con, cfg):
    units = _units(con)
    data = registration_layouts(units)["block headings, tick column"]
    prep = prepare(con, data, "tick.xlsx", ImportOptions(), cfg)
    warn = next(i for i in prep.issues if i.code == "mark_without_date")
    assert f"{LIST_DATE:%d/%m/%Y}" in warn.message
    regs = prep.registrations
    assert set(regs.loc[regs["unit"] != "", "registered_on"]) == {LIST_DATE}
    # block heading rows give the units' blocks: no disagreement with the catalogue
    assert not [i for i in prep.issues if i.code == "block_differs"]
    assert set(regs["block"]) == set(load_catalogue(con, 2024).block_units["block"])


def test_award_register_in_sections_never_replaces_the_registration_list(con, cfg):
    units = _units(con)
    regs = registration_layouts(units)["block column, note"]
    commit(con, prepare(con, regs, "dk.xlsx", ImportOptions(), cfg), regs, ACTOR, cfg)
    before = _records(con, 1)["TD01"]["actual"]
    data = AWARDS["sections, no kind column"]
    prep = prepare(con, data, "kt.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "awards"
    commit(con, prep, data, ACTOR, cfg)
    assert _records(con, 1)["TD01"]["actual"] == before == 90.0
    kinds = con.execute("SELECT file_kind, status FROM submissions ORDER BY submission_id").fetchall()
    assert kinds == [("registrations", "active"), ("awards", "active")]


def test_register_with_many_unknown_awards_is_held(con, cfg):
    rows = [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        [],
        ["STT", "Họ và tên", "Tập thể/Cá nhân", "Danh hiệu", "Năm thành tích"],
    ]
    rows += [[1, "Nguyễn Văn An", "CN", "CSTĐCS", 2024], [2, "Trần Thị Bình", "CN", "Giấy khen", 2024]]
    rows += [
        [3, "Lê Văn Cường", "CN", "Danh hiệu Gương mặt tiêu biểu", 2024],
        [4, "Phạm Văn Dũng", "CN", "Huy hiệu Vàng XYZ", 2024],
    ]
    from tests.support.sheets import xlsx

    data = xlsx(rows)
    prep = prepare(con, data, "held.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "awards"
    held = [i for i in prep.errors if i.code == "unmatched_held"]
    assert held and prep.needs("accept_unmatched")
    assert "Gương mặt tiêu biểu" in held[0].message and "Giấy khen" not in held[0].message
    accepted = prepare(con, data, "held.xlsx", ImportOptions(accept_unmatched=True), cfg)
    assert not accepted.refused
    assert any(i.code == "counts_toward_nothing" for i in accepted.issues)


def test_report_row_close_to_an_indicator_holds_the_file(con, cfg):
    data = report_with(
        [("Tổng thu NSNN", 160.2), ("Tỷ lệ DS tham gia BHYT", 92.8), ("Tỷ lệ hộ nghèo khu vực nông thôn", 2.1)]
    )
    prep = prepare(con, data, "q1.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "report"
    assert set(prep.observations["key"]) == {"CT02", "CT08"}
    expanded = [i for i in prep.issues if i.code == "abbreviation_expanded"]
    assert any("DS = dân số" in i.message and "BHYT = bảo hiểm y tế" in i.message for i in expanded)
    held = [i for i in prep.errors if i.code == "unmatched_held"]
    assert held and "Tỷ lệ hộ nghèo khu vực nông thôn" in held[0].message and "«Tỷ lệ hộ nghèo»" in held[0].message
    assert not prepare(con, data, "q1.xlsx", ImportOptions(accept_unmatched=True), cfg).refused


def test_unclear_kind_is_asked_and_the_choice_decides(con, cfg):
    from tests.support.sheets import xlsx

    # two indicator rows and two award rows: neither kind has four fifths of the signs
    rows = [["BẢNG TỔNG HỢP"], [], ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"]]
    rows += [[1, "Tổng thu ngân sách nhà nước", "tỷ đồng", 160.2], [2, "Tỷ lệ hộ nghèo", "%", 2.0]]
    rows += [[3, "Bằng khen của Chủ tịch UBND tỉnh", "", 5], [4, "Cờ thi đua của Chính phủ", "", 1]]
    data = xlsx(rows)
    prep = prepare(con, data, "mixed.xlsx", ImportOptions(), cfg)
    unclear = [i for i in prep.errors if i.code == "kind_unclear"]
    assert unclear and "báo cáo chỉ tiêu: 2 trong 4 dấu hiệu" in unclear[0].message and prep.needs("kind")
    assert "cần ít nhất 4 trong 4 dấu hiệu cùng chỉ một loại" in unclear[0].message
    chosen = prepare(con, data, "mixed.xlsx", ImportOptions(kind="report"), cfg)
    assert chosen.file_kind == "report" and not any(i.code == "kind_unclear" for i in chosen.issues)


def test_recipient_kind_signals_that_disagree_are_warned_and_none_is_asked(con, cfg):
    from tests.support.sheets import xlsx

    rows = [["DANH SÁCH KHEN THƯỞNG NĂM 2024"], [], ["STT", "Họ và tên", "Tập thể/Cá nhân", "Danh hiệu", "Ngày QĐ"]]
    rows += [[1, "Phòng Tư pháp", "Cá nhân", "Cờ thi đua của Chính phủ", "20/12/2024"]]  # a collective's flag
    names = ((2, "An"), (3, "Ba"), (4, "Tư"), (5, "Năm"), (6, "Sáu"))
    rows += [[i, f"Nguyễn Văn {n}", "CN", "CSTĐCS", "20/12/2024"] for i, n in names]
    prep = prepare(con, xlsx(rows), "k.xlsx", ImportOptions(), cfg)
    warn = [i for i in prep.issues if i.code == "recipient_kind_disagrees"]
    assert len(warn) == 1 and "danh hiệu: tập thể" in warn[0].message
    assert not prep.refused  # 1 row of 6 counts toward nothing: listed, not held
    assert "không tính cho cá nhân" in next(i.message for i in prep.issues if i.code == "counts_toward_nothing")
    rows = [["DANH SÁCH KHEN THƯỞNG NĂM 2024"], [], ["STT", "Tên", "Danh hiệu", "Năm thành tích"]]
    rows += [[1, "nhóm tác giả sáng kiến", "Bằng khen của Thủ tướng Chính phủ", 2024]]  # either kind can receive it
    rows += [[i, f"Trần Văn {n}", "CSTĐCS", 2024] for i, n in ((2, "An"), (3, "Ba"), (4, "Tư"), (5, "Năm"), (6, "Sáu"))]
    prep = prepare(con, xlsx(rows), "k2.xlsx", ImportOptions(), cfg)
    held = [i for i in prep.errors if i.code == "unmatched_held"]
    assert held and "nhóm tác giả sáng kiến" in held[0].message


def test_achievement_year_is_asked_when_neither_column_nor_title_gives_it(con, cfg):
    from tests.support.sheets import xlsx

    rows = [["DANH SÁCH KHEN THƯỞNG"], [], ["STT", "Họ và tên", "Loại", "Danh hiệu", "Số QĐ"]]
    rows += [[i, f"Lê Văn {n}", "CN", "CSTĐCS", "1021/QĐ-UBND"] for i, n in ((1, "An"), (2, "Ba"), (3, "Tư"))]
    data = xlsx(rows)
    prep = prepare(con, data, "no-year.xlsx", ImportOptions(), cfg)
    held = [i for i in prep.errors if i.code == "no_achievement_year"]
    assert len(held) == 1 and "3 dòng" in held[0].message and prep.needs("year") and prep.refusal_issues == held
    chosen = prepare(con, data, "no-year.xlsx", ImportOptions(year=2024), cfg)
    assert not chosen.refused and list(chosen.awards["achievement_year"]) == [2024] * 3
    commit(con, chosen, data, ACTOR, cfg)
    assert _records(con)["TD09"]["actual"] == 3


def test_a_register_whose_header_is_not_found_is_named_as_such(con, cfg):
    from tests.support.sheets import xlsx

    rows = [["DANH SÁCH KHEN THƯỞNG NĂM 2024"], [], ["STT", "Cột 1", "Cột 2", "Cột 3"]]
    rows += [[i, f"Lê Văn {n}", "Bằng khen của Chủ tịch UBND tỉnh", "250/QĐ-UBND"] for i, n in ((1, "An"), (2, "Ba"))]
    prep = prepare(con, xlsx(rows), "cols.xlsx", ImportOptions(), cfg)
    codes = [i.code for i in prep.errors]
    assert codes == ["register_columns_not_found"]
    assert "danh sách khen thưởng" in prep.errors[0].message and "«Họ và tên»" in prep.errors[0].message


# -- abbreviations as data -------------------------------------------------------------------------

ISSUE_FORMS = [
    "BHYT",
    "NSNN",
    "KT-XH",
    "NTM",
    "CSTĐ",
    "BK",
    "UBND",
    "HĐND",
    "TH",
    "KH",
    "LĐTT",
    "TTLĐXS",
    "CSTĐCS",
    "GK",
    "QĐ",
]


def test_the_issues_abbreviations_are_in_the_table():
    import csv

    from kpi.config import DATA_DIR

    with (DATA_DIR / "abbreviations.csv").open(encoding="utf-8") as fh:
        forms = {r["abbreviation"] for r in csv.DictReader(fh)}
    assert set(ISSUE_FORMS) <= forms


@pytest.mark.parametrize(
    ("written", "context", "expected"),
    [
        ("Tỷ lệ tham gia BHYT", "indicator", "Tỷ lệ tham gia bảo hiểm y tế"),
        ("Thu NSNN", "indicator", "Thu ngân sách nhà nước"),
        ("TH quý I", "header", "thực hiện quý I"),
        ("Trường TH Hưng Hóa", "unit", "Trường trường tiểu học Hưng Hóa"),
        ("BK CT UBND tỉnh", "award", "bằng khen Chủ tịch Ủy ban nhân dân tỉnh"),
        ("Tt Hưng Hóa", "unit", "Tt Hưng Hóa"),  # an abbreviation is written as one: "Tt" is not "TT"
        ("CSTĐCS", "award", "chiến sĩ thi đua cơ sở"),  # the longest form first, not "CSTĐ" + "CS"
    ],
)
def test_abbreviations_expand_by_context(written, context, expected):
    from kpi.domain.abbreviations import expand

    assert expand(written, context).text == expected


def test_two_plan_names_holding_all_the_words_is_no_match():
    from kpi.domain.abbreviations import similar

    names = {"Tỷ lệ hộ nghèo": "CT06a", "Tỷ lệ hộ cận nghèo": "CT06b"}
    assert similar("Tỷ lệ hộ", names).how == "ambiguous"
    assert similar("Tỷ lệ hộ cận nghèo toàn huyện", names).how == "close"
    found = similar("tỷ lệ hộ cận nghèo", {"Tỷ lệ hộ cận nghèo cuối năm": "CT06b", "Tỷ lệ hộ nghèo": "CT06a"})
    assert (found.how, found.value) == ("similar", "CT06b")


def test_every_abbreviation_names_its_source():
    """Each form says where it is used: a public document (number and address) or "common usage"."""
    import csv

    from kpi.config import DATA_DIR

    with (DATA_DIR / "abbreviations.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert all(r["source"].strip() for r in rows)
    cited = [r for r in rows if r["source"] != "common usage"]
    assert len(cited) >= 20 and all("http" in r["source"] for r in cited)
    by_form = {r["abbreviation"]: r["source"] for r in rows}
    assert "30/2020/NĐ-CP" in by_form["UBND"] and "30/2020/NĐ-CP" in by_form["HĐND"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Phòng LĐTB&XH", "Phòng lao động - thương binh và xã hội"),  # Sở LĐTB&XH (Tây Ninh)
        ("Phòng NN và PTNT", "Phòng NN và phát triển nông thôn"),
        ("UBMTTQ huyện", "Ủy ban Mặt trận Tổ quốc huyện"),
    ],
)
def test_forms_found_in_the_cited_documents_expand(written, expected):
    from kpi.domain.abbreviations import expand

    assert expand(written, "unit").text == expected


def test_blocks_as_marked_columns_are_no_block_names(con, cfg):
    """Round 11 f07: «Khối thi đua» merged over one column per block, the unit's block marked «x»
    under it; the first of those columns was read as the block column and each «x» warned as a
    block «x» that disagrees with the catalogue, telling the clerk a right file was wrong."""
    units = _units(con)
    blocks = list(dict.fromkeys(block for block, _unit in units))
    rows = [
        ["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG HUYỆN TAM NÔNG"],
        ["TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM 2024"],
        [],
        ["STT", "Tên cơ quan, đơn vị", "Khối thi đua", *[None] * (len(blocks) - 1), "Ngày đăng ký"],
        [None, None, *[f"Khối {i + 1}" for i in range(len(blocks))], None],
    ]
    for n, (block, unit) in enumerate(units, start=1):
        marks = ["x" if b == block else None for b in blocks]
        rows.append([n, unit, *marks, dt.datetime(2024, 1, 15)])
    last = chr(ord("C") + len(blocks) - 1)
    merges = [f"C4:{last}4", "A4:A5", "B4:B5", f"{chr(ord(last) + 1)}4:{chr(ord(last) + 1)}5"]
    data = xlsx(rows, merges=merges)
    prep = prepare(con, data, "khoi-cot.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "registrations" and not prep.refused, [i.text() for i in prep.errors]
    assert not [i.text() for i in prep.issues if i.code == "block_differs"]
    assert len(prep.registrations) == len(units)


def test_a_registration_row_naming_a_unit_by_its_abbreviation_is_that_unit(con, cfg):
    """Round 12: «UBND TT Hưng Hóa» in a registration list was «không có trong danh mục» while the
    same letterhead of a report was read as Thị trấn Hưng Hóa."""
    units = _units(con)
    rows = [["TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM 2024"], [], ["STT", "Tên đơn vị", "Ngày đăng ký"]]
    rows += [[n, unit, dt.datetime(2024, 1, 15)] for n, (_block, unit) in enumerate(units, start=1)]
    at = next(i for i, r in enumerate(rows) if len(r) == 3 and r[1] == "Thị trấn Hưng Hóa")
    rows[at][1] = "UBND TT Hưng Hóa"
    prep = prepare(con, xlsx(rows), "dk-viet-tat.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert "Thị trấn Hưng Hóa" in set(prep.registrations["unit"])
