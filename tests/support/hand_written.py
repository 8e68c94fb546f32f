"""Five registers written by hand in layouts unlike ``../shared/samples/`` and unlike
``tests/register_layouts.py`` (issue 13, "Done when"), each with what the product must conclude,
worked out by hand in its comment. The plan is the seed's 2024 plan (data/plans/2024).
"""

from __future__ import annotations

import datetime as dt

from tests.support.sheets import xlsx

# The plan's 30 block units, by block (data/plans/2024/units.csv).
BLOCKS = {
    "KHỐI CÁC XÃ, THỊ TRẤN SỐ 1": [
        "Thị trấn Hưng Hóa",
        "Xã Dân Quyền",
        "Xã Hương Nộn",
        "Xã Dị Nậu",
        "Xã Thọ Văn",
        "Xã Lam Sơn",
    ],
    "KHỐI CÁC XÃ, THỊ TRẤN SỐ 2": [
        "Xã Bắc Sơn",
        "Xã Hiền Quan",
        "Xã Quang Húc",
        "Xã Tề Lễ",
        "Xã Thanh Uyên",
        "Xã Vạn Xuân",
    ],
    "KHỐI KINH TẾ - TỔNG HỢP": [
        "Phòng Tài chính - Kế hoạch",
        "Phòng Nông nghiệp và Phát triển nông thôn",
        "Phòng Kinh tế và Hạ tầng",
        "Phòng Tài nguyên và Môi trường",
        "Chi cục Thuế khu vực",
        "Chi cục Thống kê khu vực",
    ],
    "KHỐI VĂN HÓA - XÃ HỘI": [
        "Phòng Giáo dục và Đào tạo",
        "Phòng Văn hóa và Thông tin",
        "Phòng Lao động - Thương binh và Xã hội",
        "Trung tâm Y tế huyện",
        "Bảo hiểm xã hội huyện",
        "Phòng Y tế",
    ],
    "KHỐI NỘI CHÍNH": [
        "Văn phòng HĐND và UBND huyện",
        "Phòng Nội vụ",
        "Phòng Tư pháp",
        "Thanh tra huyện",
        "Công an huyện",
        "Ban Chỉ huy Quân sự huyện",
    ],
}
UNITS = [u for units in BLOCKS.values() for u in units]


def awards_people_with_posts() -> bytes:
    """R1 — an award register of individuals only: no kind column, the person's post and office in
    one column ("Chức vụ, đơn vị công tác"), the decision number and date in one column ("Số
    1021/QĐ-UBND ngày 20/12/2024"), awards abbreviated ("BK CT UBND tỉnh", "CSTĐCS", "LĐTT"), the
    achievement year only in the title. By hand: TD07 (BK Chủ tịch UBND tỉnh, individuals) 3, TD09
    (CSTĐ cơ sở, individuals) 4, two LĐTT on the honour roll; every other award target 0."""
    rows = [
        ["UBND HUYỆN TAM NÔNG"],
        ["DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG THÀNH TÍCH NĂM 2024"],
        [],
        ["TT", "Họ và tên", "Chức vụ, đơn vị công tác", "Hình thức khen", "Quyết định"],
        [1, "Nguyễn Thị Hoa", "Trưởng phòng, Phòng Tư pháp", "BK CT UBND tỉnh", "Số 250/QĐ-UBND ngày 25/01/2025"],
        [2, "Trần Văn Bình", "Phó Chủ tịch UBND xã Dân Quyền", "BK CT UBND tỉnh", "Số 250/QĐ-UBND ngày 25/01/2025"],
        [3, "Lê Thị Cúc", "Chuyên viên, Phòng Nội vụ", "BK CT UBND tỉnh", "Số 250/QĐ-UBND ngày 25/01/2025"],
        [4, "Phạm Văn Dũng", "Công chức Tư pháp xã Lam Sơn", "CSTĐCS", "Số 1021/QĐ-UBND ngày 20/12/2024"],
        [5, "Hoàng Thị Én", "Kế toán, Trung tâm Y tế huyện", "CSTĐCS", "Số 1021/QĐ-UBND ngày 20/12/2024"],
        [6, "Vũ Văn Giang", "Phó trưởng phòng, Phòng Y tế", "CSTĐCS", "Số 1021/QĐ-UBND ngày 20/12/2024"],
        [7, "Đặng Thị Hà", "Giáo viên, Phòng Giáo dục và Đào tạo", "CSTĐCS", "Số 1021/QĐ-UBND ngày 20/12/2024"],
        [8, "Bùi Văn Ích", "Chuyên viên, Phòng Nội vụ", "LĐTT", "Số 1030/QĐ-UBND ngày 22/12/2024"],
        [9, "Ngô Thị Kim", "Văn thư, Thanh tra huyện", "LĐTT", "Số 1030/QĐ-UBND ngày 22/12/2024"],
    ]
    return xlsx(rows)


