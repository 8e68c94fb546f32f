"""A commune's report written by a program (formulas without cached results): the blind tester's
file tests/data/xa-hien-quan-quy-2-2024-phan-mem.xlsx, read as the upload preview reads it."""

from __future__ import annotations

import pytest

from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from tests.support.paths import TESTS

NAME = "xa-hien-quan-quy-2-2024-phan-mem.xlsx"


@pytest.fixture
def prep(con, cfg):
    return prepare(con, (TESTS / "data" / NAME).read_bytes(), NAME, ImportOptions(), cfg)


def _warning(prep, cell: str) -> str:
    return next(i.message for i in prep.issues if i.code == "formula_no_value" and i.cell == cell)


def test_a_formula_not_computed_says_why_and_what_to_do(prep):
    average = _warning(prep, "B18")
    assert "không tự tính được vì dùng hàm AVERAGE" in average
    assert "Hãy mở tệp bằng Excel, lưu lại rồi tải lên" in average
    link = _warning(prep, "B16")
    assert "lấy số từ tệp khác «tong-hop-ho-ngheo.xlsx» (liên kết ngoài)" in link
    assert "AVERAGE" not in link
    # a formula inside the subset whose cell has no number names that, not the file
    assert "cần số ở ô khác nhưng ô đó trống" in _warning(prep, "A18")
    assert not any("tệp do phần mềm tạo" in i.message for i in prep.issues)


def test_another_sheet_is_named():
    from kpi.reading.formula import UNSUPPORTED
    from kpi.reading.formula_reasons import not_evaluated_vi

    assert "lấy số từ trang tính khác «Số liệu»" in not_evaluated_vi(UNSUPPORTED, "='Số liệu'!B3*2")
    assert "dùng các hàm IF, SQRT" in not_evaluated_vi(UNSUPPORTED, "=IF(A1,SQRT(A2),0)")


def test_a_name_with_place_words_at_its_end_is_the_plans_indicator(prep):
    """«Tổng vốn đầu tư toàn xã hội trên địa bàn xã» is CT01 «Tổng vốn đầu tư toàn xã hội»."""
    rows = prep.rows.set_index("label")
    assert rows.loc["Tổng vốn đầu tư toàn xã hội trên địa bàn xã", "key"] == "CT01"
    assert "trên địa bàn xã»" not in " ".join(i.message for i in prep.issues if i.code == "unmatched_held")


def test_a_near_name_is_offered_only_on_its_own_words(con, prep):
    from kpi.storage.catalogue import load_catalogue

    catalogue = load_catalogue(con, 2024)
    assert catalogue.near_indicators("- Vốn ngân sách nhà nước") == ()  # «vốn» is not «thu»
    assert catalogue.near_indicators("- Dân số trung bình") == ()  # only generic words
    assert catalogue.near_indicators("- Số người tham gia BHYT") == ("CT08",)
    held = next(i.message for i in prep.issues if i.code == "unmatched_held")
    assert "Vốn ngân sách nhà nước" not in held and "Dân số trung bình" not in held
    dropped = next(i.message for i in prep.issues if i.code == "not_in_plan")
    assert "«- Dân số trung bình»" in dropped


def test_more_than_three_equally_near_names_are_none():
    from kpi.domain.abbreviations import near

    names = {f"Số hộ nghèo thôn {n}": f"K{n}" for n in "ABCD"}
    assert near("Hộ nghèo thôn", dict(list(names.items())[:3])) == ("KA", "KB", "KC")
    assert near("Hộ nghèo thôn", names) == ()


def test_the_preview_and_its_notes_write_figures_with_one_formatter(con, prep):
    """Plan figures of one unit in the same decimals («120,0» beside «15,0», never «15»), and the
    note of a formula evaluated says the figure as the table does («4,0», not «4»)."""
    from kpi.preview import figure_formats, labelled_observations, plan_names

    table = labelled_observations(prep.observations, 2024, figure_formats(con, 2024), plan_names(con, 2024))
    plan = table[table["Loại số"] == "kế hoạch trong tệp"].set_index("Mã")["Số (đơn vị kế hoạch)"]
    assert (plan["CT01"], plan["CT02"]) == ("120,0", "15,0")
    shown = table.set_index("Ô")["Số (đơn vị kế hoạch)"]
    note = next(i.message for i in prep.issues if i.code == "formula_evaluated" and i.cell == "B9")
    assert shown["B9"] == "4,0" and note.endswith("đã tự tính được 4,0.")


def test_formulas_not_computed_for_different_reasons_are_not_folded_as_one_warning(prep):
    """The preview folded B15, B16 and B18 into «3 ô ở cột B có cùng một cảnh báo, ví dụ …» and
    its two examples left out the AVERAGE of B18: the reasons differ, so each is said."""
    from kpi.reading.notes import folded_notes

    lines = [n.text for n in folded_notes(prep.issues)]
    assert not any("cùng một cảnh báo" in line for line in lines), lines
    assert any("dùng hàm AVERAGE" in line for line in lines)
