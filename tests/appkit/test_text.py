"""The pages' text helpers of appkit/text.py, on the real plan and samples."""

from appkit.text import summary_list
from kpi.reporting.attainment_report import attainment_report
from tests.support.samples import load


def plain(text: str) -> str:
    """Text with its no-break spaces as spaces (what it says, not where it may wrap)."""
    return text.replace("\u00a0", " ")


def test_the_phones_summary_says_in_words_that_an_indicator_has_no_figure(con):
    """Black-box finding (390 px, overview): an indicator without a figure read «— – — –», a
    dash for each missing part; it reads «Chưa có số liệu» instead."""
    lines = plain(summary_list(attainment_report(con, 2024))).splitlines()
    assert len(lines) == 23
    assert not [line for line in lines if "– —" in line or "— –" in line]
    assert lines[0] == "- **Tổng vốn đầu tư toàn xã hội** — :gray-badge[Chưa có số liệu]"


def test_the_phones_summary_keeps_figure_percentage_and_word_when_there_is_a_figure(loaded):
    lines = summary_list(attainment_report(loaded, 2024)).splitlines()
    # «73,87\u00a0%»: the sign never wraps away from its number (black-box: «100,00» / «% —» at 390 px);
    # the dash never starts a line, the status word is never split (black-box: a lone «— Chậm tiến độ», round 10)
    assert lines[0] == (
        "- **Tổng vốn đầu tư toàn xã hội**\u00a0— 2\\.438,3\u00a0tỷ đồng\u00a0— 73,87\u00a0%\u00a0— "
        ":orange-badge[Chậm\u00a0tiến\u00a0độ]"
    )
    assert not [line for line in lines if " —" in line]
    assert not [line for line in lines if "– —" in line or "— –" in line]


def test_the_phones_summary_names_the_quarter_of_a_figure_from_an_earlier_report(con, cfg):
    """Black-box finding (390 px, overview): an indicator whose latest figure is of an earlier
    quarter read like the others under the report's «Kỳ: Quý II/2024»; the desktop table's «Kỳ»
    column names it. The line names it; a figure of the report's own quarter names none."""
    load(con, cfg, "q1")
    rep = attainment_report(con, 2024, quarter=2)  # judged at Q2 with only the Q1 report in
    by_name = dict(zip(rep.table["name"], plain(summary_list(rep)).splitlines(), strict=True))
    assert by_name["Tổng vốn đầu tư toàn xã hội"].startswith(
        "- **Tổng vốn đầu tư toàn xã hội** — 520,4 tỷ đồng (Quý I/2024) — "
    )
    rep = attainment_report(con, 2024, quarter=1)
    assert "(Quý" not in summary_list(rep)


def test_the_phones_summary_says_a_year_end_estimate_is_one_and_whose(loaded):
    """Black-box finding: the half-year report's year-end estimates (CT03…CT06b, judged on them
    alone) read «125,0 (ước) … Quý II/2024», a half-year figure; they say «ước cả năm, báo cáo
    6 tháng», and «(ước)» once."""
    rep = attainment_report(loaded, 2024, quarter=3)
    on_estimate = rep.table[rep.table["kind"] == "year_estimate"]
    assert list(on_estimate["key"]) == ["CT03", "CT04", "CT05a", "CT05b", "CT06a", "CT06b"]
    by_name = dict(zip(rep.table["name"], plain(summary_list(rep)).splitlines(), strict=True))
    assert by_name["Tỷ lệ hộ nghèo"].startswith("- **Tỷ lệ hộ nghèo** — 0,18 % (ước cả năm, báo cáo 6 tháng) — ")
    for name in on_estimate["name"]:
        assert "(ước cả năm, báo cáo 6 tháng)" in by_name[name] and "Quý II" not in by_name[name]
        assert "\\(ước\\)" not in by_name[name]
    assert "(Quý" not in summary_list(rep)  # every other figure is the nine-month report's


