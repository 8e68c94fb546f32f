"""How a plan's target is matched to last year's catalogue, said honestly: its own name («đúng tên»)
or another name the aliases table knows («tên gọi khác đã biết»); a target reworded for a new year
keeps its key when its award, recipient and unit say it is the same one, and the clerk is told to
what it was matched; the per-capita unit is the catalogue's own."""

from __future__ import annotations

import pytest

from kpi.plans.parse import parse_plan
from kpi.plans.text import text_document
from tests.support.plans import SEED, read_plan_file


def read(text: str, catalogue):
    return parse_plan(text_document(text), catalogue).targets


@pytest.mark.parametrize(
    ("line", "key", "how"),
    [
        # aliases.csv: other names of CT01 and CT02 (the tester's two rows)
        ("Tổng vốn đầu tư phát triển toàn xã hội đạt 3.500 tỷ đồng", "CT01", "alias"),
        ("Thu ngân sách Nhà nước trên địa bàn: 850 tỷ đồng", "CT02", "alias"),
        ("Thu NSNN trên địa bàn: 850 tỷ đồng", "CT02", "alias"),
        # the catalogue's own names, however punctuated or bracketed
        ("Tổng vốn đầu tư toàn xã hội: 3.500 tỷ đồng", "CT01", "exact"),
        ("TỔNG THU NGÂN SÁCH NHÀ NƯỚC: 850 tỷ đồng", "CT02", "exact"),
        ("Tỷ lệ cơ quan đơn vị đăng ký thi đua: 100%", "TD01", "exact"),  # no comma: still its name
        ("Số khu dân cư đạt khu nông thôn mới kiểu mẫu: 22 khu", "CT09", "exact"),  # «(lũy kế)» a note
    ],
)
def test_a_target_matched_through_another_name_says_so(line, key, how, catalogue):
    (t,) = read(line, catalogue)
    assert (t.key, t.match) == (key, how)


def test_the_seeds_own_rows_are_matched_by_their_names(catalogue):
    """The seed's rows that reach their key only through aliases.csv do so because the catalogue
    names them fuller or punctuated otherwise: «(tính theo doanh thu giá hiện hành)», «(lũy kế)»
    are notes, «cơ quan đơn vị» is «cơ quan, đơn vị». Only CT05b is named by its «trong đó» part
    alone («đào tạo có bằng cấp, chứng chỉ»), which is another name the table knows."""
    targets = read_plan_file(SEED, catalogue).targets
    assert {t.key: t.match for t in targets if t.match != "exact"} == {"CT05b": "alias"}


# -- a target reworded for a new year keeps last year's key ---------------------------------------

REWORDED_2025 = """KẾ HOẠCH thi đua năm 2025

II. CHỈ TIÊU THI ĐUA

- Đề nghị Thủ tướng Chính phủ tặng Bằng khen cho 01 - 02 tập thể, cá nhân;
- Đề nghị Chủ tịch UBND tỉnh tặng Cờ thi đua cho 01 tập thể;
- 05 tập thể, cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen.
"""


def test_a_reworded_award_target_keeps_last_years_key_and_says_to_what(con, catalogue):
    """The 2024 wording was «01 - 02 tập thể, cá nhân được Thủ tướng Chính phủ tặng Bằng khen»
    (TD03): reworded, it is the same award, conferrer and recipient — TD03 again, not a new TD10;
    the note says so. «05 tập thể, cá nhân … Bằng khen» of the province may be TD06 or TD07 (each
    one recipient only): no key is given, the reviewer is asked."""
    from kpi.plans.parse import AWARD_KEPT, MAYBE
    from kpi.plans.source import confirm_plan, proposal_rows, propose_plan
    from tests.support.samples import ACTOR

    proposal = propose_plan(con, 2025, text_document(REWORDED_2025))
    pm, flag, asked = proposal.targets
    assert (pm.key, pm.match, pm.name) == (
        "TD03",
        "award",
        "Số tập thể, cá nhân được Thủ tướng Chính phủ tặng Bằng khen",
    )
    assert pm.note == AWARD_KEPT.format(key="TD03", year=2024)
    assert pm.note == "cùng danh hiệu, đối tượng với TD03 năm 2024 — giữ mã, hãy kiểm tra"
    assert (flag.key, flag.match) == ("TD04", "award")
    assert (asked.key, asked.note) == (None, MAYBE.format(keys="TD06 hoặc TD07", year=2024))
    rows = proposal_rows(proposal)
    rows[2]["key"] = "TD06"  # the reviewer decides
    saved = confirm_plan(con, 2025, rows, ACTOR, reason="kế hoạch năm 2025")
    assert saved.keys == ("TD03", "TD04", "TD06")


def test_a_target_near_a_catalogue_name_is_asked_not_given_a_key(catalogue):
    (t,) = read("Tỷ lệ lao động được đào tạo nghề: 60%", catalogue)
    assert t.key is None
    assert "có thể là CT05a" in t.note


# Collectives and individuals counted apart for an award the catalogue counts together (black-box,
# plans_hand/p3: «Bằng khen: 02 tập thể và 03 cá nhân» gave TD03 in «tập thể», «ĐVT khác», and a
# second target «… (cá nhân)» named the same): TD03 counts «tập thể, cá nhân» together
# (indicators-2024.md), so one target, their sum, the text and the question in its note.
TOGETHER = [
    ("Đề nghị Thủ tướng Chính phủ tặng Bằng khen: 02 tập thể và 03 cá nhân.", 5, ">=", "02 tập thể và 03 cá nhân", "5"),
    ("02 tập thể và 03 cá nhân được Thủ tướng Chính phủ tặng Bằng khen", 5, ">=", "02 tập thể và 03 cá nhân", "5"),
    (
        "Bằng khen của Thủ tướng Chính phủ: 01 - 02 tập thể và 02 - 03 cá nhân",
        [3, 5],
        "range",
        "01 - 02 tập thể và 02 - 03 cá nhân",
        "3–5",
    ),
]


@pytest.mark.parametrize(
    ("line", "target", "direction", "written", "total"), TOGETHER, ids=[c[0][:30] for c in TOGETHER]
)
def test_recipients_counted_apart_for_an_award_counted_together_are_one_target(
    line, target, direction, written, total, catalogue
):
    (t,) = read(line, catalogue)
    assert (t.key, t.unit, t.target_value, t.direction, t.recipient) == (
        "TD03",
        "tập thể, cá nhân",
        target,
        direction,
        "tập thể, cá nhân",
    )
    assert f"văn bản ghi «{written}», TD03 đếm chung: đề xuất tổng {total} — hãy kiểm tra" in t.note
    assert "ĐVT khác" not in t.note and "(cá nhân)" not in t.name


def test_recipients_with_keys_of_their_own_or_other_directions_stay_apart(catalogue):
    tt, cn = read("Bằng khen của Chủ tịch UBND tỉnh: 06 tập thể và 15 cá nhân", catalogue)
    assert [(t.key, t.unit, t.target_value) for t in (tt, cn)] == [("TD06", "tập thể", 6), ("TD07", "cá nhân", 15)]
    # a ceiling for one of them only: no sum to propose; both asked, as before
    first, second = read("Đề nghị Thủ tướng Chính phủ tặng Bằng khen: 02 tập thể và không quá 03 cá nhân", catalogue)
    assert (first.key, first.unit, second.key, second.direction) == ("TD03", "tập thể", None, "<=")
    assert "ĐVT khác" in first.note and "trùng tên với chỉ tiêu TD03" in second.note
