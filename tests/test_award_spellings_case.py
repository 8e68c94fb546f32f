"""One award in lower case, with «sỹ» for «sĩ», or naming the plan's own district (helper s11-e).

Black-box findings (December 2026), after one award's spellings were unified
(:mod:`tests.test_award_spellings`):

1. an abbreviation typed in lower case was not written out: «giấy khen chủ tịch ubnd huyện» was
   not «Giấy khen Chủ tịch UBND huyện» (two options of the Thi đua page's filter);
2. «Chiến sỹ thi đua …» and «Chiến sĩ thi đua …» (and «lý/lí», «kỹ/kĩ») of an award outside the
   plan were two awards;
3. «Giấy khen Chủ tịch UBND huyện Tam Nông» in Tam Nông's own list was only «may be one» with
   «Giấy khen Chủ tịch UBND huyện»;
4. the «may be one award» note was said only in the upload preview, never on the Thi đua page.

Seven award lists written for this test (openpyxl), laid out unlike the samples: the decision
first, a lower-case kind column («tt»/«cn»), a «Chức vụ» column, a «Ghi chú» column, the title on
row 5, sheets of their own names, a supplement repeating a main list's row in its own spelling.
Each goes through :func:`tests.test_award_spellings._agree`: the preview names every row as the roll
does once saved, one filter option per award, the cards count what is counted. The district's name
comes from the plan (``plans.district``): renamed, another district's name is not the plan's.
"""

from __future__ import annotations

import datetime as dt

from kpi.domain.abbreviations import expand
from kpi.domain.award_identity import award_key
from kpi.reading.registers import roll_doubts
from kpi.spelling import iy_fold, reads_as_words
from kpi.storage.awards import roll_naming
from kpi.vn import match_key
from tests.support.apptest import run
from tests.support.sheets import xlsx
from tests.test_award_spellings import GK_HUYEN, _agree

D = dt.date(2025, 1, 15)

