"""An award list that writes its awards abbreviated: shown, filtered, searched and printed by the
full name the reader resolved, counted as the target card counts it.

Black-box finding (December 2026): after the five samples, a supplement writing «BK CT UBND tỉnh»,
«TTLĐXS», «CSTĐCS», «GK», «LĐTT» was read right by the preview (TD09: 55 cá nhân), but the honour
roll's filter «Chiến sĩ thi đua cơ sở» showed «52 dòng · 52 tính vào chỉ tiêu», «CSTĐCS» and
«BK CT UBND tỉnh» were filter options of their own, the annex printed the abbreviations, and the
«TTLĐXS» rows read «Cấp khen: Không rõ» beside the main list's «Chủ tịch UBND tỉnh».
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from kpi.domain.award_identity import LEVEL_UNKNOWN
from kpi.ingest import ingest
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.awards import award_counts
from tests.support.apptest import run, summaries, texts
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

CSTD_CS = "Chiến sĩ thi đua cơ sở"
BK_TINH = "Bằng khen của Chủ tịch UBND tỉnh"
TTLDXS = "Tập thể lao động xuất sắc"
Q1, Q2 = dt.date(2025, 3, 18), dt.date(2025, 2, 20)

#: The tester's supplement (/work/blind-files/xlsx/f4-khen-thuong-bo-sung-dot-2-viet-tat.xlsx).
F4_ROWS = [
    (1, "Đinh Thị Mai", "Phòng Giáo dục và Đào tạo", "BK CT UBND tỉnh", "612/QĐ-UBND", Q1),
    (2, "Ông Trần Quốc Bảo", "Công an huyện", "BK CT UBND tỉnh", "612/QĐ-UBND", Q1),
    (3, "Trường Tiểu học Hưng Hóa", "Phòng Giáo dục và Đào tạo", "TTLĐXS", "95/QĐ-UBND", Q2),
    (4, "Hà Văn Tuấn", "Xã Tề Lễ", "CSTĐCS", "96/QĐ-UBND", Q2),
    (5, "Bà Lê Thị Thu", "Xã Vạn Xuân", "CSTĐCS", "96/QĐ-UBND", Q2),
    (6, "Nguyễn Hữu Phước", "Phòng Nội vụ", "CSTĐCS", "96/QĐ-UBND", Q2),
    (7, "Tổ Văn thư - Văn phòng HĐND và UBND huyện", "Văn phòng HĐND và UBND huyện", "GK", "97/QĐ-UBND", Q2),
    (8, "Phùng Thị Lan", "Xã Bắc Sơn", "LĐTT", "98/QĐ-UBND", Q2),
]


def supplement(rows, batch: int = 2) -> bytes:
    """An award supplement laid out as the tester's: no kind column, no «Cấp khen» column."""
    return xlsx(
        [
            ["UBND HUYỆN TAM NÔNG"],
            ["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"],
            [],
            [f"DANH SÁCH KHEN THƯỞNG BỔ SUNG ĐỢT {batch} - THÀNH TÍCH NĂM 2024"],
            [],
            ["STT", "Họ tên / Tập thể", "Đơn vị", "Hình thức KT", "Số QĐ", "Ngày QĐ", "Năm TT"],
            *[[*r, 2024] for r in rows],
        ],
        sheet="KT bo sung",
        formats={f"F{r}": "dd/mm/yyyy" for r in range(7, 7 + len(rows))},
    )


@pytest.fixture
def abbreviated(loaded, cfg, app_env):
    """The five samples, then the tester's abbreviated supplement, saved beside the main list."""
    _prep, done = ingest(loaded, supplement(F4_ROWS), "kt-bo-sung-viet-tat.xlsx", ACTOR, ImportOptions(), cfg)
    assert done.status == "active", done.message
    return loaded


def _roll(at):
    [roll] = [f.value for f in at.dataframe if "Tính vào" in f.value.columns]
    return roll


def _count_caption(at) -> str:
    [said] = [c.value for c in at.caption if "tính vào chỉ tiêu" in c.value and "dòng" in c.value]
    return said


