"""Headings without a number, known by their form and their words (helper s12-b, issue 14).

Black-box finding: a plan whose targets are followed by «Nhiệm vụ trọng tâm», «Giải pháp thực
hiện», a line in capitals («MỘT SỐ GIẢI PHÁP CHỦ YẾU») or a short line alone above its items had
the tasks under it read as targets («Hoàn thành 100% kế hoạch giải ngân …», «Trồng mới 15 ha rừng»)
or listed as targets not understood, and a subsection's targets («Quốc phòng, an ninh») silently
given the group of the heading above. Now a line is a heading by its form — short, no figure, no
bullet or number, not closed as a sentence, followed by items
(:func:`kpi.plans.structure.by_form`) — and what it means comes from the vocabulary
(``[sections] end_patterns``): the tasks after the targets end their part (what follows is listed
as outside it); any other is a subsection whose targets' group is asked.

Ten plan texts written for this test, worded unlike the samples and the seed: different
numberings (roman, dotted, «+» and «-» bullets, «(3)», markdown headings), a text without any
target heading, headings ending in «:», a sentence broken over two lines.
"""

from __future__ import annotations

import pytest

from kpi.plans.parse import NO_GROUP, parse_plan
from kpi.plans.text import text_document

P1_LOWER_TASKS = """KẾ HOẠCH phát triển kinh tế - xã hội xã Phú Lộc năm 2025
I. MỤC TIÊU TỔNG QUÁT
Giữ vững ổn định chính trị, phát triển kinh tế toàn diện.
II. CÁC CHỈ TIÊU CHỦ YẾU
- Tổng thu ngân sách nhà nước trên địa bàn đạt 12,5 tỷ đồng;
- Tỷ lệ hộ nghèo giảm còn 1,2%;
Nhiệm vụ trọng tâm
- Hoàn thành 100% kế hoạch giải ngân vốn đầu tư công;
- Tổ chức 12 lớp tập huấn chuyển giao kỹ thuật cho nông dân;
III. TỔ CHỨC THỰC HIỆN
Giao 5 ban ngành đoàn thể triển khai.
"""
P2_COLON_PLUS = """1. Mục tiêu cụ thể năm 2025
+ Tỷ lệ dân số tham gia bảo hiểm y tế đạt 95,2%
+ Số bác sỹ/1 vạn dân đạt 11 bác sỹ
Giải pháp thực hiện:
+ Vận động 500 người tham gia bảo hiểm y tế tự nguyện
+ Tuyển dụng thêm 3 bác sỹ cho trạm y tế
2. Kinh phí
Dự toán 150 triệu đồng từ ngân sách xã.
"""
P3_CAPITALS = """II. MỤC TIÊU
2. Mục tiêu cụ thể
a) Kinh tế
- Tổng vốn đầu tư toàn xã hội 3.600 tỷ đồng
b) Môi trường
- Tỷ lệ thu gom và xử lý chất thải rắn sinh hoạt đạt 90%
MỘT SỐ GIẢI PHÁP CHỦ YẾU
- Đầu tư 02 lò đốt rác thải tập trung
- Trồng mới 15 ha rừng sản xuất
"""
P4_SUBSECTION = """2. Chỉ tiêu cụ thể
a) Về xã hội
- Tỷ lệ hộ nghèo còn 0,9%;
Quốc phòng, an ninh
- Tỷ lệ xã đạt vững mạnh về quốc phòng: 100%;
- Giao quân đạt 100% chỉ tiêu trên giao;
Tổ chức thực hiện
- Giao 5 phòng chuyên môn theo dõi, đôn đốc.
"""
P5_NO_TARGET_HEADING = """Phấn đấu năm 2025 đạt các chỉ tiêu sau
Tổng thu ngân sách nhà nước: 950 tỷ đồng.
Tỷ lệ hộ nghèo: 0,15%.
Các giải pháp
Tăng cường kiểm tra 30 cơ sở sản xuất kinh doanh.
Thành lập 2 tổ công tác liên ngành.
"""
P6_MARKDOWN = """## II. Chỉ tiêu năm 2025
- Tỷ lệ lao động qua đào tạo đạt 75%;
### Nhiệm vụ, giải pháp
- Mở 6 lớp dạy nghề cho lao động nông thôn;
"""
P7_BROKEN_SENTENCE = """II. CHỈ TIÊU
Tập trung chỉ đạo quyết liệt để hoàn thành
các chỉ tiêu sau đây:
- Tổng thu ngân sách nhà nước đạt 900 tỷ đồng;
- Tỷ lệ hộ nghèo còn 0,15%;
"""
P8_TASKS_AND_TARGETS = """Nhiệm vụ và chỉ tiêu năm 2025
- Tổng vốn đầu tư toàn xã hội đạt 3.700 tỷ đồng;
- Tỷ lệ dân số tham gia bảo hiểm y tế đạt 95%;
Giải pháp thực hiện
- Huy động 500 tỷ đồng vốn xã hội hóa;
"""
P9_LEAD_IN = """2. Mục tiêu cụ thể
b) Về xã hội
Giảm nghèo bền vững, cụ thể:
- Tỷ lệ hộ cận nghèo giảm còn 0,5%;
- Tỷ lệ người khuyết tật được trợ giúp đạt 100%;
"""
P10_UNDER_PLAIN = """Các chỉ tiêu chủ yếu năm 2025
Về kinh tế
- Tổng thu ngân sách nhà nước đạt 40 tỷ đồng;
Xây dựng Đảng, chính quyền
- Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên đạt 90%;
Các nhiệm vụ trọng tâm
- Tổ chức 4 hội nghị chuyên đề;
"""


