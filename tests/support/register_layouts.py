"""Registers and reports in the layouts offices use, written from ONE table of truths (issue 13).

Each layout writes the same facts (who received which award, which unit registered when) in
another way — a kind column in words or "TT"/"CN", section headings, no kind at all (implied by
the award or the recipient); awards written in full or abbreviated; dates as date cells or text;
a tick, status or note column; block heading rows; columns shuffled; header synonyms — so the
counts the product concludes must be the same for every layout: :data:`AWARD_COUNTS` and
:data:`REGISTERED`, worked out by hand from the tables below.
"""

from __future__ import annotations

import datetime as dt
import random

from tests.support.sheets import xlsx

# -- awards --------------------------------------------------------------------------------------
# recipient, kind, unit, award in full, award as offices abbreviate it, decision, date, achievement year
AWARDS = [
    (
        "Phòng Tài nguyên và Môi trường",
        "Tập thể",
        "Phòng Tài nguyên và Môi trường",
        "Cờ thi đua của Chính phủ",
        "Cờ thi đua CP",
        "512/QĐ-TTg",
        dt.date(2025, 4, 22),
        2024,
    ),
    (
        "Phòng Giáo dục và Đào tạo",
        "Tập thể",
        "Phòng Giáo dục và Đào tạo",
        "Bằng khen của Thủ tướng Chính phủ",
        "BK TTg",
        "498/QĐ-TTg",
        dt.date(2025, 4, 18),
        2024,
    ),
    (
        "Đỗ Văn Hải",
        "Cá nhân",
        "Công an huyện",
        "Bằng khen của Thủ tướng Chính phủ",
        "BK TTg",
        "498/QĐ-TTg",
        dt.date(2025, 4, 18),
        2024,
    ),
    (
        "Xã Hiền Quan",
        "Tập thể",
        "Xã Hiền Quan",
        "Cờ thi đua của UBND tỉnh",
        "CTĐ UBND tỉnh",
        "245/QĐ-UBND",
        dt.date(2025, 1, 24),
        2024,
    ),
    (
        "Phạm Thị Dung",
        "Cá nhân",
        "Xã Vạn Xuân",
        "Chiến sĩ thi đua cấp tỉnh",
        "CSTĐ cấp tỉnh",
        "246/QĐ-UBND",
        dt.date(2025, 1, 24),
        2024,
    ),
    (
        "Trường THCS Hưng Hóa",
        "Tập thể",
        "Thị trấn Hưng Hóa",
        "Bằng khen của Chủ tịch UBND tỉnh",
        "BK CT UBND tỉnh",
        "250/QĐ-UBND",
        dt.date(2025, 1, 25),
        2024,
    ),
    (
        "Hoàng Văn Em",
        "Cá nhân",
        "Phòng Nội vụ",
        "Bằng khen của Chủ tịch UBND tỉnh",
        "BK Chủ tịch UBND tỉnh",
        "250/QĐ-UBND",
        dt.date(2025, 1, 25),
        2024,
    ),
    (
        "Tổ Văn phòng - Xã Dân Quyền",
        "Tập thể",
        "Xã Dân Quyền",
        "Tập thể lao động xuất sắc",
        "TTLĐXS",
        "1020/QĐ-UBND",
        dt.date(2024, 12, 20),
        2024,
    ),
    (
        "Xã Thọ Văn",
        "Tập thể",
        "Xã Thọ Văn",
        "Tập thể lao động xuất sắc",
        "TTLĐXS",
        "1020/QĐ-UBND",
        dt.date(2024, 12, 20),
        2024,
    ),
    (
        "Nguyễn Văn An",
        "Cá nhân",
        "Phòng Tư pháp",
        "Chiến sĩ thi đua cơ sở",
        "CSTĐCS",
        "1021/QĐ-UBND",
        dt.date(2024, 12, 20),
        2024,
    ),
    (
        "Trần Thị Bình",
        "Cá nhân",
        "Xã Lam Sơn",
        "Chiến sĩ thi đua cơ sở",
        "CSTĐCS",
        "1021/QĐ-UBND",
        dt.date(2024, 12, 20),
        2024,
    ),
    (
        "Lê Văn Cường",
        "Cá nhân",
        "Xã Tề Lễ",
        "Chiến sĩ thi đua cơ sở",
        "CSTĐCS",
        "1021/QĐ-UBND",
        dt.date(2024, 12, 20),
        2024,
    ),
    # the same award typed again with an honorific: one person, counted once
    (
        "Ông Lê Văn Cường",
        "Cá nhân",
        "Xã Tề Lễ",
        "Chiến sĩ thi đua cơ sở",
        "CSTĐCS",
        "1021/QĐ-UBND",
        dt.date(2024, 12, 20),
        2024,
    ),
    # known awards that count toward no target (honour roll): understood, never hold the file
    (
        "Công an huyện",
        "Tập thể",
        "Công an huyện",
        "Giấy khen của Chủ tịch UBND huyện",
        "GK Chủ tịch UBND huyện",
        "1030/QĐ-UBND",
        dt.date(2024, 12, 22),
        2024,
    ),
    (
        "Vũ Thị Giang",
        "Cá nhân",
        "Phòng Y tế",
        "Lao động tiên tiến",
        "LĐTT",
        "1031/QĐ-UBND",
        dt.date(2024, 12, 22),
        2024,
    ),
]
#: An award for 2023 achievements (only in layouts with a year column): counts toward no 2024 target.
OLD_AWARD = (
    "Ngô Văn Khoa",
    "Cá nhân",
    "Xã Bắc Sơn",
    "Chiến sĩ thi đua cơ sở",
    "CSTĐCS",
    "990/QĐ-UBND",
    dt.date(2024, 1, 5),
    2023,
)

