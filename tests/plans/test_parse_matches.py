"""How a plan's target is matched to last year's catalogue, said honestly: its own name («đúng tên»)
or another name the aliases table knows («tên gọi khác đã biết»); a target reworded for a new year
keeps its key when its award, recipient and unit say it is the same one, and the clerk is told to
what it was matched; the per-capita unit is the catalogue's own."""

from __future__ import annotations

import pytest

from kpi.plans.parse import parse_plan
from kpi.plans.text import text_document
from kpi.storage.catalogue import load_catalogue


@pytest.fixture
def catalogue(con):
    return load_catalogue(con, 2024)


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
    from tests.plans.test_parse import SEED
    from tests.plans.test_parse import read as read_file

    targets = parse_plan(read_file(SEED), catalogue).targets
    assert {t.key: t.match for t in targets if t.match != "exact"} == {"CT05b": "alias"}
