"""Whole plans of other districts, worded unlike the seed (tests/data/plans-2025/): their targets'
part found whatever its sections' headings say, and no figure dropped silently — every line that
holds one gives a target or is listed as not understood. Each plan read by hand.

01 is the black-box tester's plan: its «4. Về công tác thi đua, khen thưởng» was skipped whole
(the part was closed by the subsection heading «1. Các chỉ tiêu kinh tế» before it)."""

from __future__ import annotations

import re

import pytest

from kpi.plans.parse import ADDED, INCREMENT, TOTAL, parse_plan
from kpi.plans.text import text_document
from tests.support.paths import PROJECT
from tests.support.plans import read_plan_file

PLANS = PROJECT / "tests" / "data" / "plans-2025"

# file → ([(name, unit, target, direction, group)], [(text, why) of the unparsed holding a digit
# beyond their numbering]).
EXPECTED = {
    "01-thanh-binh-ve-cong-tac.md": (
        [
            ("Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", 412.5, ">=", "economic"),
            ("Tổng vốn đầu tư phát triển toàn xã hội", "tỷ đồng", 2150, ">=", "economic"),
            ("Giá trị sản xuất bình quân trên một héc-ta đất nông nghiệp", "triệu đồng/ha", 145, ">=", "economic"),
            ("Thu nhập bình quân đầu người", "triệu đồng/người/năm", [62, 65], "range", "economic"),
            ("Tỷ lệ hộ nghèo theo chuẩn đa chiều", "%", 1.2, "<=", "social"),
            ("Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi", "%", 9.5, "<=", "social"),
            ("Tỷ lệ người dân tham gia bảo hiểm y tế", "%", 95.2, ">=", "social"),
            ("Số trường học đạt chuẩn quốc gia", "trường", [3, 5], "range", "social"),  # "Có thêm": noted
            ("Giải quyết việc làm mới", "lao động", 1800, ">=", "social"),
            ("Tỷ lệ che phủ rừng", "%", 41.5, ">=", "environment"),
            ("Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý", "%", 92, ">=", "environment"),
            # «4. Về công tác thi đua, khen thưởng»: read, though its heading names no targets
            ("Tỷ lệ cơ quan, đơn vị, xã, thị trấn tổ chức ký kết giao ước thi đua", "%", 100, ">=", "awards"),
            ("Số tập thể được Chủ tịch UBND tỉnh tặng Cờ thi đua", "tập thể", [2, 3], "range", "awards"),
            ("Số tập thể được Chủ tịch UBND tỉnh tặng Bằng khen", "tập thể", 8, ">=", "awards"),
            ("Số cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen", "cá nhân", 20, ">=", "awards"),
            ("Số cá nhân đạt danh hiệu Chiến sĩ thi đua cơ sở", "cá nhân", [60, 70], "range", "awards"),
            ("Số vụ vi phạm về thi đua, khen thưởng bị khiếu nại", "vụ", 2, "<=", "awards"),
        ],
        [],
    ),
    "02-an-phu-chi-tieu-cu-the.md": (
        [
            ("Tốc độ tăng trưởng kinh tế", "%", [7.5, 8], "range", "economic"),
            (
                "Thu ngân sách nhà nước trên địa bàn",
                "tỷ đồng",
                1250.3,
                ">=",
                "economic",
            ),  # "tối thiểu 1.250 tỷ 300 triệu"
            ("Giá trị sản phẩm trên mỗi ha đất trồng trọt", "triệu đồng/ha", 160, ">=", "economic"),
            ("Thu nhập bình quân đầu người", "triệu đồng/người/năm", 72, ">=", "economic"),
            ("Hỗ trợ vốn vay cho hộ sản xuất, kinh doanh", "triệu đồng", 850, ">=", "economic"),
            ("Tỷ lệ hộ nghèo", "%", 1.5, "<=", "social"),  # "giảm xuống dưới"
            ("Tỷ lệ sinh con thứ 3 trở lên", "%", 8, "<=", "social"),  # "… thứ 3 trở lên dưới 8%"
            ("Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 93, ">=", "social"),  # "ít nhất"
            ("Số bác sĩ/vạn dân", "bác sĩ/vạn dân", 12, ">=", "social"),
            ("Tỷ lệ lao động qua đào tạo", "%", 70, ">=", "social"),  # "đạt tối thiểu"
            ("Tỷ lệ hộ gia đình sử dụng nước sạch", "%", 98.5, ">=", "environment"),
            ("Trồng mới rừng tập trung", "ha", 150, ">=", "environment"),  # "150 héc-ta rừng"
            ("Số tập thể được Chủ tịch UBND tỉnh tặng Cờ thi đua", "tập thể", 2, ">=", "awards"),
            ("Số tập thể được Chủ tịch UBND tỉnh tặng Bằng khen", "tập thể", 10, ">=", "awards"),
            ("Số cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen", "cá nhân", 25, ">=", "awards"),
            ("Số tập thể đạt danh hiệu Tập thể lao động xuất sắc", "tập thể", 20, "<=", "awards"),
        ],
        [],
    ),
    "03-dong-hy-chu-cai.md": (
        [
            ("Tổng vốn đầu tư phát triển trên địa bàn", "tỷ đồng", 3150, ">=", "economic"),
            ("Giá trị sản xuất nông nghiệp/ha", "triệu đồng/ha", 130, ">=", "economic"),
            ("Số sản phẩm OCOP được công nhận mới", "sản phẩm", [5, 7], "range", "economic"),
            ("Tỷ lệ hộ cận nghèo", "%", 3.2, "<=", "social"),
            ("Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ", "%", 97, ">=", "social"),
            ("Số xã đạt chuẩn nông thôn mới nâng cao", "xã", 2, ">=", "social"),  # "Có thêm": noted
            ("Tỷ lệ gia đình đạt danh hiệu Gia đình văn hóa", "%", 90, ">=", "social"),
            # "Hoàn thành 100% chỉ tiêu giao quân": the action's object names it (it was «Hoàn thành»)
            ("Hoàn thành chỉ tiêu giao quân", "%", 100, ">=", ""),
            ("Tỷ lệ cơ quan, đơn vị ký giao ước thi đua", "%", 100, ">=", "awards"),
            ("Số tập thể được Thủ tướng Chính phủ tặng Bằng khen", "tập thể", [1, 2], "range", "awards"),
            ("Số cá nhân đạt danh hiệu Chiến sĩ thi đua cơ sở", "cá nhân", 35, ">=", "awards"),
        ],
        [
            ("Số vụ tai nạn giao thông giảm 10% so với năm 2024", "relative_cut"),
            ("Giao Phòng Nội vụ chủ trì, phối hợp với 15 xã, thị trấn triển khai Kế hoạch này.", "outside"),
        ],
    ),
    "04-yen-lap-chi-tieu-trong-nhiem-vu.md": (
        [
            # «tăng 9,2% so với năm 2024»: the growth rate, the direction word out of the name
            ("Tốc độ tăng tổng giá trị sản xuất", "%", 9.2, ">=", "economic"),
            ("Thu ngân sách trên địa bàn", "tỷ đồng", 215.6, ">=", "economic"),
            ("Sản lượng lương thực có hạt", "tấn", 36000, ">=", "economic"),
            ("Tỷ lệ hộ nghèo", "%", 4, "<=", "social"),
            ("Giải quyết việc làm mới", "lao động", 1500, ">=", "social"),
            ("Tỷ lệ trường học đạt chuẩn quốc gia", "%", 80, ">=", "social"),
            ("Tỷ lệ che phủ rừng", "%", 62, ">=", "environment"),
        ],
        [
            # «2. Nhiệm vụ trọng tâm» (after «1. Chỉ tiêu»): tasks, not targets — shown all the same
            ("Tập trung chỉ đạo hoàn thành 12 tuyến đường giao thông nông thôn trước tháng 10/2025", "outside"),
            ("Hỗ trợ 50 hộ nghèo xây dựng nhà ở.", "outside"),
        ],
    ),
    "05-phu-luong-chi-tieu-anh-em.md": (
        [
            ("Thu ngân sách nhà nước", "tỷ đồng", 480, ">=", "economic"),
            ("Thu nhập bình quân đầu người", "triệu đồng/người", [58, 60], "range", "economic"),
            ("Tỷ lệ người dân tham gia bảo hiểm y tế", "%", 96, ">=", "social"),
            ("Tỷ lệ hộ nghèo", "%", 1, "decrease_by", "social"),
            # «3. Về thi đua, khen thưởng», the third of a series of group sections: read
            ("Số tập thể được UBND tỉnh tặng Cờ thi đua", "tập thể", 3, ">=", "awards"),
            ("Số cá nhân đạt danh hiệu Chiến sĩ thi đua cơ sở", "cá nhân", 40, "<=", "awards"),
        ],
        # «4. Nhiệm vụ, giải pháp phát triển kinh tế - xã hội» names groups but ends the series
        [("Hỗ trợ 30 hộ nghèo phát triển kinh tế hộ gia đình.", "outside")],
    ),
    "06-vo-nhai-bang-va-chu.md": (
        [
            ("Tổng thu ngân sách trên địa bàn", "tỷ đồng", 96.5, ">=", "economic"),
            ("Giá trị sản phẩm thu hoạch/ha đất trồng trọt", "triệu đồng/ha", 115, ">=", "economic"),
            ("Tỷ lệ xã đạt chuẩn quốc gia về y tế", "%", 100, ">=", "social"),
            ("Tỷ lệ học sinh trong độ tuổi đến trường", "%", 99.5, ">=", "social"),
            ("Số hộ được hỗ trợ xóa nhà tạm", "hộ", 120, ">=", ""),
            ("Tỷ lệ chất thải rắn được thu gom", "%", 100, "<=", "environment"),
            # «III. CÔNG TÁC KHEN THƯỞNG», a part of its own beside «II. HỆ THỐNG CHỈ TIÊU»: read
            # (its figures were listed as «nằm ngoài phần chỉ tiêu»)
            ("Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh (tập thể)", "tập thể", 6, ">=", "awards"),
            ("Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh (cá nhân)", "cá nhân", 12, ">=", "awards"),
            ("Số tập thể đạt danh hiệu Tập thể lao động xuất sắc", "tập thể", 30, ">=", "awards"),
        ],
        [],
    ),
    "07-lac-son-muc-long-nhau.md": (
        [
            ("Tổng thu ngân sách trên địa bàn", "tỷ đồng", 310, ">=", "economic"),
            ("Giá trị sản phẩm/1 ha đất canh tác", "triệu đồng/ha", 118, ">=", "economic"),
            ("Tỷ lệ hộ nghèo", "%", 6.5, "<=", "social"),
            # «3. Quốc phòng, an ninh» and «4. Nhiệm vụ thi đua, khen thưởng» are under «II. CÁC
            # CHỈ TIÊU CHỦ YẾU»: read, though neither is worded as targets
            ("Tỷ lệ hoàn thành chỉ tiêu tuyển quân", "%", 100, ">=", ""),
            ("Số tập thể được Chủ tịch UBND tỉnh tặng Bằng khen", "tập thể", 4, ">=", "awards"),
            ("Số cá nhân đạt danh hiệu Chiến sĩ thi đua cơ sở", "cá nhân", 25, ">=", "awards"),
        ],
        [],
    ),
}

# Lines whose digits are no figure (numbering aside): the header, dates, years, the plan's own
# parts — by their opening words.
NOT_FIGURES = (
    "Số: ",
    "Tổ chức phong trào thi đua yêu nước năm 2025",
    "Khơi dậy tinh thần thi đua",
    "II. CHỈ TIÊU THI ĐUA NĂM 2025",
    "Phát động phong trào thi đua thực hiện nhiệm vụ năm 2025",
    "Động viên cán bộ",
    "Phát huy kết quả 5 năm",
    "Thi đua lập thành tích chào mừng Đại hội",
    "II. NHIỆM VỤ VÀ CHỈ TIÊU NĂM 2025",
    "Các cơ quan, đơn vị gửi báo cáo 6 tháng",
    "Thi đua thực hiện thắng lợi nhiệm vụ năm 2025",
    "Thi đua gắn với thực hiện 21 chỉ tiêu",
    "Phát động thi đua năm 2025",
    "Phát động phong trào thi đua năm 2025",
    "Phấn đấu hoàn thành vượt mức các chỉ tiêu năm 2025",
    "Phòng Nội vụ hướng dẫn, theo dõi; các cơ quan, đơn vị báo cáo kết quả trước ngày",
    "| TT |",
    "II. CÁC CHỈ TIÊU CHỦ YẾU NĂM 2025",
)
_NUMBERING = re.compile(r"^\s*(?:[-+•]\s*)?(?:[IVX]{1,4}|[A-ZĐ]|[a-zđ]|\d{1,2}(?:\.\d{1,2})*)[.)]\s")


def read(file_name: str, catalogue=None):
    return read_plan_file(PLANS / file_name, catalogue)


@pytest.mark.parametrize("file_name", sorted(EXPECTED))
def test_plans_of_other_districts_target_by_target(file_name):
    proposal = read(file_name)
    targets, unparsed = EXPECTED[file_name]
    assert [(t.name, t.unit, t.target_value, t.direction, t.group) for t in proposal.targets] == targets
    assert [(u.text, u.why) for u in proposal.unparsed if re.search(r"\d", _NUMBERING.sub("", u.text))] == unparsed


@pytest.mark.parametrize("file_name", sorted(EXPECTED))
def test_every_line_with_a_figure_gives_a_target_or_is_listed(file_name):
    """The tester's rule, checked line by line on the file itself: a line holding a digit (beyond
    its numbering) is a target's line, a not-understood line, or one of :data:`NOT_FIGURES`."""
    proposal = read(file_name)
    shown = {t.number for t in proposal.targets} | {u.number for u in proposal.unparsed}
    lines = (PLANS / file_name).read_text(encoding="utf-8").splitlines()
    silent, table_at = [], 0
    for number, line in enumerate(lines, start=1):
        in_table = line.startswith("|")
        table_at = (table_at or number) if in_table else 0  # a table's rows are its first line's
        if in_table and table_at in shown and line.startswith("| "):
            continue
        if re.search(r"\d", _NUMBERING.sub("", line)) and number not in shown and not line.startswith(NOT_FIGURES):
            silent.append((number, line))
    assert silent == []


def test_the_section_under_the_targets_part_is_read_whatever_its_heading():
    """The tester's two wordings of one heading give the same 17 targets."""
    plain = read("01-thanh-binh-ve-cong-tac.md")
    text = (PLANS / "01-thanh-binh-ve-cong-tac.md").read_text(encoding="utf-8")
    assert "4. Về công tác thi đua, khen thưởng" in text
    renamed = parse_plan(
        text_document(text.replace("4. Về công tác thi đua, khen thưởng", "4. Các chỉ tiêu thi đua, khen thưởng")), None
    )
    assert len(plain.targets) == 17
    assert [t.record() for t in plain.targets] == [t.record() for t in renamed.targets]


def test_an_added_count_is_flagged_and_counted_over_the_year():
    """«Có thêm từ 3 đến 5 trường»: what is added this year, not the stock — a new target is a flow
    (added up over the year), and the reviewer is told to check it (a catalogue's stock of the same
    name may match)."""
    schools = next(t for t in read("01-thanh-binh-ve-cong-tac.md").targets if "trường" in t.name)
    assert schools.note == INCREMENT.format(word="có thêm")
    assert schools.note == "«có thêm»: số tăng thêm trong năm, không phải tổng số — hãy kiểm tra"
    assert schools.over_year == "flow"
    stock = parse_plan(text_document("Số trường học đạt chuẩn quốc gia: 25 trường"), None).targets[0]
    assert (stock.note, stock.over_year) == ("", "level")
    share = parse_plan(text_document("Tỷ lệ che phủ rừng tăng thêm 0,5%"), None).targets[0]
    assert (share.note, share.over_year) == (INCREMENT.format(word="tăng thêm"), "level")  # a rate: noted only


PER_HECTARE = [
    "Giá trị sản xuất bình quân trên một héc-ta đất nông nghiệp đạt 145 triệu đồng",
    "Giá trị sản xuất trên 1 ha đất nông nghiệp đạt 145 triệu đồng",
    "Giá trị sản xuất trên 01 Hécta đất nông nghiệp đạt 145 triệu đồng",
    "Giá trị sản xuất/ha đất nông nghiệp đạt 145 triệu đồng",
    "Giá trị sản xuất mỗi ha đất nông nghiệp đạt 145 triệu đồng",
    "Giá trị sản xuất trên mỗi hecta đất nông nghiệp đạt 145 triệu đồng",
    "Giá trị sản xuất một hecta đất nông nghiệp đạt 145 triệu đồng",
    "Giá trị sản xuất đất nông nghiệp đạt 145 triệu đồng/héc-ta",
]


@pytest.mark.parametrize("text", PER_HECTARE)
def test_a_per_hectare_figure_in_any_spelling(text):
    (target,) = parse_plan(text_document(text), None).targets
    assert (target.unit, target.target_value) == ("triệu đồng/ha", 145)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Giải quyết việc làm trong một năm cho 1.800 lao động", "lao động"),  # "một năm" is no per-what
        ("Thu nhập bình quân mỗi hộ đạt 90 triệu đồng", "triệu đồng/hộ"),
        ("Trồng mới 120 héc-ta rừng tập trung", "ha"),
    ],
)
def test_other_units_around_a_spelled_hectare(text, unit):
    (target,) = parse_plan(text_document(text), None).targets
    assert target.unit == unit