def test_the_honour_rolls_filter_counts_what_the_target_card_counts(abbreviated):
    counts = award_counts(abbreviated, 2024)
    assert counts["TD09"] == 55  # 52 of the main list, 3 «CSTĐCS» of the supplement
    at = run("views/awards.py")
    assert not at.exception
    [card] = [s for s in summaries(at) if "TD09" in s.index]
    assert "55" in " ".join(card.loc["TD09"])  # the page's own target card
    options = at.multiselect(key="aw_award").options
    assert CSTD_CS in options and BK_TINH in options and TTLDXS in options
    # no option of a written abbreviation; the other awards written out from the abbreviation table
    assert not {"CSTĐCS", "TTLĐXS", "BK CT UBND tỉnh", "GK", "LĐTT"} & set(options)
    assert {"Giấy khen", "Lao động tiên tiến"} <= set(options)
    at.multiselect(key="aw_award").set_value([CSTD_CS]).run()
    assert _count_caption(at) == "55 dòng · 55 tính vào chỉ tiêu"  # the card's 55; before: «52 dòng · 52»
    roll = _roll(at)
    assert roll["Danh hiệu / Hình thức"].str.startswith(CSTD_CS).all()
    assert (roll["Danh hiệu / Hình thức"] == f"{CSTD_CS} (CSTĐCS)").sum() == 3  # as written, beside
    at.multiselect(key="aw_award").set_value([BK_TINH]).run()
    roll = _roll(at)
    assert (roll["Danh hiệu / Hình thức"] == f"{BK_TINH} (BK CT UBND tỉnh)").sum() == 2
    assert int(_count_caption(at).split(" · ")[1].split()[0]) == counts["TD06"] + counts["TD07"]


def test_search_finds_an_award_by_its_name_and_by_how_it_was_written(abbreviated):
    at = run("views/awards.py")
    at.text_input(key="aw_query").set_value("lao dong tien tien").run()
    roll = _roll(at)
    assert list(roll["Danh hiệu / Hình thức"]) == ["Lao động tiên tiến (LĐTT)"]
    assert roll["Họ tên / Tập thể"].iloc[0].startswith("Phùng Thị Lan")
    at.text_input(key="aw_query").set_value("cstdcs").run()  # the file's words still find its rows
    assert len(_roll(at)) == 3 and "CSTĐCS" in texts(at)


def test_the_conferring_level_comes_from_the_resolved_name(abbreviated):
    """«TTLĐXS» of the supplement: «Chủ tịch UBND tỉnh», as the main list's «Tập thể lao động xuất
    sắc»; «GK», «LĐTT» say no level (a district, a commune or an agency head confers them)."""
    at = run("views/awards.py")
    at.text_input(key="aw_query").set_value("truong tieu hoc hung hoa").run()
    [level] = _roll(at)["Cấp khen"]
    assert level == "Chủ tịch UBND tỉnh"  # before: «Không rõ (danh sách không ghi)»
    at.text_input(key="aw_query").set_value("").run()
    at.multiselect(key="aw_award").set_value([TTLDXS]).run()
    roll = _roll(at)
    assert set(roll["Cấp khen"]) == {"Chủ tịch UBND tỉnh"}  # the main list's rows and the supplement's
    assert (roll["Danh hiệu / Hình thức"] == f"{TTLDXS} (TTLĐXS)").sum() == 1
    at.multiselect(key="aw_award").set_value(["Giấy khen", "Lao động tiên tiến"]).run()
    assert set(_roll(at)["Cấp khen"]) == {LEVEL_UNKNOWN}


def test_the_annex_prints_the_full_names(abbreviated):
    from kpi.output.annex import annex_workbook
    from kpi.reporting.attainment_report import attainment_report

    book = openpyxl.load_workbook(io.BytesIO(annex_workbook(abbreviated, attainment_report(abbreviated, 2024, 3))))
    sheet = book["Khen thưởng"]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[1]}
    assert rows["Hà Văn Tuấn"][3] == CSTD_CS and rows["Hà Văn Tuấn"][4] == "Chủ tịch UBND huyện"
    assert rows["Đinh Thị Mai"][3] == BK_TINH
    assert rows["Trường Tiểu học Hưng Hóa"][3] == TTLDXS
    assert rows["Trường Tiểu học Hưng Hóa"][4] == "Chủ tịch UBND tỉnh"
    written = {str(c) for r in sheet.iter_rows(values_only=True) for c in r if c}
    assert not {"CSTĐCS", "TTLĐXS", "BK CT UBND tỉnh"} & written
    assert sum(1 for r in rows.values() if r[3] == CSTD_CS) == 55  # the counted rows only, as the card


# -- two lists of our own: other abbreviations and spellings the tables know ------------------------