#: What the plan's award targets must read after any one layout (worked out by hand above).
AWARD_COUNTS = {"TD02": 1, "TD03": 2, "TD04": 1, "TD05": 1, "TD06": 1, "TD07": 1, "TD08": 2, "TD09": 3}

TITLE = "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG - THÀNH TÍCH NĂM 2024"


def _dmy(d: dt.date) -> str:
    return f"{d:%d/%m/%Y}"


def award_layouts() -> dict[str, bytes]:
    """Name → an award register in that layout, every one holding :data:`AWARDS`."""
    out = {}
    # 1. kind column in words, awards in full, date cells, a year column
    rows = [
        [TITLE],
        [],
        [
            "STT",
            "Tên tập thể / Họ và tên",
            "Tập thể/Cá nhân",
            "Cơ quan, đơn vị",
            "Danh hiệu / Hình thức khen thưởng",
            "Số quyết định",
            "Ngày quyết định",
            "Năm thành tích",
        ],
    ]
    for i, (who, kind, unit, full, _abbr, dec, day, year) in enumerate([*AWARDS, OLD_AWARD], start=1):
        rows.append([i, who, kind, unit, full, dec, day, year])
    out["kind column, words"] = xlsx(rows)
    # 2. kind as TT/CN, abbreviated awards, text dates, header synonyms, columns shuffled
    header = [
        "TT",
        "Họ và tên",
        "Loại",
        "Hình thức khen thưởng",
        "Số QĐ",
        "Ngày ký",
        "Năm thành tích",
        "Đơn vị công tác",
    ]
    order = list(range(len(header)))
    random.Random(13).shuffle(order)
    order.remove(0)
    order.insert(0, 0)
    rows = [[TITLE], [], [header[j] for j in order]]
    for i, (who, kind, unit, _full, abbr, dec, day, year) in enumerate([*AWARDS, OLD_AWARD], start=1):
        values = [i, who, "TT" if kind == "Tập thể" else "CN", abbr, dec, _dmy(day), year, unit]
        rows.append([values[j] for j in order])
    out["TT/CN, abbreviated, shuffled, text dates"] = xlsx(rows)
    # 3. no kind column: a section of collectives, a section of individuals; year from the title
    header = ["STT", "Tên tập thể, cá nhân", "Đơn vị", "Danh hiệu", "Số quyết định", "Ngày quyết định"]
    rows = [[TITLE], [], header, ["I", "TẬP THỂ"]]
    for i, (who, _k, unit, _full, abbr, dec, day, _y) in enumerate((a for a in AWARDS if a[1] == "Tập thể"), start=1):
        rows.append([i, who, unit, abbr, dec, day])
    rows.append(["II", "CÁ NHÂN"])
    for i, (who, _k, unit, _full, abbr, dec, day, _y) in enumerate((a for a in AWARDS if a[1] == "Cá nhân"), start=1):
        rows.append([i, who, unit, abbr, dec, _dmy(day)])
    out["sections, no kind column"] = xlsx(rows)
    # 4. no kind, no sections: implied by the award or by the recipient
    header = ["STT", "Họ và tên", "Cơ quan, đơn vị", "Hình thức khen thưởng", "Số quyết định", "Ngày quyết định"]
    rows = [[TITLE], [], header]
    for i, (who, _k, unit, full, _abbr, dec, day, _y) in enumerate(AWARDS, start=1):
        rows.append([i, who, unit, full, dec, day])
    out["kind implied"] = xlsx(rows)
    return out