def test_a_phone_lists_each_stored_version_of_a_figure_with_its_file_and_cell():
    """Black-box (390 px): «Số liệu này lấy từ đâu?» was a nine-column table 523 px wide in 322;
    a phone gets one item per version, what the file wrote only where it differs."""
    import pandas as pd

    from appkit.text import history_lines

    shown = pd.DataFrame(
        {
            "Kỳ": ["Quý III/2024", "Quý I/2024"],
            "Loại số": ["lũy kế", "số của quý"],
            "Số (tỷ đồng)": ["2.438,3", "520,4"],
            "Ghi trong tệp": ["2.438.300 Triệu đồng", "520,4 Tỷ đồng"],
            "Tệp": ["bao-cao-9-thang-2024.ods", "bao-cao-quy-1-2024.xlsx"],
            "Ô": ["trang «Quy III», ô F9", "trang «Bieu 01», ô E11"],
            "Tải lên": ["07/12/2026 01:40", "07/12/2026 01:39"],
            "Bởi": ["khách", "test (dòng lệnh)"],
            "Trạng thái": ["được dùng", "không dùng: tệp khác được ưu tiên"],
        }
    )
    first, first_where, second, second_where = history_lines(shown, "tỷ đồng").splitlines()
    assert (
        first == "- **Quý III/2024 · lũy kế:** 2\\.438,3 tỷ đồng \\(tệp ghi 2\\.438\\.300 Triệu đồng\\) — được dùng  "
    )
    assert (
        first_where
        == "  bao\\-cao\\-9\\-thang\\-2024\\.ods, trang «Quy III», ô F9 · tải lên 07/12/2026 01\\:40 bởi khách"
    )
    assert second == "- **Quý I/2024 · số của quý:** 520,4 tỷ đồng — không dùng\\: tệp khác được ưu tiên  "
    assert second_where.endswith("bởi test \\(dòng lệnh\\)")


def test_a_phone_lists_a_registers_rows_one_line_each(con):
    """Black-box: an award register's preview needed a sideways swipe; a phone reads each row as a
    line: who, the award, then the other columns after their headings, the row last."""
    from appkit.text import register_lines
    from kpi.ingest import prepare
    from kpi.reading.registers import register_preview
    from tests.support.samples import sample_bytes

    prep = prepare(con, sample_bytes("awards"), "khen-thuong-2024.xlsx")
    lines = register_lines(register_preview(prep.awards, "awards")).splitlines()
    assert len(lines) == 97
    assert lines[2] == (
        "- **Cao Minh Nam \\(cá nhân\\), Công an huyện** — Bằng khen của Thủ tướng Chính phủ · cấp khen\\: Thủ tướng"
        " Chính phủ · quyết định\\: 498/QĐ\\-TTg ngày 18/04/2025 · năm thành tích\\: 2024 · tính vào chỉ tiêu\\: TD03"
        " · dòng 7"
    )
    prep = prepare(con, sample_bytes("registrations"), "dang-ky-thi-dua-2024.xlsx")
    first = register_lines(register_preview(prep.registrations, "registrations")).splitlines()[0]
    assert first == (
        "- **Thị trấn Hưng Hóa** — Khối các xã, thị trấn số 1 · văn bản đăng ký\\: 28/ĐK\\-TĐ ngày 05/03/2024 · dòng 4"
    )


def test_a_phone_lists_the_uploads_one_line_each_with_period_status_and_figures(loaded):
    # black-box: at 390 px the table broke «07-khen-thuong-bo-sung-2024.xlsx» letter by letter and
    # put «Số liệu» a sideways scroll away
    from appkit.text import submission_lines
    from kpi.storage.figures import submissions

    lines = submission_lines(submissions(loaded, 2024)).replace("\\", "").splitlines()  # Markdown escapes
    assert (
        "- **bao-cao-9-thang-2024.ods** — Quý III/2024 (báo cáo 9 tháng) · đang dùng · 30 số liệu, 1 cảnh báo" in lines
    )
    assert any(line.startswith("- **khen-thuong-2024.xlsx** — Năm 2024 · đang dùng · ") for line in lines)
    assert len(lines) == len(submissions(loaded, 2024))


def test_the_phones_registrations_are_a_list_by_block(loaded):
    """Black-box finding (390 px, Thi đua): «Danh sách đăng ký chi tiết» was a grid scrolled sideways
    under its toolbar; on a phone it is each block's name, then a line per unit."""
    import datetime as dt

    from appkit.text import registration_lines
    from kpi.storage.catalogue import load_catalogue
    from kpi.storage.figures import registration_status

    catalogue = load_catalogue(loaded, 2024)
    lines = registration_lines(registration_status(loaded, catalogue, 2024)).replace("\\", "").splitlines()
    assert lines[:3] == [
        "**Khối các xã, thị trấn số 1**",
        "",
        "- **Thị trấn Hưng Hóa** — đã đăng ký ngày 05/03/2024\u00a0· văn bản 28/ĐK-TĐ",
    ]
    assert len([line for line in lines if line.startswith("- ")]) == len(catalogue.block_units)
    early = registration_lines(registration_status(loaded, catalogue, 2024, dt.date(2024, 2, 10)))
    assert "- **Thị trấn Hưng Hóa** — **chưa đăng ký**" in early.replace("\\", "").splitlines()