R1_COUNTS = {"TD02": 0, "TD03": 0, "TD04": 0, "TD05": 0, "TD06": 0, "TD07": 3, "TD08": 0, "TD09": 4}


def awards_kind_in_lower_case() -> bytes:
    """R5 — an award register with the kind written "tt"/"cn" in a column "Đối tượng", awards
    named with the province ("Bằng khen Chủ tịch UBND tỉnh Phú Thọ", "Cờ thi đua UBND tỉnh Phú
    Thọ"), "Chiến sỹ" spelt with y, "Tập thể LĐXS", a year column "Năm TT", text dates "ngày 20 tháng
    12 năm 2024", a note column. By hand: TD04 1, TD06 2, TD07 1, TD08 2, TD09 2, others 0."""
    rows = [
        ["BẢNG TỔNG HỢP KẾT QUẢ KHEN THƯỞNG"],
        [],
        ["STT", "Đối tượng", "Tên tập thể, cá nhân", "Danh hiệu, hình thức", "Số QĐ", "Ngày QĐ", "Năm TT", "Ghi chú"],
        [1, "tt", "Xã Hiền Quan", "Cờ thi đua UBND tỉnh Phú Thọ", "245/QĐ-UBND", "ngày 24 tháng 01 năm 2025", 2024, ""],
        [
            2,
            "tt",
            "Phòng Kinh tế và Hạ tầng",
            "Bằng khen Chủ tịch UBND tỉnh Phú Thọ",
            "250/QĐ-UBND",
            "ngày 25 tháng 01 năm 2025",
            2024,
            "",
        ],
        [
            3,
            "tt",
            "Xã Quang Húc",
            "Bằng khen Chủ tịch UBND tỉnh Phú Thọ",
            "250/QĐ-UBND",
            "ngày 25 tháng 01 năm 2025",
            2024,
            "",
        ],
        [
            4,
            "cn",
            "Đinh Văn Long",
            "Bằng khen Chủ tịch UBND tỉnh Phú Thọ",
            "250/QĐ-UBND",
            "ngày 25 tháng 01 năm 2025",
            2024,
            "Xã Tề Lễ",
        ],
        [5, "tt", "Phòng Tài chính - Kế hoạch", "Tập thể LĐXS", "1020/QĐ-UBND", "ngày 20 tháng 12 năm 2024", 2024, ""],
        [6, "tt", "Xã Bắc Sơn", "Tập thể LĐXS", "1020/QĐ-UBND", "ngày 20 tháng 12 năm 2024", 2024, ""],
        [7, "cn", "Mai Thị Ngọc", "Chiến sỹ thi đua cơ sở", "1021/QĐ-UBND", "ngày 20 tháng 12 năm 2024", 2024, ""],
        [8, "cn", "Lý Văn Phúc", "Chiến sỹ thi đua cơ sở", "1021/QĐ-UBND", "ngày 20 tháng 12 năm 2024", 2024, ""],
        [
            9,
            "cn",
            "Tạ Văn Quân",
            "Chiến sỹ thi đua cơ sở",
            "990/QĐ-UBND",
            "ngày 05 tháng 01 năm 2024",
            2023,
            "thành tích 2023",
        ],
    ]
    return xlsx(rows)


R5_COUNTS = {"TD02": 0, "TD03": 0, "TD04": 1, "TD05": 0, "TD06": 2, "TD07": 1, "TD08": 2, "TD09": 2}