# -- registrations --------------------------------------------------------------------------------
LIST_DATE = dt.date(2024, 1, 15)


#: unit → how it registered: a date, "mark" (a tick, no date: counts from LIST_DATE), "no" (the list
#: says not registered) or "none" (no sign either way: not registered, named in a warning).
def registration_truth(units: list[tuple[str, str]]) -> dict[str, object]:
    """The truth for the plan's 30 block units (``(block, unit)`` in the plan's order)."""
    truth: dict[str, object] = {}
    for i, (_block, unit) in enumerate(units):
        if i in (4, 17):
            truth[unit] = "no"
        elif i == 9:
            truth[unit] = "none"
        elif i in (2, 12, 25):
            truth[unit] = "mark"
        else:
            truth[unit] = dt.date(2024, 2, 1 + i % 27)
    return truth


def registered_share(truth: dict[str, object], until: dt.date) -> float:
    """TD01 at ``until``: units registered on or before it (marks from LIST_DATE), of all units."""
    n = sum(
        1 for v in truth.values() if (v == "mark" and LIST_DATE <= until) or (isinstance(v, dt.date) and v <= until)
    )
    return round(100 * n / len(truth), 2)


#: How offices abbreviate some units' names (layout 3 writes these): data/abbreviations.csv expands them.
ABBREVIATED_UNITS = {
    "Phòng Giáo dục và Đào tạo": "Phòng GDĐT",
    "Phòng Nông nghiệp và Phát triển nông thôn": "Phòng NNPTNT",
    "Trung tâm Y tế huyện": "TTYT huyện",
    "Phòng Lao động - Thương binh và Xã hội": "Phòng LĐTBXH",
}


def registration_layouts(units: list[tuple[str, str]]) -> dict[str, bytes]:
    truth = registration_truth(units)
    place = f"Tam Nông, ngày {LIST_DATE.day} tháng {LIST_DATE.month:02d} năm {LIST_DATE.year}"
    out = {}
    # 1. block column, date cells, document column, "Chưa đăng ký" in the note column
    rows = [
        ["DANH SÁCH ĐƠN VỊ ĐĂNG KÝ THI ĐUA NĂM 2024"],
        [place],
        ["STT", "Khối thi đua", "Cơ quan, đơn vị", "Ngày đăng ký", "Số văn bản đăng ký", "Ghi chú"],
    ]
    for i, (block, unit) in enumerate(units, start=1):
        v = truth[unit]
        if isinstance(v, dt.date):
            rows.append([i, block, unit, v, f"{i}/ĐK-TĐ", ""])
        elif v == "mark":
            rows.append([i, block, unit, "", f"{i}/ĐK-TĐ", ""])
        elif v == "no":
            rows.append([i, block, unit, "", "", "Chưa đăng ký"])
        else:
            rows.append([i, block, unit, "", "", ""])
    out["block column, note"] = xlsx(rows)
    # 2. block heading rows, a tick column only ("x" / "Không"), the list's date in its title block
    rows = [["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"], [place], ["STT", "Tên đơn vị", "Đăng ký (x)", "Ghi chú"]]
    current = None
    for i, (block, unit) in enumerate(units, start=1):
        if block != current:
            rows.append([block])
            current = block
        v = truth[unit]
        rows.append([i, unit, "Không" if v == "no" else ("" if v == "none" else "x"), ""])
    out["block headings, tick column"] = xlsx(rows)
    # 3. columns shuffled, text dates, a status column
    rows = [["ĐĂNG KÝ THI ĐUA NĂM 2024"], [place], ["Tình trạng", "Ngày đăng ký", "Đơn vị", "Khối", "STT"]]
    for i, (block, unit) in enumerate(units, start=1):
        v = truth[unit]
        status = {"no": "Chưa đăng ký", "none": ""}.get(v, "Đã đăng ký") if not isinstance(v, dt.date) else "Đã đăng ký"
        rows.append([status, _dmy(v) if isinstance(v, dt.date) else "", ABBREVIATED_UNITS.get(unit, unit), block, i])
    out["shuffled, status column, text dates"] = xlsx(rows)
    return out


# -- reports ----------------------------------------------------------------------------------
def report_with(
    rows: list[tuple[str, float]], title: str = "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU QUÝ I NĂM 2024"
) -> bytes:
    """A district report of Q1 2024 with (name as written, figure) rows."""
    out = [[title], ["Kỳ báo cáo: Quý I/2024"], ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"]]
    for i, (name, value) in enumerate(rows, start=1):
        out.append([i, name, "", value])
    return xlsx(out)