D3 = dt.date(2025, 2, 27)
#: Written as offices write them: «CTĐ», «CSTĐ», «LĐXS» inside a name, «Chiến sỹ», «BK TTg», and two
#: awards of no target, «TTLĐTT» and «CSTT».
LIST_3 = [
    (1, "Phòng Văn hóa và Thông tin", "Phòng Văn hóa và Thông tin", "CTĐ UBND tỉnh", "301/QĐ-UBND", D3),
    (2, "Vi Thị Hoa", "Xã Tề Lễ", "CSTĐ cấp tỉnh", "302/QĐ-UBND", D3),
    (3, "Trường THCS Hưng Hóa", "Phòng Giáo dục và Đào tạo", "Tập thể LĐXS", "303/QĐ-UBND", D3),
    (4, "Kiều Văn Nam", "Xã Vạn Xuân", "Chiến sỹ thi đua cơ sở", "304/QĐ-UBND", D3),
    (5, "Trường Mầm non Hiền Quan", "Xã Hiền Quan", "TTLĐTT", "305/QĐ-UBND", D3),
    (6, "Lò Văn Minh", "Công an huyện", "CSTT", "306/QĐ-UBND", D3),
    (7, "Triệu Thị Hằng", "Phòng Y tế", "BK TTg", "307/QĐ-TTg", D3),
]
#: «BK của CT UBND tỉnh», «BK UBND tỉnh», «CSTĐ cơ sở», «CSTĐ cấp huyện» (the plan's own words),
#: «GK CT UBND huyện».
LIST_4 = [
    (1, "Mạc Văn Tùng", "Phòng Nội vụ", "BK của CT UBND tỉnh", "401/QĐ-UBND", D3),
    (2, "Phòng Tư pháp", "Phòng Tư pháp", "BK UBND tỉnh", "402/QĐ-UBND", D3),
    (3, "Hoàng Thị Vân", "Xã Bắc Sơn", "CSTĐ cơ sở", "403/QĐ-UBND", D3),
    (4, "Ông Đàm Văn Lực", "Xã Dân Quyền", "CSTĐ cấp huyện", "404/QĐ-UBND", D3),
    (5, "Nông Thị Hà", "Phòng Y tế", "GK CT UBND huyện", "405/QĐ-UBND", D3),
    (6, "Tổ Kế toán - Phòng Tài chính - Kế hoạch", "Phòng Tài chính - Kế hoạch", "TTLĐXS", "406/QĐ-UBND", D3),
]


@pytest.mark.parametrize(
    ("batch", "rows", "names"),
    [
        (3, LIST_3, {"Tập thể lao động tiên tiến": "TTLĐTT", "Chiến sĩ tiên tiến": "CSTT"}),
        # «UBND» as the plan writes it; the main list's «Giấy khen của Chủ tịch UBND huyện» is the
        # same award, one option (before: two, counted apart)
        (4, LIST_4, {"Giấy khen Chủ tịch UBND huyện": "GK CT UBND huyện"}),
    ],
    ids=["list-3", "list-4"],
)
def test_every_award_filter_counts_what_its_targets_count(loaded, cfg, app_env, batch, rows, names):
    from kpi.storage.catalogue import load_catalogue

    _prep, done = ingest(loaded, supplement(rows, batch), f"kt-bo-sung-{batch}.xlsx", ACTOR, ImportOptions(), cfg)
    assert done.status == "active", done.message
    counts = award_counts(loaded, 2024)
    keys_of: dict[str, list[str]] = {}
    for ind in load_catalogue(loaded, 2024).indicators:
        if ind.award:
            keys_of.setdefault(ind.award, []).append(ind.key)
    at = run("views/awards.py")
    options = set(at.multiselect(key="aw_award").options)
    assert set(keys_of) <= options and set(names) <= options
    assert not {r[3] for r in rows} & options  # no option is a list's own writing
    for award, keys in keys_of.items():
        at.multiselect(key="aw_award").set_value([award]).run()
        counted = int(_count_caption(at).split(" · ")[1].split()[0])
        assert counted == sum(counts.get(k, 0) for k in keys), award
    at.multiselect(key="aw_award").set_value(list(names)).run()
    roll = _roll(at)
    assert {f"{n} ({w})" for n, w in names.items()} <= set(roll["Danh hiệu / Hình thức"])
    assert set(roll["Danh hiệu / Hình thức"]) <= {*names, *(f"{n} ({w})" for n in names for w in _written(loaded))}
    assert set(roll["Tính vào"]) == {"không"}


def _written(con) -> set[str]:
    return {w for (w,) in con.execute("SELECT DISTINCT award_written FROM awards").fetchall()}
