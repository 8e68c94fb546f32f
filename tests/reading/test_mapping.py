"""A layout the reader did not recognise, described once (kpi.reading.mapping): the first guess
offered to the clerk, the layout built from the clerk's answer, and the layout's signature."""

from __future__ import annotations

import pytest

from kpi.reading.layout import vocabulary
from kpi.reading.mapping import layout_from_mapping, sheet_signature, suggest_mapping
from kpi.reading.workbook import Sheet
from kpi.storage.catalogue import load_catalogue

# A header the vocabulary does not know ("Nội dung"… "Cột 5"), the name column second, a unit column
# headed by a word the vocabulary does know ("ĐVT"), then two number columns.
GRID = [
    ["", "BIỂU SỐ LIỆU", "", "", ""],
    ["STT", "Nội dung", "ĐVT", "Quý I/2024", "Cột 5"],
    ["1", "Tổng vốn đầu tư toàn xã hội", "tỷ đồng", "825,2", "825,2"],
    ["2", "Tổng thu ngân sách nhà nước", "tỷ đồng", "201", "201"],
    ["3", "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", "93,2", "93,2"],
    ["", "Người lập biểu", "", "", ""],
]


@pytest.fixture
def plan(con):
    return load_catalogue(con, 2024)


def test_the_first_guess_finds_name_unit_header_and_number_columns(plan):
    guess = suggest_mapping(GRID, plan, vocabulary())
    assert guess["header_row"] == 2  # the row above the first indicator with two texts or more
    assert guess["name"] == "B" and guess["unit"] == "C"
    assert guess["values"]["D"] == {"kind": "quarter", "quarter": 1}
    assert guess["values"]["E"] == {"kind": None, "quarter": None}  # the header says nothing: ask
    assert "A" not in guess["values"]  # "STT": numbers, but no figure of the plan


def test_no_indicator_named_means_no_guess(plan):
    assert suggest_mapping([["a", "b"], ["1", "2"]], plan, vocabulary()) == {}


def test_the_clerks_mapping_becomes_the_layout_and_stops_at_the_footer(plan):
    sheet = Sheet("Biểu", [list(r) for r in GRID])
    mapping = {"header_row": 2, "name": "B", "unit": "C", "values": {"E": {"kind": "ytd"}}}
    layout = layout_from_mapping(sheet, mapping, vocabulary())
    roles = {c.index: (c.role, c.kind) for c in layout.columns}
    assert roles[1] == ("name", None) and roles[2] == ("unit", None)
    assert roles[4] == ("value", "ytd")
    assert roles[3][0] == "unknown"  # not in the mapping: not read
    assert (layout.first_data_row, layout.end_row) == (2, 5)  # "Người lập biểu" ends the table


def test_a_mapping_without_a_name_column_or_with_an_unknown_kind_is_refused():
    sheet = Sheet("Biểu", [list(r) for r in GRID])
    with pytest.raises(ValueError):
        layout_from_mapping(sheet, {"header_row": 2, "values": {}}, vocabulary())
    with pytest.raises(ValueError):
        layout_from_mapping(sheet, {"header_row": 2, "name": "B", "values": {"D": {"kind": "tháng"}}}, vocabulary())


def test_the_signature_is_the_header_not_the_title_period_or_figures():
    one = Sheet("Biểu", [list(r) for r in GRID])
    other_rows = [list(r) for r in GRID]
    other_rows[0][1] = "BIỂU SỐ LIỆU 6 THÁNG"
    other_rows[2][3] = "999"
    other = Sheet("Khác", other_rows)
    assert sheet_signature(one, 1) == sheet_signature(other, 1)
    moved = [list(r) for r in GRID]
    moved[1][2], moved[1][3] = moved[1][3], moved[1][2]
    assert sheet_signature(Sheet("Biểu", moved), 1) != sheet_signature(one, 1)
