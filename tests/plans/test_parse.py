"""Reading targets from a plan's own words: the 2024 plan gives exactly the 23 targets of
indicators-2024.md; a second plan, written differently by another district (and as .docx), gives
its own; every rule of direction, unit and range on single lines worked out by hand."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi.plans.parse import parse_plan
from kpi.plans.text import read_plan_document, text_document
from kpi.vn import format_number
from tests.support.plans import SECOND, SEED, one_target, read_plan_file
from tests.support.samples import SHARED

# indicators-2024.md, typed by hand: key → (target, unit, direction, group).
EXPECTED_2024 = {
    "CT01": (3300.9, "tỷ đồng", ">=", "economic"),
    "CT02": (805, "tỷ đồng", ">=", "economic"),
    "CT03": (126.8, "triệu đồng/ha", ">=", "economic"),
    "CT04": (33, "%", "<=", "social"),
    "CT05a": (72.89, "%", ">=", "social"),
    "CT05b": (28.62, "%", ">=", "social"),
    "CT06a": (0.17, "%", "<=", "social"),
    "CT06b": (0.22, "%", "<=", "social"),
    "CT07a": (10.4, "bác sỹ/vạn dân", ">=", "social"),
    "CT07b": (53.4, "giường bệnh/vạn dân", ">=", "social"),
    "CT08": (94.5, "%", ">=", "social"),
    "CT09": (20, "khu", ">=", "social"),
    "CT10": (87.84, "%", ">=", "environment"),
    "CT11": (100, "%", ">=", "environment"),
    "TD01": (100, "%", ">=", "awards"),
    "TD02": (1, "tập thể", ">=", "awards"),
    "TD03": ([1, 2], "tập thể, cá nhân", "range", "awards"),
    "TD04": (1, "tập thể", ">=", "awards"),
    "TD05": ([1, 2], "cá nhân", "range", "awards"),
    "TD06": (5, "tập thể", ">=", "awards"),
    "TD07": (14, "cá nhân", ">=", "awards"),
    "TD08": ([12, 15], "tập thể", "range", "awards"),
    "TD09": ([45, 55], "cá nhân", "range", "awards"),
}

# The second plan (tests/data/ke-hoach-thanh-van-2025.md), read by hand: in its own order, with
# the 2024 catalogue's key where one is the same indicator. (key, target, unit, direction, group).
EXPECTED_SECOND = [
    ("CT06a", 0.5, "%", "decrease_by", "social"),  # "giảm 0,5% trở lên so với cuối năm 2024"
    ("CT06b", 2, "%", "<=", "social"),  # "giảm xuống còn dưới 2%"
    ("CT08", 95, "%", ">=", "social"),  # "phấn đấu đạt trên 95%"
    ("CT05a", 75, "%", ">=", "social"),
    ("CT05b", 30, "%", ">=", "social"),  # ", trong đó có bằng cấp, chứng chỉ đạt 30%"
    ("CT07a", 11, "bác sỹ/vạn dân", ">=", "social"),  # "bác sĩ/10.000 dân: không dưới 11 bác sĩ"
    ("CT07b", 55, "giường bệnh/vạn dân", ">=", "social"),  # "… không dưới 55 giường"
    ("CT09", 23, "khu", ">=", "social"),
    ("CT04", 31, "%", "<=", "social"),  # "không quá 31%"
    (None, 12, "%", "<=", "social"),  # "trẻ em dưới 5 tuổi … dưới 12%"
    ("CT02", 910, "tỷ đồng", ">=", "economic"),  # the table
    ("CT01", 3600.5, "tỷ đồng", ">=", "economic"),
    ("CT03", 130, "triệu đồng/ha", ">=", "economic"),  # "Triệu đồng" + "trên 1 ha"; "≥ 130"
    (None, 62, "triệu đồng/người", ">=", "economic"),  # "trên 62"; "Triệu đồng" + "bình quân đầu người"
    (None, [35, 40], "doanh nghiệp", "range", "economic"),
    ("CT10", 90, "%", ">=", "environment"),
    ("CT11", 100, "%", ">=", "environment"),
    (None, 45, "%", ">=", "environment"),  # "không dưới 45%"
    ("TD01", 100, "%", ">=", "awards"),
    ("TD02", 1, "tập thể", ">=", "awards"),  # "Ít nhất 01 tập thể"
    ("TD03", [2, 3], "tập thể, cá nhân", "range", "awards"),  # "Có từ 02 đến 03 …"
    ("TD04", 2, "tập thể", ">=", "awards"),
    ("TD05", [2, 4], "cá nhân", "range", "awards"),
    ("TD06", 6, "tập thể", ">=", "awards"),  # "Bằng khen …: 06 tập thể và 15 cá nhân trở lên"
    ("TD07", 15, "cá nhân", ">=", "awards"),
    ("TD08", [12, 16], "tập thể", "range", "awards"),
    ("TD09", 60, "cá nhân", "<=", "awards"),  # "không quá 60 cá nhân"
]


def summary(targets):
    return [(t.key, t.target_value, t.unit, t.direction, t.group) for t in targets]


def test_the_seed_is_the_shared_plan():
    shared = SHARED.parent / "seed" / "ke-hoach-thi-dua-2024.md"
    if not shared.exists():
        pytest.skip("../shared is not beside the repository (CI)")
    assert hashlib.sha256(SEED.read_bytes()).digest() == hashlib.sha256(shared.read_bytes()).digest()


def test_the_2024_plan_gives_exactly_the_23_targets(catalogue):
    proposal = read_plan_file(SEED, catalogue)
    assert summary(proposal.targets) == [(k, *v) for k, v in EXPECTED_2024.items()]
    # Every one is the catalogue's own target, value for value, decimals included.
    for t in proposal.targets:
        ind = catalogue[t.key]
        assert (t.target, t.lo, t.hi, t.decimals) == (ind.target, ind.lo, ind.hi, ind.decimals), t.key
        # its own name — but CT05b, written only as its «trong đó» part, another name of aliases.csv
        assert t.match == ("alias" if t.key == "CT05b" else "exact"), t.key


def test_the_2024_plan_without_a_catalogue_gives_the_same_figures():
    proposal = read_plan_file(SEED)
    assert [(t.target_value, t.unit, t.direction, t.group) for t in proposal.targets] == list(EXPECTED_2024.values())
    assert {t.key for t in proposal.targets} == {None}
    by_name = {t.name: t for t in proposal.targets}
    assert by_name["Tỷ lệ hộ nghèo"].direction_from == "tên có «nghèo»"
    assert by_name["Số Bác sỹ/1 vạn dân"].direction_from == "«duy trì» đầu chỉ tiêu"


def test_the_2024_plan_keeps_the_words_as_written(catalogue):
    targets = {t.key: t for t in read_plan_file(SEED, catalogue).targets}
    assert targets["CT07a"].source_text == (
        "Đến hết năm 2024: Duy trì số Bác sỹ/1 vạn dân: 10,4 Bác sỹ, số giường bệnh/1 vạn dân: 53,4 giường bệnh"
    )
    assert targets["CT07a"].label == "Duy trì số Bác sỹ/1 vạn dân"
    assert targets["CT09"].note == "tăng 03 khu so với năm 2023"
    assert targets["CT06a"].note == "lời dẫn: «Tỷ lệ nghèo đa chiều duy trì mức giảm hàng năm»"
    assert targets["CT05b"].parent == "CT05a"
    assert targets["CT10"].plan_no == "(10)" and targets["CT11"].plan_no == "(11)"
    assert (
        targets["TD06"].source_text
        == targets["TD07"].source_text
        == ("05 tập thể, 14 cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen")
    )


def test_the_2024_plan_shows_what_it_did_not_understand(catalogue):
    proposal = read_plan_file(SEED, catalogue)
    assert [(u.text, u.why) for u in proposal.unparsed] == [
        ("Tỷ lệ nghèo đa chiều duy trì mức giảm hàng năm", "intro"),
        ("Đến hết năm 2024", "intro"),
        (
            "Về xây dựng nông thôn mới (lũy kế): Duy trì và nâng cao chất lượng các chỉ tiêu, tiêu chí huyện "
            "nông thôn mới",
            "no_figure",
        ),
    ]
    assert proposal.sections == ("Mục tiêu cụ thể",)


def test_the_2024_plan_identity(catalogue):
    meta = read_plan_file(SEED, catalogue).meta
    assert meta["title"] == "Kế hoạch phát động phong trào thi đua yêu nước năm 2024"
    assert (meta["district"], meta["authority"], meta["province"], meta["place"], meta["year"]) == (
        "huyện Tam Nông",
        "UBND huyện Tam Nông",
        "tỉnh Phú Thọ",
        "Tam Nông",
        2024,
    )
    assert meta["doc_number"] == "" and meta["doc_date"] is None  # "Chỉ thị số 19/CT-TTg" is not its number


def test_a_second_plan_in_other_words(catalogue):
    proposal = read_plan_file(SECOND, catalogue)
    assert summary(proposal.targets) == EXPECTED_SECOND
    meta = proposal.meta
    assert (meta["doc_number"], str(meta["doc_date"]), meta["authority"], meta["province"], meta["year"]) == (
        "12/KH-UBND",
        "2025-01-15",
        "UBND huyện Thanh Vân",
        "tỉnh Bình Sơn",
        2025,
    )
    assert [(u.text, u.why) for u in proposal.unparsed] == [
        # Figures outside the target part are listed for the reviewer, never dropped silently: the
        # first is a real share the plan sets (in its "Mục đích, yêu cầu"), the last is not.
        (
            "tỷ lệ khen thưởng người lao động trực tiếp đạt 30% trở lên theo Nghị định số 98/2023/NĐ-CP.",
            "outside",
        ),
        ('Tiếp tục nâng cao chất lượng phong trào "Toàn dân đoàn kết xây dựng đời sống văn hóa"', "no_figure"),
        ("Phòng Nội vụ là cơ quan thường trực, hướng dẫn 24 xã, thị trấn triển khai Kế hoạch này", "outside"),
    ]
    by_key = {t.key: t for t in proposal.targets if t.key}
    assert by_key["CT02"].baseline == Decimal("870")  # the table's "Ước TH 2024"
    assert by_key["CT06a"].note == "so với cuối năm 2024; tên chỉ gần giống tên trong kế hoạch trước — hãy kiểm tra"
    assert by_key["CT06a"].match == "similar"  # flagged for review
    assert by_key["TD06"].match == "award" and by_key["TD07"].match == "award"


def second_plan_docx() -> bytes:
    """The second plan as a Word document: its lines as paragraphs, its table as a Word table."""
    document = docx.Document()
    rows: list[list[str]] = []

    def flush():
        if rows:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            rows.clear()

    for line in SECOND.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            if not set(line) <= set("|-: "):
                rows.append([c.strip() for c in line.strip("|").split("|")])
            continue
        flush()
        if line.strip():
            document.add_paragraph(line)
    flush()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_second_plan_as_docx_gives_the_same_targets(catalogue):
    doc = read_plan_document(second_plan_docx(), "ke-hoach-thanh-van-2025.docx")
    assert [b.kind for b in doc.blocks].count("table") == 1
    proposal = parse_plan(doc, catalogue)
    assert summary(proposal.targets) == EXPECTED_SECOND
    assert proposal.meta["doc_number"] == "12/KH-UBND"


def test_the_second_plan_without_a_catalogue_proposes_how_new_targets_count():
    targets = read_plan_file(SECOND).targets
    assert [t.key for t in targets] == [None] * len(EXPECTED_SECOND)
    by_name = {t.name: t for t in targets}
    income = by_name["Thu nhập bình quân đầu người"]
    assert (income.over_year, income.across_units) == ("level", "none")  # an average is never summed
    revenue = by_name["Tổng thu ngân sách nhà nước trên địa bàn"]
    assert (revenue.over_year, revenue.across_units, revenue.when_known) == ("flow", "sum", "quarterly")
    flag = by_name["Số tập thể được tặng Cờ thi đua của Chính phủ"]
    assert (flag.counted_from, flag.award, flag.recipient, flag.conferred_by) == (
        "awards",
        "Cờ thi đua của Chính phủ",
        "tập thể",
        "Thủ tướng Chính phủ",
    )
    registered = by_name["Tỷ lệ cơ quan, đơn vị, địa phương đăng ký thi đua"]
    assert registered.counted_from == "registrations"
    part = by_name["Tỷ lệ lao động qua đào tạo, trong đó có bằng cấp, chứng chỉ"]
    assert part.target == Decimal("30")


# The cases, and the direction rules, one line each: (line, name, unit, target, direction).
CASES = [
    ("Tổng thu ngân sách nhà nước: 805 tỷ đồng", "Tổng thu ngân sách nhà nước", "tỷ đồng", 805, ">="),
    ("Tỷ lệ hộ nghèo: 0,17%", "Tỷ lệ hộ nghèo", "%", 0.17, "<="),
    ("số giường bệnh/1 vạn dân: 53,4 giường bệnh", "Số giường bệnh/1 vạn dân", "giường bệnh/vạn dân", 53.4, ">="),
    (
        "01 - 02 tập thể, cá nhân được Thủ tướng Chính phủ tặng Bằng khen",
        "Số tập thể, cá nhân được Thủ tướng Chính phủ tặng Bằng khen",
        "tập thể, cá nhân",
        [1, 2],
        "range",
    ),
    (
        "45 đến 55 cá nhân đạt Danh hiệu CSTĐ cấp huyện",
        "Số cá nhân đạt Danh hiệu CSTĐ cấp huyện",
        "cá nhân",
        [45, 55],
        "range",
    ),
    (
        "số khu dân cư đạt khu nông thôn mới kiểu mẫu: 20 khu (tăng 03 khu so với năm 2023)",
        "Số khu dân cư đạt khu nông thôn mới kiểu mẫu",
        "khu",
        20,
        ">=",
    ),
    ("Giá trị sản phẩm trên 1 ha đất canh tác: 126,8 triệu đồng", None, "triệu đồng/ha", 126.8, ">="),
    ("Duy trì số Bác sỹ/1 vạn dân: 10,4 Bác sỹ", "Số Bác sỹ/1 vạn dân", "bác sỹ/vạn dân", 10.4, ">="),
    ("Số bác sĩ trên 10.000 dân: 12 bác sĩ", None, "bác sĩ/10.000 dân", 12, ">="),
    ("Tỷ lệ tiêm chủng mở rộng phấn đấu đạt 98%", "Tỷ lệ tiêm chủng mở rộng", "%", 98, ">="),
    ("Tỷ lệ trường đạt chuẩn quốc gia trên 80%", "Tỷ lệ trường đạt chuẩn quốc gia", "%", 80, ">="),
    ("Số xã đạt chuẩn nông thôn mới nâng cao: 05 xã trở lên", None, "xã", 5, ">="),
    ("Tỷ lệ che phủ rừng không dưới 45%", None, "%", 45, ">="),
    ("Tỷ lệ hộ nghèo không quá 1,5%", None, "%", 1.5, "<="),
    ("Tỷ lệ thất nghiệp khu vực thành thị dưới 3%", None, "%", 3, "<="),
    ("Tỷ lệ hộ nghèo giảm xuống còn 1,2%", None, "%", 1.2, "<="),
    ("Tỷ lệ hộ nghèo giảm 0,5% trở lên", None, "%", 0.5, "decrease_by"),
    ("Tỷ lệ hộ nghèo đa chiều giảm từ 1% trở lên", None, "%", 1, "decrease_by"),
    ("Số doanh nghiệp thành lập mới từ 30 đến 40 doanh nghiệp", None, "doanh nghiệp", [30, 40], "range"),
    ("Tỷ trọng lao động nông nghiệp: 30%", None, "%", 30, "<="),
    ("Số hộ thoát nghèo: 150 hộ", None, "hộ", 150, ">="),  # "thoát nghèo": more is better
    ("Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng: 8%", None, "%", 8, "<="),  # "dưới 5 tuổi" is a name
    ("Tỷ lệ dân số tham gia bảo hiểm y tế: 94,5%", None, "%", 94.5, ">="),
    ("Tổng vốn đầu tư toàn xã hội 3.300,9 tỷ đồng", None, "tỷ đồng", 3300.9, ">="),
    ("Thu ngân sách ≥ 900 Tỷ đồng", None, "tỷ đồng", 900, ">="),
    ("Giải quyết việc làm mới cho 1.200 lao động", "Giải quyết việc làm mới", "lao động", 1200, ">="),
    ("Sản lượng lương thực có hạt ổn định 52.000 tấn", "Sản lượng lương thực có hạt", "tấn", 52000, ">="),
    ("Số sản phẩm OCOP được công nhận mới: 5 - 7 sản phẩm", None, "sản phẩm", [5, 7], "range"),
    ("Thu nhập bình quân đầu người đạt 65 triệu đồng/người/năm", None, "triệu đồng/người/năm", 65, ">="),
    ("Phấn đấu thu ngân sách trên địa bàn đạt 950 tỷ đồng trở lên", "Thu ngân sách trên địa bàn", "tỷ đồng", 950, ">="),
]


@pytest.mark.parametrize(("text", "name", "unit", "target", "direction"), CASES, ids=[c[0][:40] for c in CASES])
def test_one_line(text, name, unit, target, direction):
    t = one_target(text)
    assert (t.unit, t.target_value, t.direction) == (unit, target, direction)
    if name is not None:
        assert t.name == name
    assert t.source_text == text


def test_two_targets_from_one_clause():
    targets = parse_plan(text_document("05 tập thể, 14 cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen"), None).targets
    assert [(t.name, t.unit, t.target_value) for t in targets] == [
        ("Số tập thể được Chủ tịch UBND tỉnh tặng Bằng khen", "tập thể", 5),
        ("Số cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen", "cá nhân", 14),
    ]


def test_leading_figures_each_with_their_own_words():
    text = "Có thêm 02 xã đạt chuẩn nông thôn mới nâng cao, 01 xã đạt chuẩn nông thôn mới kiểu mẫu"
    targets = parse_plan(text_document(text), None).targets
    assert [(t.name, t.unit, t.target_value) for t in targets] == [
        ("Số xã đạt chuẩn nông thôn mới nâng cao", "xã", 2),
        ("Số xã đạt chuẩn nông thôn mới kiểu mẫu", "xã", 1),
    ]


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999.99"), places=2))
def test_any_figure_written_the_vietnamese_way_is_read_back(value):
    written = format_number(value, 2)  # "1.234,57"
    (t,) = parse_plan(text_document(f"Tổng thu ngân sách nhà nước: {written} tỷ đồng"), None).targets
    assert (t.target, t.decimals, t.unit) == (value, 2, "tỷ đồng")


def test_words_before_a_colon_give_none_of_its_targets_a_direction():
    text = "Tỷ lệ nghèo đa chiều duy trì mức giảm hàng năm: Tỷ lệ hộ nghèo: 0,17%, tỷ lệ hộ cận nghèo: 0,22%"
    targets = parse_plan(text_document(text), None).targets
    # Neither "duy trì" (at least) nor "giảm" (decrease_by) of the intro: the names decide.
    assert [(t.name, t.direction, t.direction_from) for t in targets] == [
        ("Tỷ lệ hộ nghèo", "<=", "tên có «nghèo»"),
        ("Tỷ lệ hộ cận nghèo", "<=", "tên có «nghèo»"),
    ]
    targets = parse_plan(text_document("Về y tế: số bác sỹ/vạn dân không quá 12 bác sỹ; tỷ lệ tiêm chủng: 95%"), None)
    assert [(t.name, t.direction) for t in targets.targets] == [
        ("Số bác sỹ/vạn dân", "<="),
        ("Tỷ lệ tiêm chủng", ">="),
    ]


def test_years_dates_and_document_numbers_are_not_targets():
    text = (
        "Thực hiện Chỉ thị số 19/CT-TTg ngày 16/7/2021, Kế hoạch 05 năm (2021 - 2025), phòng chống Covid-19, "
        "giai đoạn 2021-2025"
    )
    proposal = parse_plan(text_document(text), None)
    assert proposal.targets == ()
    assert [(u.text, u.why) for u in proposal.unparsed] == [(text, "no_figure")]  # shown, not dropped


def test_a_markdown_table_of_targets():
    text = "\n".join(
        [
            "| TT | Tên chỉ tiêu | ĐVT | Kế hoạch năm 2025 | Ghi chú |",
            "|---|---|---|---|---|",
            "| I | Kinh tế | | | |",
            "| 1 | Tổng thu ngân sách nhà nước | Tỷ đồng | 1.250,5 | |",
            "| II | Xã hội | | | |",
            "| 2 | Tỷ lệ hộ nghèo | % | Giảm 0,8 | so với năm 2024 |",
            "| 3 | Số bác sỹ/vạn dân | Bác sỹ | 11 - 12 | |",
            "| 4 | Xây dựng đời sống văn hóa | | Duy trì | |",
        ]
    )
    proposal = parse_plan(text_document(text), None)
    assert [(t.name, t.unit, t.target_value, t.direction, t.group, t.plan_no) for t in proposal.targets] == [
        ("Tổng thu ngân sách nhà nước", "tỷ đồng", 1250.5, ">=", "economic", "1"),
        ("Tỷ lệ hộ nghèo", "%", 0.8, "decrease_by", "social", "2"),
        ("Số bác sỹ/vạn dân", "bác sỹ/vạn dân", [11, 12], "range", "social", "3"),
    ]
    assert [(u.text, u.why) for u in proposal.unparsed] == [("4 | Xây dựng đời sống văn hóa | Duy trì", "row")]


def test_only_the_target_sections_are_read():
    text = "\n".join(
        [
            "I. MỤC ĐÍCH",
            "Khen thưởng người lao động trực tiếp đạt 30% trở lên.",
            "II. CHỈ TIÊU CỤ THỂ",
            "1. Kinh tế",
            "- Tổng thu ngân sách: 900 tỷ đồng.",
            "2. Xã hội",
            "- Tỷ lệ hộ nghèo dưới 1%.",
            "III. TỔ CHỨC THỰC HIỆN",
            "Báo cáo 6 tháng trước ngày 15/6/2025; hướng dẫn 24 xã triển khai.",
        ]
    )
    proposal = parse_plan(text_document(text), None)
    assert [(t.name, t.group, t.target_value) for t in proposal.targets] == [
        ("Tổng thu ngân sách", "economic", 900),
        ("Tỷ lệ hộ nghèo", "social", 1),
    ]
    assert proposal.sections == ("CHỈ TIÊU CỤ THỂ",)


def test_an_old_word_file_and_a_pdf_are_refused_with_what_to_do():
    from kpi.errors import UnreadableFile

    with pytest.raises(UnreadableFile, match=r"\.docx"):
        read_plan_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "ke-hoach.doc")
    with pytest.raises(UnreadableFile, match="PDF"):
        read_plan_document(b"%PDF-1.7 ...", "ke-hoach.pdf")
    with pytest.raises(UnreadableFile, match="rỗng"):
        read_plan_document(b"", "trong.txt")


def test_text_files_in_other_encodings():
    text = "Tổng thu ngân sách nhà nước: 805 tỷ đồng"
    for data in (text.encode("utf-8-sig"), text.encode("utf-16"), text.encode("utf-8")):
        (t,) = parse_plan(read_plan_document(data, "a.txt"), None).targets
        assert (t.name, t.target_value) == ("Tổng thu ngân sách nhà nước", 805)
