"""A report's ratio columns (round 7, findings 2 and 3): «So cùng kỳ (%)», «% KH», «So KH» compare two
figures — never last year's figure, the plan or an actual; «TH 6T» is six months' year to date; a
file whose own ratios disagree with its figures (a shifted column) is held for the clerk.

Every workbook here is built with openpyxl in a layout the shared samples do not use (the ratio
column first, two ratio columns, «TH 6T», «Ước TH cả năm», …)."""

from __future__ import annotations

import pytest

from kpi.bootstrap import open_database
from kpi.cli import main
from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from tests.support.apptest import XLSX, texts, upload_page
from tests.support.sheets import xlsx

TITLE = "BÁO CÁO ƯỚC THỰC HIỆN MỘT SỐ CHỈ TIÊU 6 THÁNG ĐẦU NĂM 2024 HUYỆN TAM NÔNG"
SIGNED = "Tam Nông, ngày 02 tháng 7 năm 2024"


def _meanings(prep) -> dict[str, tuple]:
    return {c.letter: (c.role, c.kind, c.quarter) for c in prep.layout.columns if c.header}


def test_ratio_to_last_year_first_is_no_figure(con, cfg):
    """«So cùng kỳ (%)» before the figures, «Cùng kỳ năm trước» after them: the first is a ratio
    (its 101,7 of a share and 112,5 of a count are no errors), the second last year's figure;
    «TH 6T» is the six months' year to date, not a quarter's own figure (blind round 7, file 03:
    refused for «101,7 % (trên 100 %)» and «112,5 khu»)."""
    rows = [
        ["CHI CỤC THỐNG KÊ KHU VỰC TAM NÔNG"],
        [TITLE],
        [SIGNED],
        ["Chỉ tiêu", "ĐVT", "So cùng kỳ (%)", "TH 6T", "KH năm 2024", "Cùng kỳ năm trước"],
        ["Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 101.7, 93.6, 94.5, 92.0],
        ["Số khu dân cư đạt khu nông thôn mới kiểu mẫu (lũy kế)", "Khu", 112.5, 18, 20, 16],
        ["Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 109.5, 1312.4, 3300.9, 1198.5],
    ]
    prep = prepare(con, xlsx(rows), "so-cung-ky-truoc.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    meanings = _meanings(prep)
    assert meanings["C"] == ("derived", None, None)
    assert meanings["D"] == ("value", "ytd", 2)
    assert meanings["F"] == ("value", "last_year", None)
    obs = prep.observations.set_index(["key", "kind"])["value"]
    assert obs[("CT08", "ytd")] == pytest.approx(93.6)
    assert obs[("CT08", "last_year")] == pytest.approx(92.0)
    assert obs[("CT01", "last_year")] == pytest.approx(1198.5)  # never 109,5 beside it
    assert not (prep.observations["cell"].str[0] == "C").any()
    assert {"share_over_100", "not_whole"}.isdisjoint(i.code for i in prep.issues)


TO_PLAN = (98.9, 90)  # 86,9 / 87,84 and 18 / 20
TO_LAST_YEAR = (102.2, 112.5)  # 86,9 / 85 and 18 / 16: a share's «102,2» and a count's «112,5»


@pytest.mark.parametrize(
    "ratio_header,ratios",
    [
        ("So CK (%)", TO_LAST_YEAR),
        ("SO CÙNG KỲ", TO_LAST_YEAR),
        ("TH so cùng kỳ", TO_LAST_YEAR),
        ("% KH", TO_PLAN),
        ("So KH", TO_PLAN),
        ("Đạt (%)", TO_PLAN),
        ("Tỷ lệ % so KH", TO_PLAN),
    ],
)
def test_every_way_of_writing_a_ratio_column(con, cfg, ratio_header, ratios):
    """Two ratio columns, «So sánh (%)» and another written as clerks write it, around «Ước TH cả
    năm» and last year's figures: neither is stored, whatever the size of its numbers, and as
    they agree with the file's figures the file is not held."""
    rows = [
        ["PHÒNG KINH TẾ VÀ HẠ TẦNG"],
        [TITLE],
        [SIGNED],
        [
            "STT",
            "Tên chỉ tiêu",
            "ĐVT",
            "Kế hoạch năm",
            "Lũy kế 6 tháng",
            "So sánh (%)",
            ratio_header,
            "Ước TH cả năm",
            "TH cùng kỳ năm 2023",
        ],
        [
            1,
            "Tỷ lệ thu gom và xử lý chất thải rắn sinh hoạt đô thị và khu dân cư tập trung",
            "%",
            87.84,
            86.9,
            TO_PLAN[0],
            ratios[0],
            87.9,
            85.0,
        ],
        [2, "Số khu dân cư đạt khu nông thôn mới kiểu mẫu (lũy kế)", "khu", 20, 18, TO_PLAN[1], ratios[1], 20, 16],
    ]
    prep = prepare(con, xlsx(rows), "hai-cot-ty-le.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    meanings = _meanings(prep)
    assert meanings["F"][0] == "derived" and meanings["G"][0] == "derived", meanings
    assert set(prep.observations["cell"].str[0]) == {"D", "E", "H", "I"}
    assert set(prep.observations["kind"]) == {"plan", "ytd", "year_estimate", "last_year"}
    assert not any(i.code == "ratio_mismatch" for i in prep.issues)


def test_last_year_written_as_a_number_stays_last_year(con, cfg):
    """«Số cùng kỳ năm trước» (a number, «Số» with its diacritic) is last year's figure; «So cùng kỳ»
    beside it compares."""
    rows = [
        [TITLE],
        [SIGNED],
        ["Chỉ tiêu", "ĐVT", "Ước TH 6T", "Số cùng kỳ năm trước", "So cùng kỳ"],
        ["Tổng thu ngân sách nhà nước", "Tỷ đồng", 371.3, 350.1, 106.1],
    ]
    prep = prepare(con, xlsx(rows), "so-va-so.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    meanings = _meanings(prep)
    assert meanings["C"] == ("value", "ytd", 2) and meanings["D"] == ("value", "last_year", None)
    assert meanings["E"] == ("derived", None, None)
    obs = prep.observations.set_index("kind")
    assert obs.loc["last_year", "value"] == pytest.approx(350.1)
    assert obs.loc["ytd", "vintage"] == "estimate"


# -- the file's own ratios against its figures (finding 2) -------------------------------------

CT10 = "Tỷ lệ thu gom và xử lý chất thải rắn sinh hoạt đô thị và khu dân cư tập trung"
CT11 = "Tỷ lệ dân cư nông thôn, thành thị được sử dụng nước sạch, nước hợp vệ sinh"
CT09 = "Số khu dân cư đạt khu nông thôn mới kiểu mẫu (lũy kế)"


def shifted_file() -> bytes:
    """Blind round 7, file 13, in another order: the ratio first, no plan column; «TH 6T» holds the
    approved targets and the ratio column the real actuals."""
    return xlsx(
        [
            ["PHÒNG KINH TẾ VÀ HẠ TẦNG"],
            ["KẾT QUẢ THỰC HIỆN MỘT SỐ CHỈ TIÊU 6 THÁNG ĐẦU NĂM 2024"],
            [SIGNED],
            ["Tỷ lệ % so KH", "TH 6T", "Chỉ tiêu", "ĐVT"],
            [86.1, 87.84, CT10, "%"],
            [99.2, 100, CT11, "%"],
            [18, 20, CT09, "khu"],
        ]
    )


def stored_ct09(cfg) -> list:
    con = open_database(cfg)
    try:
        return con.execute("SELECT kind, value FROM observations WHERE key = 'CT09'").fetchall()
    finally:
        con.close()


def test_actuals_equal_to_their_targets_beside_other_ratios_hold_the_file(con, cfg):
    """Held, said once for the column; stored only when the clerk says the figures are right."""
    data = shifted_file()
    prep = prepare(con, data, "lech-cot.xlsx", ImportOptions(), cfg)
    assert prep.refused and prep.awaiting_decision and prep.needs("ratios")
    [held] = prep.errors
    assert (held.code, held.cell) == ("ratio_mismatch", "A5")
    assert held.message.startswith(
        "Mọi số ở cột B «TH 6T» (3 dòng: 5, 6, 7) đều bằng đúng kế hoạch (87,84; 100; 20), trong khi cột A «Tỷ lệ % so KH» của tệp "
        "ghi 86,1; 99,2; 18 chứ không phải 100 %: có thể số liệu bị ghi lệch cột"
    )
    kept = prepare(con, data, "lech-cot.xlsx", ImportOptions(ratios="as_written"), cfg)
    assert not kept.refused
    [warned] = [i for i in kept.warnings if i.code == "ratio_mismatch"]
    assert "Số liệu được lưu đúng như tệp ghi theo lựa chọn khi tải lên" in warned.message


def test_the_files_own_plan_equal_to_its_actuals_holds_the_file(con, cfg):
    """The plan column filled, the actuals a copy of it, «Đạt % so với chỉ tiêu giao» the truth."""
    rows = [
        ["UBND HUYỆN TAM NÔNG"],
        ["PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG"],
        ["BÁO CÁO KẾT QUẢ 6 THÁNG ĐẦU NĂM 2024"],
        [SIGNED],
        ["Chỉ tiêu", "KH năm 2024", "Thực hiện 6 tháng", "Đạt % so với chỉ tiêu giao", "ĐVT"],
        [CT10, 87.84, 87.84, 98.9, "%"],
        [CT11, 100, 100, 99.2, "%"],
    ]
    prep = prepare(con, xlsx(rows), "kh-bang-th.xlsx", ImportOptions(), cfg)
    [held] = prep.errors
    assert held.code == "ratio_mismatch" and held.cell == "D6"
    assert "Mọi số ở cột C «Thực hiện 6 tháng» (2 dòng: 6, 7) đều bằng đúng kế hoạch (87,84; 100)" in held.message
    assert "ghi 98,9; 99,2 chứ không phải 100 %" in held.message


def test_one_ratio_that_disagrees_is_said_with_both_figures(con, cfg):
    """Money and a share, ratios in a % number format (0,398 shown 39,8 %); one row's ratio does
    not follow from its figures: that row alone, with what the file says and what its figures give."""
    rows = [
        ["PHÒNG TÀI CHÍNH - KẾ HOẠCH"],
        ["BIỂU SỐ LIỆU 6 THÁNG ĐẦU NĂM 2024"],
        [SIGNED],
        ["TT", "Nội dung", "Đơn vị tính", "Kế hoạch năm 2024", "Lũy kế 6 tháng", "% so KH", "Ước TH cả năm"],
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 1312.4, 0.398, 3320],
        [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, 371.3, 0.75, 806.5],
        [3, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94.5, 93.6, 0.99, 94.6],
    ]
    prep = prepare(con, xlsx(rows, percent=["F5", "F6", "F7"]), "mot-dong-sai.xlsx", ImportOptions(), cfg)
    [held] = prep.errors
    assert (held.code, held.cell) == ("ratio_mismatch", "F6")
    assert held.message.startswith(
        "Dòng 6 «Tổng thu ngân sách nhà nước»: cột «% so KH» ghi 75 (ô F6), nhưng theo số của chính tệp thì «Lũy "
        "kế 6 tháng» 371,3 (ô E6) so với kế hoạch trong tệp 805 (ô D6) là 46 %. Hai số không khớp: có thể số "
        "liệu bị ghi lệch cột."
    )


def test_ratios_written_as_fractions_and_a_ceilings_ratio_agree(con, cfg):
    """A ratio written 0,398 without a % format (a fraction), and a poverty rate whose ratio is the
    target over the figure (a ceiling): both agree with the file, nothing held."""
    rows = [
        [TITLE],
        [SIGNED],
        ["Chỉ tiêu", "ĐVT", "Ước TH 6T", "So với KH (%)", "KH 2024"],
        ["Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 1312.4, 0.398, 3300.9],
        ["Tỷ lệ hộ nghèo", "%", 0.18, 94.4, 0.17],
    ]
    prep = prepare(con, xlsx(rows), "phan-so.xlsx", ImportOptions(), cfg)
    assert not any(i.code == "ratio_mismatch" for i in prep.issues), [i.text() for i in prep.issues]


def test_ratio_formulas_to_plan_and_to_last_year_agree(con, cfg):
    """Blind round 7, file 03, as its clerk built it: «So sánh (%) TH/KH» and «So cùng kỳ (%)» by
    ROUND formulas (evaluated here: openpyxl stores none of their results): nothing held, nothing
    of them stored."""
    rows = [
        ["Biểu số 02/TK-H"],
        [TITLE],
        [SIGNED],
        [
            "Chỉ tiêu",
            "ĐVT",
            "Kế hoạch năm 2024",
            "TH cùng kỳ năm 2023",
            "Ước TH 6 tháng năm 2024",
            "So sánh (%) TH/KH",
            "So cùng kỳ (%)",
            "Ước TH cả năm 2024",
        ],
    ]
    body = [
        ("Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 1198.5, 1312.4, 3320),
        ("Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94.5, 92.0, 93.6, 94.6),
        (CT09, "Khu", 20, 16, 18, 20),
    ]
    for n, (name, unit, plan, last, actual, year) in enumerate(body, start=5):
        rows.append([name, unit, plan, last, actual, f"=ROUND(E{n}/C{n}*100,1)", f"=ROUND(E{n}/D{n}*100,1)", year])
    prep = prepare(con, xlsx(rows), "cong-thuc-ty-le.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert not any(i.code == "ratio_mismatch" for i in prep.issues)
    assert set(prep.observations["cell"].str[0]) == {"C", "D", "E", "H"}


def test_cli_holds_then_stores_with_ratios_as_written(con, cfg, tmp_path):
    con.close()
    path = tmp_path / "lech-cot.xlsx"
    path.write_bytes(shifted_file())
    args = ["ingest", str(path), "--db", str(cfg.db_path)]
    assert main(args) == 1
    assert stored_ct09(cfg) == []
    assert main([*args, "--ratios", "as-written"]) == 0
    assert stored_ct09(cfg) == [("ytd", 20.0)]


@pytest.mark.usefixtures("app_env", "server_machine")
def test_upload_page_asks_about_the_ratio_column(con, cfg):
    at = upload_page(con)
    at.file_uploader(key="up_files").set_value([("lech-cot.xlsx", shifted_file(), XLSX)]).run()
    shown = texts(at)
    assert "Chờ bạn quyết định" in shown and "có thể số liệu bị ghi lệch cột" in shown
    assert "--ratios" not in shown  # the page offers its own control, not the command line's flag
    assert not [b for b in at.button if b.key and b.key.startswith("up_save_")]
    radio = next(r for r in at.radio if r.key and r.key.startswith("up_ratios_"))
    radio.set_value("as_written").run()
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("up_save_"))).click().run()
    assert not at.exception
    assert stored_ct09(cfg) == [("ytd", 20.0)]


def test_a_figure_held_for_its_scale_is_not_asked_again_by_its_ratio(con, cfg):
    """A rate written as a fraction (0,936) beside the file's right ratio (99,05 % of 94,5): held for
    its scale only; «nhân 100» lifts it, and its ratio then agrees — no second question."""
    rows = [
        ["PHÒNG Y TẾ"],
        [TITLE],
        [SIGNED],
        ["Chỉ tiêu", "ĐVT", "KH năm", "Ước TH 6T", "% KH"],
        ["Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94.5, 0.936, 99.05],
        ["Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, 371.3, 46.12],
    ]
    data = xlsx(rows)
    prep = prepare(con, data, "phan-so-va-ty-le.xlsx", ImportOptions(), cfg)
    assert [i.code for i in prep.errors] == ["scale_unclear"]
    chosen = prepare(con, data, "phan-so-va-ty-le.xlsx", ImportOptions(scale="fraction"), cfg)
    assert not chosen.refused, [i.text() for i in chosen.errors]


# -- a ceiling's ratio either way round (blind round 8, finding 4) -----------------------------

CT04 = "Tỷ trọng lao động nông nghiệp trong tổng lao động xã hội"
CT06B = "Tỷ lệ hộ cận nghèo"


def test_a_ceilings_ratio_agrees_as_th_over_kh_and_as_kh_over_th(con, cfg):
    """Two ceilings (lower is better) and a floor, the ratio column last after «Ước cả năm», the
    plan column between the figures: CT04's ratio is the usual TH/KH (32,6 / 33 = 98,79), the near
    poor's the ceiling's KH/TH (0,22 / 0,23 = 95,65), the last one TH/KH as a %-formatted fraction
    (0,23 / 0,22 = 104,55 %). Every one follows from the file's own figures: nothing held (the
    blind round's year report, every row «=ROUND(I/D*100,2)», was held as «ghi lệch cột»)."""
    rows = [
        ["UBND HUYỆN TAM NÔNG"],
        ["TỔNG HỢP CHỈ TIÊU 9 THÁNG NĂM 2024"],
        ["Tam Nông, ngày 05 tháng 10 năm 2024"],
        ["Mã", "Nội dung chỉ tiêu", "Lũy kế 9 tháng", "KH giao năm 2024", "Ước cả năm", "Đạt so KH giao (%)"],
        ["a", CT04, 32.6, 33, 32.5, 98.79],
        ["b", CT06B, 0.23, 0.22, 0.22, 95.65],
        ["c", "Tỷ lệ dân số tham gia bảo hiểm y tế", 93.6, 94.5, 94.6, 99.05],
    ]
    prep = prepare(con, xlsx(rows), "tran-hai-chieu.xlsx", ImportOptions(), cfg)
    assert not any(i.code.startswith("ratio_mismatch") for i in prep.issues), [i.text() for i in prep.issues]
    assert not prep.refused, [i.text() for i in prep.errors]
    rows[5][5] = 1.0455  # the near poor's TH/KH written as a fraction in a % format
    prep = prepare(con, xlsx(rows, percent=["F6"]), "tran-phan-so.xlsx", ImportOptions(), cfg)
    assert not any(i.code.startswith("ratio_mismatch") for i in prep.issues), [i.text() for i in prep.issues]


def test_a_ceilings_ratio_against_the_approved_target_either_way(con, cfg):
    """No plan column: the ceiling's ratio is checked against the approved target (33), written
    TH/KH on one file and KH/TH on another — both agree."""
    for ratio in (98.79, 101.23):
        rows = [
            ["PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"],
            [TITLE],
            [SIGNED],
            ["% so với chỉ tiêu", "Chỉ tiêu", "ĐVT", "Ước TH 6T"],
            [ratio, CT04, "%", 32.6],
        ]
        prep = prepare(con, xlsx(rows), "muc-tieu.xlsx", ImportOptions(), cfg)
        assert not any(i.code.startswith("ratio_mismatch") for i in prep.issues), (
            ratio,
            [i.text() for i in prep.issues],
        )


def test_a_ceilings_ratio_that_follows_neither_way_is_held(con, cfg):
    """90 is neither 32,6 / 33 (98,79) nor 33 / 32,6 (101,23): held, the row said with what its
    figures give by the ceiling's rule; the floor beside it, right, is not named."""
    rows = [
        ["PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"],
        [TITLE],
        [SIGNED],
        ["Chỉ tiêu", "Kế hoạch", "Thực hiện 6 tháng", "Tỷ lệ đạt KH (%)"],
        [CT04, 33, 32.6, 90],
        ["Tỷ lệ dân số tham gia bảo hiểm y tế", 94.5, 93.6, 99.05],
    ]
    prep = prepare(con, xlsx(rows), "tran-sai.xlsx", ImportOptions(), cfg)
    assert prep.refused and prep.needs("ratios")
    [held] = prep.errors
    assert (held.code, held.cell) == ("ratio_mismatch", "D5")
    assert held.message.startswith(
        f"Dòng 5 «{CT04}»: cột «Tỷ lệ đạt KH (%)» ghi 90 (ô D5), nhưng theo số của chính tệp thì «Thực hiện 6 "
        "tháng» 32,6 (ô C5) so với kế hoạch trong tệp 33 (ô B5) là 101 %."
    )


@pytest.mark.parametrize(
    "written,said,computed",
    [
        (47.2, "ghi 47,2 (ô F5)", "là 45,4 %"),  # the file's one decimal: 45,44 → 45,4
        ("47,20 %", "ghi 47,20 (ô F5)", "là 45,44 %"),  # a text with two: two
        (44, "ghi 44 (ô F5)", "là 45 %"),  # a whole number: whole
    ],
)
def test_the_computed_ratio_is_written_as_the_file_writes_its_own(con, cfg, written, said, computed):
    """«ghi 47,2 … là 45,44 %» read as two ways of writing: the figures' ratio is written with the
    decimals of the file's own (:func:`kpi.vn.distinct_decimals`: more only when the two would
    otherwise read alike — never here: a ratio within its own rounding agrees). 1500 / 3300,9 × 100
    = 45,4422…"""
    rows = [
        ["PHÒNG TÀI CHÍNH - KẾ HOẠCH"],
        ["BIỂU SỐ LIỆU 6 THÁNG ĐẦU NĂM 2024"],
        [SIGNED],
        ["TT", "Nội dung", "Đơn vị tính", "Kế hoạch năm 2024", "Lũy kế 6 tháng", "% so KH"],
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 1500, written],
    ]
    prep = prepare(con, xlsx(rows), "ty-le.xlsx", ImportOptions(), cfg)
    [held] = [i for i in prep.errors if i.code == "ratio_mismatch"]
    assert said in held.message and computed in held.message, held.message