#: A. Typed in lower case: the decision first, then the date, the award, the person; abbreviations
#: in lower case («ubnd», «gk ct ubnd», «lđtt»), one row capitalised.
LOWER = xlsx(
    [
        ["ủy ban nhân dân huyện tam nông"],
        ["danh sách khen thưởng thành tích năm 2024"],
        [],
        ["Số quyết định", "Ngày ký", "Hình thức khen thưởng", "Họ và tên", "Chức vụ", "Đơn vị", "Năm thành tích"],
        ["201/QĐ-UBND", D, "giấy khen chủ tịch ubnd huyện", "Đặng Văn Khoa", "Cán bộ", "Xã Tề Lễ", 2024],
        ["201/QĐ-UBND", D, "gk ct ubnd huyện", "Đặng Thị Loan", "Công chức", "Xã Tề Lễ", 2024],
        ["201/QĐ-UBND", D, "Giấy khen Chủ tịch UBND huyện", "Đặng Văn Mạnh", "Viên chức", "Xã Vạn Xuân", 2024],
        ["202/QĐ-UBND", D, "lđtt", "Đặng Thị Nga", "Giáo viên", "Xã Vạn Xuân", 2024],
        ["202/QĐ-UBND", D, "Lao động tiên tiến", "Đặng Văn Oanh", "Giáo viên", "Xã Vạn Xuân", 2024],
    ],
    sheet="Danh sach",
    formats={f"B{r}": "dd/mm/yyyy" for r in range(5, 10)},
)
#: B. A lower-case kind column («tt»/«cn») last, the award in capitals and in lower case with «của».
KINDS = xlsx(
    [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        ["Tên tập thể, cá nhân", "Đơn vị", "Khen thưởng", "Số QĐ", "Năm TT", "Đối tượng"],
        ["Tổ Tài vụ", "Phòng Tài chính - Kế hoạch", "giấy khen của ct ubnd huyện", "211/QĐ-UBND", 2024, "tt"],
        ["Mai Văn Phú", "Phòng Tài chính - Kế hoạch", "GIẤY KHEN CỦA CHỦ TỊCH UBND HUYỆN", "211/QĐ-UBND", 2024, "cn"],
        ["Mai Thị Quyên", "Phòng Tư pháp", "giấy khen của chủ tịch ubnd huyện", "211/QĐ-UBND", 2024, "cn"],
    ]
)
#: C. Awards outside the plan written with «sỹ» and «sĩ», «lý» and «lí», «kỹ» and «kĩ»; a «Ghi chú».
IY = xlsx(
    [
        ["DANH SÁCH ĐỀ NGHỊ VÀ ĐƯỢC KHEN THƯỞNG NĂM 2024"],
        [],
        ["STT", "Họ và tên", "Đơn vị", "Danh hiệu", "Số QĐ", "Năm thành tích", "Ghi chú"],
        [1, "Vi Văn Sơn", "Công an huyện", "Chiến sỹ thi đua toàn quốc", "221/QĐ-TTg", 2024, ""],
        [2, "Vi Thị Sen", "Công an huyện", "Chiến sĩ thi đua toàn quốc", "221/QĐ-TTg", 2024, "bổ sung"],
        [3, "Vi Văn Tài", "Ban Quản lý dự án", "Giấy khen Giám đốc Ban Quản lý dự án", "222/QĐ-BQL", 2024, ""],
        [4, "Vi Thị Thu", "Ban Quản lý dự án", "Giấy khen Giám đốc Ban Quản lí dự án", "222/QĐ-BQL", 2024, ""],
        [5, "Vi Văn Uy", "Hội KHKT", "Bằng khen Liên hiệp các hội khoa học kỹ thuật", "223/QĐ-LH", 2024, ""],
        [6, "Vi Thị Vân", "Hội KHKT", "Bằng khen Liên hiệp các hội khoa học kĩ thuật", "223/QĐ-LH", 2024, ""],
    ],
    sheet="Khen thuong 2024",
)
#: D. The plan's own district named in the award, in capitals too; the title on row 5.
OWN_PLACE = xlsx(
    [
        ["UBND HUYỆN TAM NÔNG"],
        ["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"],
        ["Số: 15/DS-HĐTĐKT"],
        [],
        ["DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC TẶNG GIẤY KHEN NĂM 2024"],
        ["TT", "Họ tên", "Nơi công tác", "Hình thức", "Quyết định số", "Năm"],
        [1, "Kiều Văn An", "Xã Hiền Quan", "Giấy khen Chủ tịch UBND huyện Tam Nông", "231/QĐ-UBND", 2024],
        [2, "Kiều Thị Bích", "Xã Hiền Quan", "Giấy khen Chủ tịch UBND huyện Tam Nông", "231/QĐ-UBND", 2024],
        [3, "Kiều Văn Chung", "Xã Hiền Quan", "GIẤY KHEN CỦA CHỦ TỊCH UBND HUYỆN TAM NÔNG", "231/QĐ-UBND", 2024],
        [4, "Kiều Thị Dung", "Xã Lam Sơn", "Giấy khen Chủ tịch UBND huyện", "231/QĐ-UBND", 2024],
    ],
    sheet="GK huyen",
)
#: E. Another district's name is another award, only «may be one»; the province's own is the plan's.
OTHER_PLACE = xlsx(
    [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        ["Họ và tên", "Đơn vị", "Hình thức khen thưởng", "Số quyết định", "Năm thành tích"],
        ["Lương Văn Đạt", "Xã Dị Nậu", "Giấy khen Chủ tịch UBND huyện Thanh Sơn", "241/QĐ-UBND", 2024],
        ["Lương Thị Êm", "Xã Dị Nậu", "Giấy khen Chủ tịch UBND huyện", "242/QĐ-UBND", 2024],
        ["Lương Văn Giáp", "Phòng Nội vụ", "Bằng khen của Chủ tịch UBND tỉnh Phú Thọ", "243/QĐ-UBND", 2024],
    ]
)
#: F. A supplement after D: its first row repeats D's first in lower case with the district named.
SUPPLEMENT = xlsx(
    [
        ["DANH SÁCH KHEN THƯỞNG BỔ SUNG - THÀNH TÍCH NĂM 2024"],
        ["Số QĐ", "Họ tên / Tập thể", "Đơn vị", "Hình thức KT"],
        ["231/QĐ-UBND", "Ông Kiều Văn An", "Xã Hiền Quan", "gk ct ubnd huyện tam nông"],
        ["232/QĐ-UBND", "Kiều Văn Hùng", "Xã Lam Sơn", "giấy khen ct ubnd huyện"],
    ],
    sheet="Bo sung",
)
#: G. Another district's list, for a plan renamed to it: its own name is the plan's, Tam Nông is not.
LAM_THAO = xlsx(
    [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        ["Họ và tên", "Đơn vị", "Hình thức khen thưởng", "Số quyết định", "Năm thành tích"],
        ["Tô Văn Hải", "Xã Tề Lễ", "Giấy khen Chủ tịch UBND huyện Lâm Thao", "251/QĐ-UBND", 2024],
        ["Tô Thị Hằng", "Xã Tề Lễ", "Giấy khen Chủ tịch UBND huyện", "251/QĐ-UBND", 2024],
        ["Tô Văn Hiếu", "Xã Tề Lễ", "Giấy khen Chủ tịch UBND huyện Tam Nông", "251/QĐ-UBND", 2024],
    ]
)


