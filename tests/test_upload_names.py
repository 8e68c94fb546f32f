"""Messages name a stored upload by its file, not by its number (black-box finding, December 2026).

A tester read «Sẽ thay danh sách đang dùng #4», «thay bản đang dùng #2», «Bản cũ hơn bản đang dùng
(#3, ngày …)», «thay cho bản trước (#2)»: a clerk does not know what #4 is. Every message a clerk
reads names the file as the Dữ liệu page lists it, with its upload day, the number only as a tag —
«goc.xlsx» (tải lên 07/12/2026, lần tải #1) — through one helper,
:func:`kpi.storage.figures.upload_words`. Every workbook is written here (openpyxl).
"""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.ingest import ingest, planned_effect, prepare
from kpi.preview import register_effect
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.figures import upload_words
from tests.support.samples import ACTOR
from tests.support.sheets import report_rows, xlsx

ROWS = {
    "CT01": ["Tổng vốn đầu tư toàn xã hội", "Tỷ đồng"],
    "CT02": ["Tổng thu ngân sách nhà nước", "Tỷ đồng"],
}


def report(date: str, figures: dict[str, float]) -> bytes:
    """A Q1 report of Phòng Tài chính - Kế hoạch dated ``date``, the year to date per key."""
    body = [[n, *ROWS[k], v] for n, (k, v) in enumerate(figures.items(), start=1)]
    return xlsx(
        report_rows(
            "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU QUÝ I NĂM 2024",
            ["STT", "Chỉ tiêu", "Đơn vị tính", "Lũy kế quý I/2024"],
            body,
            reference=f"(Kèm theo Báo cáo số 9/BC-TCKH ngày {date} của Phòng Tài chính - Kế hoạch)",
        ),
        sheet="Bieu 1",
    )


def registration_list(title: str, units: list[str]) -> bytes:
    """A registration list, the unit last: «STT | Ngày đăng ký | Đơn vị»."""
    body = [[n, dt.datetime(2024, 2, 20), u] for n, u in enumerate(units, start=1)]
    return xlsx([[title], [], ["STT", "Ngày đăng ký", "Đơn vị"], *body], formats={})


def named(con, submission_id: int) -> str:
    """What every message calls upload ``submission_id``: its file, day and number."""
    name, at = con.execute(
        "SELECT file_name, uploaded_at FROM submissions WHERE submission_id = ?", [submission_id]
    ).fetchone()
    return f"«{name}» (tải lên {at:%d/%m/%Y}, lần tải #{submission_id})"


def test_the_words_of_an_upload():
    assert upload_words("bao-cao-q3.xlsx", dt.datetime(2026, 12, 5, 9, 30), 4) == (
        "«bao-cao-q3.xlsx» (tải lên 05/12/2026, lần tải #4)"
    )
    # a name stored before names were cleaned is shown as the Dữ liệu page shows it
    assert upload_words("a\u202eb.xlsx", None, 2) == "«ab.xlsx» (lần tải #2)"


def test_a_reports_preview_and_saved_messages_name_the_files(con, cfg):
    ingest(con, report("05/4/2024", {"CT01": 520.4, "CT02": 160.2}), "goc.xlsx", ACTOR, ImportOptions(), cfg)
    first = named(con, 1)
    older = prepare(con, report("01/4/2024", {"CT01": 500.0, "CT02": 150.0}), "cu.xlsx", ImportOptions(), cfg)
    assert planned_effect(con, older).message == (
        f"Bản cũ hơn bản đang dùng {first}, văn bản ngày 05/04/2024: chỉ lưu vào lịch sử, không thay đổi số liệu."
    )
    newer = report("15/4/2024", {"CT01": 525.0, "CT02": 161.0})
    assert planned_effect(con, prepare(con, newer, "moi.xlsx", ImportOptions(), cfg)).message == (
        f"Sẽ thay bản đang dùng {first}, văn bản ngày 05/04/2024. Bản cũ vẫn được giữ trong lịch sử."
    )
    _prep, done = ingest(con, newer, "moi.xlsx", ACTOR, ImportOptions(), cfg)
    assert f"thay cho bản trước {first} — đã điều chỉnh so với báo cáo trước" in done.message
    (note,) = con.execute("SELECT status_note FROM submissions WHERE submission_id = 1").fetchone()
    assert note == f"Được thay bằng {named(con, 2)}"  # the Dữ liệu page's «Ghi chú» of the old version
    _prep, again = ingest(con, newer, "moi-lan-2.xlsx", ACTOR, ImportOptions(), cfg)
    assert again.message == f"Tệp «moi-lan-2.xlsx» đã có: {named(con, 2)}; không thay đổi gì."
    # a correction lacking figures of the version in use: the question and the partial's message
    part = report("20/4/2024", {"CT01": 530.0})
    held = prepare(con, part, "dc.xlsx", ImportOptions(), cfg)
    assert held.needs("correction") and f"Tệp này sẽ thay bản đang dùng {named(con, 2)} nhưng thiếu 1 số" in (
        held.held[0].message
    )
    _prep, done = ingest(con, part, "dc.xlsx", ACTOR, ImportOptions(correction="partial"), cfg)
    assert f"các số khác vẫn lấy từ bản đang dùng {named(con, 2)}." in done.message
    late = report("02/4/2024", {"CT01": 510.0, "CT02": 155.0})
    _prep, kept = ingest(con, late, "muon.xlsx", ACTOR, ImportOptions(), cfg)
    assert kept.message.startswith("Đã lưu «muon.xlsx» (lần tải #4) vào lịch sử. Bản cũ hơn bản đang dùng «")


@pytest.mark.parametrize("title", ["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024", "DANH SÁCH ĐĂNG KÝ THI ĐUA BỔ SUNG NĂM 2024"])
def test_a_registers_preview_and_saved_message_name_the_list_in_use(con, cfg, title):
    units = ["Xã Dân Quyền", "Xã Hương Nộn", "Xã Dị Nậu", "Phòng Nội vụ", "Phòng Tư pháp", "Công an huyện"]
    ingest(con, registration_list("DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024", units), "dk.xlsx", ACTOR, ImportOptions(), cfg)
    data = registration_list(title, [*units[:5], "Thanh tra huyện"])
    told = register_effect(prepare(con, data, "dk-2.xlsx", ImportOptions(), cfg))
    _prep, done = ingest(con, data, "dk-2.xlsx", ACTOR, ImportOptions(), cfg)
    if "BỔ SUNG" in title:
        assert (told.level, told.lead) == ("info", "Danh sách bổ sung")
        assert f"được tính cùng danh sách đang dùng {named(con, 1)};" in told.text
        assert f"danh sách bổ sung: tính cùng danh sách đang dùng {named(con, 1)}." in done.message
    else:
        assert (told.level, told.lead) == ("warning", "Sẽ thay danh sách đang dùng")
        assert told.text.startswith(f"{named(con, 1)}, có 6 đơn vị đã đăng ký (5/6 đơn vị đã đăng ký của tệp")
        assert f"thay cho bản trước {named(con, 1)} — đã điều chỉnh so với danh sách trước." in done.message
    shown = told.markdown(str.upper)  # the page escapes the names and the text, not its bold
    assert shown.startswith(f"**{told.lead.upper()}** ") and "«DK.XLSX» (TẢI LÊN" in shown
