"""The pages' text helpers of appkit/text.py, on the real plan and samples."""

from appkit.text import summary_list
from kpi.reporting.attainment_report import attainment_report
from kpi.vn import period_words


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


def test_the_phones_summary_names_the_quarter_of_a_figure_from_an_earlier_report(loaded):
    """Black-box finding (390 px, overview): an indicator whose latest figure is of an earlier
    quarter (CT03…CT06b: the half-year report's) read like the others under «Kỳ: Quý III/2024»;
    the desktop table's «Kỳ» column names it. The line names it; a figure of the report's own
    quarter names none."""
    rep = attainment_report(loaded, 2024, quarter=3)
    earlier = rep.table[rep.table["period"].notna() & (rep.table["period"] != "2024-Q3")]
    assert list(earlier["key"]) == ["CT03", "CT04", "CT05a", "CT05b", "CT06a", "CT06b"]
    by_name = dict(zip(rep.table["name"], summary_list(rep).splitlines(), strict=True))
    for name, period in zip(earlier["name"], earlier["period"], strict=True):
        assert f"({period_words(period)})" in by_name[name]
    assert by_name["Tỷ lệ hộ nghèo"].startswith("- **Tỷ lệ hộ nghèo** — 0,18 % \\(ước\\) (Quý II/2024) — ")
    assert not any("(Năm" in line for line in by_name.values())  # a year's count is the year's: said once, above
    same = rep.table[rep.table["period"] == "2024-Q3"]
    assert len(same) and not any("(Quý" in by_name[n] for n in same["name"])