def test_lower_case_abbreviations_are_the_award_written_in_capitals(con, cfg, app_env):
    seen = _agree(con, cfg, ("lower.xlsx", LOWER))
    assert seen["options"] == [GK_HUYEN, "Lao động tiên tiến"]  # before: «gk ct ubnd huyện» and «lđtt» too
    # the list's writing beside the name where it differs in more than case
    assert list(seen["rows"]["award_aside"]) == ["", "gk ct ubnd huyện", "", "lđtt", ""]
    assert not seen["doubts"]


def test_a_lower_case_kind_and_award_of_a_list_are_read(con, cfg, app_env):
    seen = _agree(con, cfg, ("kinds.xlsx", KINDS))
    assert list(seen["rows"]["recipient_kind"]) == ["tập thể", "cá nhân", "cá nhân"]
    assert seen["options"] == ["Giấy khen của Chủ tịch UBND huyện"]  # «UBND» as the plan writes it


def test_an_abbreviation_that_is_a_word_in_lower_case_stays_case_sensitive():
    """Of ``data/abbreviations.csv`` only «CA» (công an) reads as a word in lower case («ca»)."""
    assert expand("Đội CA xã", "unit").text == "Đội công an xã"
    assert expand("Tổ ca 2", "unit").text == "Tổ ca 2"  # a shift, never «công an»
    assert expand("Tổ Ca 2", "unit").text == "Tổ Ca 2"
    assert expand("Ubnd huyện", "award").text == "Ubnd huyện"  # capitalised: as written
    assert [reads_as_words(a) for a in ("CA", "UBND", "GK", "CT UBND", "ƯTH", "GD&ĐT", "TTg")] == [
        True,
        False,
        False,
        False,
        False,
        False,
        False,
    ]


def test_i_and_y_of_one_syllable_are_one_award(con, cfg, app_env):
    seen = _agree(con, cfg, ("iy.xlsx", IY))
    assert len(seen["options"]) == 3, seen["options"]  # before: six
    assert {award_key(o) for o in seen["options"]} == {
        award_key("Chiến sĩ thi đua toàn quốc"),
        award_key("Giấy khen Giám đốc Ban Quản lí dự án"),
        award_key("Bằng khen Liên hiệp các hội khoa học kĩ thuật"),
    }
    assert not seen["doubts"]


