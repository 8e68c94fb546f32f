"""The plan model's name matching (kpi.domain.plan.Catalogue): award names as registers write
them, with the words before the name, the plan's own province, and abbreviations expanded by
kpi.domain.abbreviations (data/abbreviations.csv)."""

from __future__ import annotations

import pytest

from kpi.domain.abbreviations import expand
from kpi.storage.catalogue import load_catalogue


@pytest.fixture
def plan(con):
    return load_catalogue(con, 2024)


@pytest.mark.parametrize(
    ("written", "award"),
    [
        ("Danh hiệu Chiến sĩ thi đua cấp tỉnh", "Chiến sĩ thi đua cấp tỉnh"),
        ("Danh hiệu CSTĐ cấp tỉnh", "Chiến sĩ thi đua cấp tỉnh"),
        ("Danh hiệu: Tập thể lao động xuất sắc", "Tập thể lao động xuất sắc"),
        ("Hình thức khen thưởng: Bằng khen của Chủ tịch UBND tỉnh", "Bằng khen của Chủ tịch UBND tỉnh"),
        ("BK TTgCP", "Bằng khen của Thủ tướng Chính phủ"),
        ("Bằng khen TTgCP", "Bằng khen của Thủ tướng Chính phủ"),
        ("BKCT UBND tỉnh", "Bằng khen của Chủ tịch UBND tỉnh"),
    ],
)
def test_award_names_as_registers_write_them(plan, written, award):
    match = plan.match_award(expand(written, "award").text, by_words=True)
    assert match is not None and match.value == award


@pytest.mark.parametrize("written", ["Danh hiệu", "Danh hiệu Lao động tiên tiến", "Bằng khen của Bộ trưởng"])
def test_words_before_a_name_never_make_another_award_the_plans(plan, written):
    assert plan.match_award(expand(written, "award").text, by_words=True) is None


def test_a_unit_written_with_its_office_abbreviated(plan):
    match = plan.match_unit(expand("Ban CHQS huyện", "unit").text)
    assert match is not None and match.value == "Ban Chỉ huy Quân sự huyện"
