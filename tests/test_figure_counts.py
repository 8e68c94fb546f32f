"""A count is known by its unit, through the words of ``data/output.toml`` (helper s12-b, issue 14
item 4: "a measured figure with max(1, its target's decimals) decimals, a count with none").

The upload preview writes the Q1 sample's plan figure of CT02 «805,0»: CT02 is «Tổng thu ngân sách
nhà nước» in tỷ đồng, a measured figure whose target has no decimals, so one decimal is right (as
«566,5», «3.820,0» are). The rule that decides a count was a list of the samples' unit strings in
the code; it is now data, and a unit that names several things counted, another district's count
unit, or a count word whose target has decimals (an average) are read by the rule, not by a list.
"""

from __future__ import annotations

import pytest

import kpi.config
import kpi.vn
from kpi.ingest import prepare
from kpi.preview import figure_formats, labelled_observations, written
from kpi.reading.report_sheets import ImportOptions
from kpi.vn import format_figure, is_count
from tests.support.samples import sample_bytes


def test_the_preview_writes_a_measured_plan_figure_with_one_decimal(con, cfg):
    prep = prepare(con, sample_bytes("q1"), "bao-cao-quy-1-2024.xlsx", ImportOptions(), cfg)
    shown = labelled_observations(prep.observations, 2024, figure_formats(con, 2024))
    plan = shown[shown["Loại số"] == "kế hoạch trong tệp"].set_index("Mã")
    assert plan.loc["CT02", "Ghi trong tệp"] == "805"
    assert plan.loc["CT02", "Số (đơn vị kế hoạch)"] == "805,0"  # tỷ đồng: measured, max(1, 0) decimals
    assert plan.loc["CT03", "Số (đơn vị kế hoạch)"] == "126,8"


@pytest.mark.parametrize(
    ("unit", "decimals", "text"),
    [
        ("doanh nghiệp", 0, "805"),  # another district's count: not a sample's string
        ("Hộ gia đình", 0, "805"),  # capitalised as a plan writes it
        ("xã, thị trấn", 0, "805"),  # several things counted, joined by «,»
        ("thôn và tổ dân phố", 0, "805"),  # … or by «và»
        ("khu", 0, "805"),
        ("tỷ đồng", 0, "805,0"),  # measured
        ("người/vạn dân", 0, "805,0"),  # per something: a rate
        ("người", 1, "805,0"),  # a count word whose target has decimals: an average
    ],
)
def test_a_plan_figure_is_a_count_by_its_unit(unit, decimals, text):
    formats = {"X01": (unit, decimals, "level", ())}
    assert written(805, "X01", "plan", formats) == text
    assert format_figure(805, unit, decimals) == text


def test_an_average_in_a_count_word_keeps_its_decimals():
    assert format_figure(10.4, "người", 1) == "10,4"  # before: «10» (a count word, whatever the target)
    assert format_figure(18, "khu", 0) == "18"


def test_the_count_words_are_data(tmp_path, monkeypatch):
    """A district's own data folder decides what counts: its words, not the code's."""
    (tmp_path / "output.toml").write_text('[figures]\ncount_units = ["chuyến", "ca"]\n', encoding="utf-8")
    monkeypatch.setattr(kpi.config, "DATA_DIR", tmp_path)
    kpi.vn._count_units.cache_clear()
    try:
        assert is_count("chuyến") and is_count("chuyến, ca")
        assert format_figure(805, "chuyến", 0) == "805"
        assert format_figure(18, "khu", 0) == "18,0"  # not a count of this folder
    finally:
        monkeypatch.undo()
        kpi.vn._count_units.cache_clear()
    assert format_figure(18, "khu", 0) == "18"