def test_i_y_folding_keeps_other_sounds_apart():
    assert iy_fold(match_key("Chiến sỹ")) == iy_fold(match_key("chiến sĩ"))
    assert iy_fold(match_key("Quy định")) == iy_fold(match_key("qui định"))
    for kept in ("y tế", "Thủy", "tay", "tuy", "huy"):  # «y» alone or after a vowel is another sound
        assert iy_fold(match_key(kept)) == match_key(kept)
    assert award_key("Bằng khen Thủy") != award_key("Bằng khen Thủi")


def test_the_plans_own_district_named_is_the_same_award(con, cfg, app_env):
    seen = _agree(con, cfg, ("gk-huyen.xlsx", OWN_PLACE))
    assert len(seen["options"]) == 1 and award_key(seen["options"][0]) == award_key(GK_HUYEN)  # before: two
    assert "Tam Nông" not in seen["options"][0]  # named as the plan's awards name it: by its kind
    assert not seen["doubts"]  # before: «may be one»
    asides = list(seen["rows"]["award_aside"])
    assert asides[0] == "Giấy khen Chủ tịch UBND huyện Tam Nông"  # the list's writing beside the name
    assert asides[2] == "GIẤY KHEN CỦA CHỦ TỊCH UBND HUYỆN TAM NÔNG"


def test_another_districts_name_is_asked_and_the_provinces_own_is_the_plans(con, cfg, app_env):
    seen = _agree(con, cfg, ("noi-khac.xlsx", OTHER_PLACE))
    assert sorted(seen["options"]) == sorted(
        [GK_HUYEN, "Giấy khen Chủ tịch UBND huyện Thanh Sơn", "Bằng khen của Chủ tịch UBND tỉnh"]
    )
    [doubt] = seen["doubts"]
    assert "«Giấy khen Chủ tịch UBND huyện Thanh Sơn» có thể là cùng một" in doubt
    assert seen["counts"] == {"TD07": 1}


def test_a_supplements_lower_case_repeat_naming_the_district_counts_once(con, cfg, app_env):
    _agree(con, cfg, ("gk-huyen.xlsx", OWN_PLACE))
    seen = _agree(con, cfg, ("bo-sung.xlsx", SUPPLEMENT))
    rows = seen["rows"]
    assert list(rows["repeats"]) == ["dòng 7 của gk-huyen.xlsx", None]  # before: a second award
    assert len(seen["options"]) == 1


def test_the_district_is_the_plans_not_a_name_in_the_code(con, cfg, app_env):
    """The plan renamed to another district: its name is the plan's award, Tam Nông's is not."""
    con.execute("UPDATE plans SET district = 'huyện Lâm Thao'")
    seen = _agree(con, cfg, ("lam-thao.xlsx", LAM_THAO))
    assert sorted(seen["options"]) == sorted([GK_HUYEN, "Giấy khen Chủ tịch UBND huyện Tam Nông"])
    [doubt] = seen["doubts"]
    assert "Tam Nông" in doubt and "Lâm Thao" not in doubt


def test_the_thi_dua_page_says_what_may_be_one_beside_its_filter(con, cfg, app_env):
    _agree(con, cfg, ("noi-khac.xlsx", OTHER_PLACE))
    said = roll_doubts(roll_naming(con))
    assert said.startswith("Có thể là cùng một hình thức khen, chưa gộp: «Giấy khen Chủ tịch UBND huyện» và")
    at = run("views/awards.py")
    assert not at.exception
    captions = [c.value for c in at.caption]
    [where] = [i for i, c in enumerate(captions) if "Có thể là cùng một hình thức khen" in c]
    counted = next(i for i, c in enumerate(captions) if "tính vào chỉ tiêu" in c and "dòng" in c)
    assert where < counted  # under the filter, before the roll
    assert "«Giấy khen Chủ tịch UBND huyện Thanh Sơn»" in captions[where]


def test_the_page_says_nothing_when_no_two_awards_may_be_one(con, cfg, app_env):
    _agree(con, cfg, ("gk-huyen.xlsx", OWN_PLACE))
    assert roll_doubts(roll_naming(con)) == ""
    at = run("views/awards.py")
    assert not any("Có thể là cùng một" in c.value for c in at.caption)