# ---------------------------------------------------------------------------------------------
# The black-box tester's second round (08, 09): what is added and the total, a direction word
# before a list, per-what units, and the match's label.


def test_a_total_after_what_is_added_is_the_target_of_a_running_total(catalogue):
    """«Tăng thêm 5 khu …, nâng tổng số lên 25 khu»: CT09 is a running total («lũy kế»), so its
    target is 25 — not 5 with «25 khu.» left unread."""
    proposal = read("08-yen-lap-tong-so-khu.md", catalogue)
    (ct09,) = [t for t in proposal.targets if t.key == "CT09"]
    assert (ct09.target_value, ct09.direction) == (25, ">=")
    assert ct09.note.startswith(TOTAL.format(total="nâng tổng số lên 25 khu", added="5"))
    assert [u.text for u in proposal.unparsed if "25" in u.text] == []
    # Without a catalogue the new target is the stock, 25, with the same note.
    (new,) = [t for t in read("08-yen-lap-tong-so-khu.md").targets if "kiểu mẫu" in t.name]
    assert (new.name, new.target_value, new.over_year) == ("Số khu dân cư nông thôn mới kiểu mẫu", 25, "level")
    assert "tổng số («nâng tổng số lên 25 khu»)" in new.note


@pytest.mark.parametrize(
    "words", ["nâng tổng số lên 25 khu", "đưa tổng số lên 25 khu", "lũy kế đạt 25 khu", "nâng lên 25 khu"]
)
def test_every_wording_of_a_total(words, catalogue):
    text = f"Tăng thêm 5 khu dân cư đạt khu nông thôn mới kiểu mẫu, {words}."
    (t,) = parse_plan(text_document(text), catalogue).targets
    assert (t.key, t.target_value, t.unit) == ("CT09", 25, "khu")
    assert t.note.startswith(TOTAL.format(total=words, added="5"))