def _read(text: str, catalogue):
    proposal = parse_plan(text_document(text), catalogue)
    targets = [(t.key or t.name, t.group) for t in proposal.targets]
    why = {u.text: u.why for u in proposal.unparsed}
    return proposal, targets, why


@pytest.mark.parametrize(
    ("text", "targets", "tasks", "heading"),
    [
        (
            P1_LOWER_TASKS,
            [("CT02", "economic"), ("CT06a", "social")],
            ["Hoàn thành 100% kế hoạch giải ngân vốn đầu tư công", "Tổ chức 12 lớp tập huấn"],
            "Nhiệm vụ trọng tâm",
        ),
        (
            P2_COLON_PLUS,
            [("CT08", "social"), ("CT07a", "social")],
            ["Vận động 500 người", "Tuyển dụng thêm 3 bác sỹ"],
            "Giải pháp thực hiện:",
        ),
        (
            P3_CAPITALS,
            [("CT01", "economic"), ("CT10", "environment")],
            ["Đầu tư 02 lò đốt rác thải", "Trồng mới 15 ha rừng"],
            "MỘT SỐ GIẢI PHÁP CHỦ YẾU",
        ),
        (
            P5_NO_TARGET_HEADING,
            [("CT02", "economic"), ("CT06a", "social")],
            ["Tăng cường kiểm tra 30 cơ sở", "Thành lập 2 tổ công tác"],
            "Các giải pháp",
        ),
        (P6_MARKDOWN, [("CT05a", "social")], ["Mở 6 lớp dạy nghề"], "Nhiệm vụ, giải pháp"),
        (
            P8_TASKS_AND_TARGETS,
            [("CT01", "economic"), ("CT08", "social")],
            ["Huy động 500 tỷ đồng vốn xã hội hóa"],
            "Giải pháp thực hiện",
        ),
    ],
)
def test_the_tasks_after_the_targets_are_not_read_as_targets(text, targets, tasks, heading, catalogue):
    _proposal, read, why = _read(text, catalogue)
    assert read == targets  # before: «Hoàn thành … 100%», «Trồng mới … 15 ha» were targets
    for task in tasks:  # listed for the reviewer, as outside the targets' part
        [(said, reason)] = [(t, w) for t, w in why.items() if t.startswith(task)]
        assert reason == "outside", (said, reason)
    assert heading not in why  # a heading, not a target without a figure


def test_a_subsection_without_a_known_group_asks_its_targets_group(catalogue):
    """«Quốc phòng, an ninh» alone on its line under «a) Về xã hội»: its targets are read, their
    group asked — before, silently «social»; «Tổ chức thực hiện» then ends the part."""
    proposal, read, why = _read(P4_SUBSECTION, catalogue)
    assert read == [("CT06a", "social"), ("Tỷ lệ xã đạt vững mạnh về quốc phòng", ""), ("Giao quân", "")]
    assert all(NO_GROUP in t.note for t in proposal.targets[1:])
    assert why == {"Quốc phòng, an ninh": "no_figure", "Giao 5 phòng chuyên môn theo dõi, đôn đốc.": "outside"}


def test_a_subsection_under_an_unnumbered_target_heading_is_read_and_the_tasks_end_it(catalogue):
    proposal, read, why = _read(P10_UNDER_PLAIN, catalogue)
    assert read == [("CT02", "economic"), ("Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", "")]
    assert why["Tổ chức 4 hội nghị chuyên đề"] == "outside"  # before: a target «Tổ chức», 4 hội nghị
    assert proposal.sections == ("Các chỉ tiêu chủ yếu năm 2025",)


def test_a_sentence_broken_over_two_lines_is_no_heading(catalogue):
    """«Tập trung chỉ đạo quyết liệt để hoàn thành» goes on in lower case on the next line: a
    sentence, not a heading; the targets after it are read."""
    _proposal, read, why = _read(P7_BROKEN_SENTENCE, catalogue)
    assert read == [("CT02", "economic"), ("CT06a", "social")]
    assert why["Tập trung chỉ đạo quyết liệt để hoàn thành"] == "no_figure"


def test_a_line_leading_into_its_targets_keeps_their_group(catalogue):
    """«Giảm nghèo bền vững, cụ thể:» introduces the targets of «b) Về xã hội»: their group stays."""
    _proposal, read, _why = _read(P9_LEAD_IN, catalogue)
    assert read == [("CT06b", "social"), ("Tỷ lệ người khuyết tật được trợ giúp", "social")]
