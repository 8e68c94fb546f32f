"""The pages' text helpers of appkit/text.py, on the real plan and samples."""

from appkit.text import summary_list
from kpi.reporting.attainment_report import attainment_report


def test_the_phones_summary_says_in_words_that_an_indicator_has_no_figure(con):
    """Black-box finding (390 px, overview): an indicator without a figure read «— – — –», a
    dash for each missing part; it reads «Chưa có số liệu» instead."""
    lines = summary_list(attainment_report(con, 2024)).splitlines()
    assert len(lines) == 23
    assert not [line for line in lines if "– —" in line or "— –" in line]
    assert lines[0] == "- **Tổng vốn đầu tư toàn xã hội** — :gray-badge[Chưa có số liệu]"


def test_the_phones_summary_keeps_figure_percentage_and_word_when_there_is_a_figure(loaded):
    lines = summary_list(attainment_report(loaded, 2024)).splitlines()
    # «73,87\u00a0%»: the sign never wraps away from its number (black-box: «100,00» / «% —» at 390 px)
    assert (
        lines[0] == "- **Tổng vốn đầu tư toàn xã hội** — 2\\.438,3 tỷ đồng — 73,87\u00a0% — :orange-badge[Chậm tiến độ]"
    )
    assert not [line for line in lines if "– —" in line or "— –" in line]