def test_a_total_of_an_indicator_added_up_over_the_year_keeps_what_is_added(catalogue):
    """A flow (CT02, revenue added up over the year) takes what is added; the total is noted."""
    text = "Tổng thu ngân sách nhà nước tăng thêm 50 tỷ đồng, nâng tổng số lên 855 tỷ đồng."
    (t,) = parse_plan(text_document(text), catalogue).targets
    assert (t.key, t.target_value) == ("CT02", 50)
    assert ADDED.format(added="50", total="nâng tổng số lên 855 tỷ đồng") in t.note


@pytest.mark.parametrize(
    "text",
    [
        "Chủ tịch UBND tỉnh tặng Bằng khen cho không quá 20 cá nhân và 8 tập thể",  # 09, line 42
        "Bằng khen của Chủ tịch UBND tỉnh: không quá 20 cá nhân, 8 tập thể",
        "Không quá 20 cá nhân và 8 tập thể được Chủ tịch UBND tỉnh tặng Bằng khen",  # leading figures
    ],
)
def test_a_direction_word_before_a_list_is_each_members(text, catalogue):
    """«không quá 20 cá nhân và 8 tập thể»: TD06 is at most 8 too, not «≥ 8» by default."""
    targets = parse_plan(text_document(text), catalogue).targets
    assert [(t.key, t.target_value, t.direction, t.direction_from) for t in targets] == [
        ("TD07", 20, "<=", "«không quá»"),
        ("TD06", 8, "<=", "«không quá»"),
    ]