def awards_under_award_headings() -> bytes:
    """R2 — an award register where each award is a heading row ("1. Bằng khen của Chủ tịch UBND
    tỉnh") above the recipients, and the kind a section heading ("A. TẬP THỂ", "B. CÁ NHÂN"); the
    rows themselves name no award. By hand: TD06 2 (two collectives under the Bằng khen heading),
    TD08 1, TD07 1, TD09 2."""
    rows = [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        [],
        ["STT", "Tên tập thể, cá nhân", "Đơn vị", "Số quyết định"],
        ["A", "TẬP THỂ"],
        ["1", "Bằng khen của Chủ tịch UBND tỉnh"],
        [1, "Xã Thanh Uyên", "Xã Thanh Uyên", "250/QĐ-UBND"],
        [2, "Phòng Văn hóa và Thông tin", "Phòng Văn hóa và Thông tin", "250/QĐ-UBND"],
        ["2", "Tập thể lao động xuất sắc"],
        [3, "Xã Vạn Xuân", "Xã Vạn Xuân", "1020/QĐ-UBND"],
        ["B", "CÁ NHÂN"],
        ["1", "Bằng khen của Chủ tịch UBND tỉnh"],
        [4, "Cao Văn Sơn", "Công an huyện", "250/QĐ-UBND"],
        ["2", "Chiến sĩ thi đua cơ sở"],
        [5, "Đỗ Thị Tâm", "Phòng Tư pháp", "1021/QĐ-UBND"],
        [6, "Kiều Văn Uy", "Xã Hương Nộn", "1021/QĐ-UBND"],
    ]
    return xlsx(rows)


R2_COUNTS = {"TD02": 0, "TD03": 0, "TD04": 0, "TD05": 0, "TD06": 2, "TD07": 1, "TD08": 1, "TD09": 2}

LIST_DAY = dt.date(2024, 1, 12)


def registrations_with_titles_registered() -> bytes:
    """R3 — a registration list that names, for each unit, the title it registers for ("Nội dung
    đăng ký": "Tập thể lao động xuất sắc", "Cờ thi đua của UBND tỉnh"), with the document number and
    date in one column ("Số 12/ĐK-UBND ngày 10/01/2024"). Award words in every row, yet it is a
    registration list. By hand: 27 of the 30 units registered (units 5 and 18 say "Chưa gửi đăng
    ký", unit 10 has nothing) → TD01 = 27/30 = 90,00 %; no award counted."""
    rows = [
        ["UBND HUYỆN TAM NÔNG", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"],
        ["TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM 2024"],
        [f"Tam Nông, ngày {LIST_DAY.day} tháng {LIST_DAY.month:02d} năm {LIST_DAY.year}"],
        ["STT", "Cơ quan, đơn vị", "Nội dung đăng ký", "Văn bản đăng ký"],
    ]
    for i, unit in enumerate(UNITS, start=1):
        title = "Cờ thi đua của UBND tỉnh" if i % 4 == 0 else "Tập thể lao động xuất sắc"
        if i in (5, 18):
            rows.append([i, unit, title, "Chưa gửi đăng ký"])
        elif i == 10:
            rows.append([i, unit, "", ""])
        else:
            rows.append([i, unit, title, f"Số {i}/ĐK-UBND ngày {2 + i % 9:02d}/01/2024"])
    return xlsx(rows)


R3_SHARE = 90.0


def registrations_ticks_under_blocks() -> bytes:
    """R4 — a registration list by block heading rows ("I. KHỐI …"), units written with their
    People's Committee ("UBND xã Dân Quyền", "UBND thị trấn Hưng Hóa"), a tick "✓" in a column
    "Đã ĐK", a date column "Ngày nhận" in text "15-01-2024" (some ticks without a date), the
    list's own date in its title block. By hand: ticks for 26 units (units 3, 9, 21, 28 unticked:
    9 says "Không" and the others are empty) → TD01 = 26/30 = 86,67 %."""
    rows = [
        ["DANH SÁCH CÁC ĐƠN VỊ ĐĂNG KÝ THI ĐUA NĂM 2024"],
        ["(Kèm theo Thông báo số 05/TB-HĐTĐKT ngày 20/01/2024)"],
        ["TT", "Tên cơ quan, đơn vị", "Đã ĐK", "Ngày nhận"],
    ]
    n = 0
    for b, (block, units) in enumerate(BLOCKS.items(), start=1):
        rows.append([["I", "II", "III", "IV", "V"][b - 1] + ". " + block])
        for unit in units:
            n += 1
            written = unit
            if unit.startswith("Xã "):
                written = "UBND xã " + unit[3:]
            elif unit.startswith("Thị trấn "):
                written = "UBND thị trấn " + unit[9:]
            if n == 9:
                rows.append([n, written, "Không", ""])
            elif n in (3, 21, 28):
                rows.append([n, written, "", ""])
            else:
                rows.append([n, written, "✓", f"{5 + n % 20:02d}-01-2024" if n % 3 else ""])
    return xlsx(rows)


R4_SHARE = round(100 * 26 / 30, 2)
