"""A report's ratio columns (round 7, findings 2 and 3): «So cùng kỳ (%)», «% KH», «So KH» compare two
figures — never last year's figure, the plan or an actual; «TH 6T» is six months' year to date; a
file whose own ratios disagree with its figures (a shifted column) is held for the clerk.

Every workbook here is built with openpyxl in a layout the shared samples do not use (the ratio
column first, two ratio columns, «TH 6T», «Ước TH cả năm», …)."""

from __future__ import annotations

import pytest

from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
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


@pytest.mark.parametrize(
    "ratio_header",
    ["So CK (%)", "% KH", "So KH", "Đạt (%)", "SO CÙNG KỲ", "Tỷ lệ % so KH", "TH so cùng kỳ"],
)
def test_every_way_of_writing_a_ratio_column(con, cfg, ratio_header):
    """Two ratio columns, «So sánh (%)» and another written as clerks write it, around «Ước TH cả
    năm»: neither is stored, whatever the size of its numbers."""
    rows = [
        ["PHÒNG KINH TẾ VÀ HẠ TẦNG"],
        [TITLE],
        [SIGNED],
        ["STT", "Tên chỉ tiêu", "ĐVT", "Kế hoạch năm", "Lũy kế 6 tháng", "So sánh (%)", ratio_header, "Ước TH cả năm"],
        [
            1,
            "Tỷ lệ thu gom và xử lý chất thải rắn sinh hoạt đô thị và khu dân cư tập trung",
            "%",
            87.84,
            86.9,
            98.9,
            102.2,
            87.9,
        ],
        [2, "Số khu dân cư đạt khu nông thôn mới kiểu mẫu (lũy kế)", "khu", 20, 18, 90, 112.5, 20],
    ]
    prep = prepare(con, xlsx(rows), "hai-cot-ty-le.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    meanings = _meanings(prep)
    assert meanings["F"][0] == "derived" and meanings["G"][0] == "derived", meanings
    assert set(prep.observations["cell"].str[0]) == {"D", "E", "H"}
    assert set(prep.observations["kind"]) == {"plan", "ytd", "year_estimate"}


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
