"""Which district or province a line names (kpi.domain.places): the rule a plan's text and a
report's title block share. Lines in capitals say nothing by their case, so there a name needs a
lead ("UBND") or something that closes it; a body ("HUYỆN ỦY") or a phrase ("huyện giao") is no place."""

from __future__ import annotations

import pytest

from kpi.domain.places import other_place, other_region, place_forms, place_words, places_in, region_in

OURS = ["huyện Tam Nông", "Tam Nông", "UBND huyện Tam Nông", "tỉnh Phú Thọ"]


def named(text: str) -> list[tuple[str, str]]:
    words = place_words()
    return places_in(text, (*words.leads, ""), words.kinds, words)


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("UBND HUYỆN THANH SƠN", [("huyện", "Thanh Sơn")]),
        ("ỦY BAN NHÂN DÂN HUYỆN TAM NÔNG QUÝ II NĂM 2024", [("huyện", "Tam Nông")]),
        ("KẾT QUẢ 6 THÁNG ĐẦU NĂM 2024 HUYỆN TAM NÔNG", [("huyện", "Tam Nông")]),
        ("PHÒNG TÀI CHÍNH - KẾ HOẠCH HUYỆN YÊN LẬP", [("huyện", "Yên Lập")]),
        ("HUYỆN TAM NÔNG, TỈNH ĐỒNG THÁP", [("huyện", "Tam Nông"), ("tỉnh", "Đồng Tháp")]),
        ("Báo cáo của huyện Thanh Sơn quý II", [("huyện", "Thanh Sơn")]),
        ("UBND thành phố Việt Trì", [("thành phố", "Việt Trì")]),
        # no place: a body, a phrase, a kind with no name after it
        ("HUYỆN ỦY TAM NÔNG", []),
        ("HUYỆN ĐOÀN TAM NÔNG", []),
        ("CÁC CHỈ TIÊU HUYỆN GIAO", []),
        ("CHỈ TIÊU CẤP HUYỆN ĐỀ RA CHO CÁC XÃ", []),
        ("Bằng khen của Chủ tịch UBND tỉnh", []),
        ("TỔNG HỢP TOÀN HUYỆN QUÝ I", []),
        ("CHI CỤC THỐNG KÊ KHU VỰC TAM NÔNG - THANH THỦY", []),
    ],
)
def test_the_places_a_line_names(text, places):
    assert named(text) == places


def test_a_place_is_another_only_when_none_of_its_forms_is_the_plans():
    assert not other_place(place_forms("huyện", "Tam Nông"), OURS)
    assert not other_place(place_forms("tỉnh", "Phú Thọ"), OURS)
    assert other_place(place_forms("huyện", "Thanh Sơn"), OURS)
    assert other_place(place_forms("tỉnh", "Đồng Tháp"), OURS)
    # a plan that names no place, or a text naming none, is never another's
    assert not other_place(place_forms("huyện", "Thanh Sơn"), ["", ""])
    assert not other_place(["", None], OURS)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("CHI CỤC THỐNG KÊ KHU VỰC TAM NÔNG - THANH THỦY", "khu vực Tam Nông - Thanh Thủy"),
        ("Chi cục Thống kê khu vực Cẩm Khê – Thanh Ba", "khu vực Cẩm Khê - Thanh Ba"),
        ("CHI CỤC THUẾ KHU VỰC HẠ HÒA, THANH BA VÀ CẨM KHÊ", "khu vực Hạ Hòa - Thanh Ba - Cẩm Khê"),
        ("ĐỘI QUẢN LÝ THỊ TRƯỜNG LIÊN HUYỆN THANH THỦY - TAM NÔNG", "liên huyện Thanh Thủy - Tam Nông"),
        ("CỤC THỐNG KÊ TỈNH PHÚ THỌ - CHI CỤC THỐNG KÊ KHU VỰC TAM NÔNG", "khu vực Tam Nông"),
        ("CHI CỤC THỐNG KÊ KHU VỰC YÊN LẬP NĂM 2024", "khu vực Yên Lập"),
        # a region's number or a phrase names no place
        ("CHI CỤC THUẾ KHU VỰC XII", None),
        ("Tỷ lệ thất nghiệp khu vực thành thị", None),
        ("CHI CỤC THUẾ KHU VỰC", None),
    ],
)
def test_the_region_an_office_serves(text, said):
    region = region_in(text, place_words())
    assert (region.said if region else None) == said


def test_a_region_is_another_places_only_when_it_serves_none_of_the_plans():
    words = place_words()
    assert not other_region(region_in("CHI CỤC THỐNG KÊ KHU VỰC TAM NÔNG - THANH THỦY", words), OURS)
    assert not other_region(region_in("CHI CUC THONG KE KHU VUC THANH THUY - TAM NONG", words), OURS)  # typed bare
    assert other_region(region_in("CHI CỤC THỐNG KÊ KHU VỰC CẨM KHÊ - THANH BA", words), OURS)