def test_the_list_in_the_tester_plan(catalogue):
    targets = read("09-thanh-son-danh-sach.md", catalogue).targets
    assert [(t.key, t.target_value, t.direction) for t in targets if t.key in ("TD06", "TD07")] == [
        ("TD07", 20, "<="),
        ("TD06", 8, "<="),
    ]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Giá trị sản xuất nông, lâm nghiệp, thủy sản bình quân 1 ha đạt không dưới 110 triệu đồng", "triệu đồng/ha"),
        ("Giá trị sản xuất bình quân trên 1 ha đạt 110 triệu đồng", "triệu đồng/ha"),
        ("GRDP bình quân đầu người 65 triệu đồng", "triệu đồng/người"),
        ("Thu nhập bình quân đầu người đạt 65 triệu đồng/người/năm", "triệu đồng/người/năm"),  # as written
    ],
)
def test_an_average_per_hectare_or_per_head_completes_the_unit(text, unit):
    """«bình quân 1 ha», «bình quân đầu người» say per what, like «trên 1 ha» (08, lines 6-7)."""
    (target,) = parse_plan(text_document(text), None).targets
    assert target.unit == unit


def test_a_growth_of_an_amount_is_never_the_amount_it_grows(catalogue):
    """«Tổng vốn đầu tư toàn xã hội tăng 10% so với năm 2024» (plan 08): a growth rate of 10 %, never
    CT01 (3.300,9 tỷ đồng in 2024) with a target of 10 — the label names CT01, the target does not."""
    (growth,) = [t for t in read("08-yen-lap-tong-so-khu.md", catalogue).targets if t.unit == "%" and "vốn" in t.name]
    assert (growth.key, growth.name, growth.target_value, growth.direction) == (
        None,
        "Tốc độ tăng tổng vốn đầu tư toàn xã hội",
        10,
        ">=",
    )
    assert "ĐVT khác" not in growth.note
