"""Registration lists whose document column names its number and date in one heading (round 7
code-blind finding 5): «Số, ngày văn bản đăng ký» was refused («không tìm thấy dòng tiêu đề cột cần
thiết») while «Số văn bản đăng ký» was read. A heading naming the document's number (and date, in
any order, any separator) is the document column; the date is read out of each cell; the preview
writes it once (finding 15: «11/ĐK-TĐ ngày 02/02/2024 ngày 02/02/2024»).

Twelve lists written here (openpyxl), none like the samples: other headings, other column orders,
block heading rows, a date cell in the document column, a document of another day than the
registration. Each is read through :func:`kpi.ingest.prepare` on a real database with the 2024 plan.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.ingest import commit, prepare
from kpi.reading.registers import register_preview
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.catalogue import load_catalogue
from kpi.storage.figures import registration_status
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

#: Five units of the plan, as a list writes them.
UNITS = ["Xã Dân Quyền", "Phòng Nội vụ", "Công an huyện", "Xã Tề Lễ", "Phòng Tư pháp"]
TITLE = "DANH SÁCH CÁC CƠ QUAN, ĐƠN VỊ ĐĂNG KÝ THI ĐUA NĂM 2024"
PLACE = "Tam Nông, ngày 15 tháng 02 năm 2024"
LIST_DATE = dt.date(2024, 2, 15)


def _day(i: int) -> dt.date:
    return dt.date(2024, 2, 2 + i)


def _lists() -> dict[str, tuple[bytes, dict[str, dt.date | None], dict[str, str]]]:
    """name → (the file, each unit's registration date as the list means it, each unit's document
    as the preview must write it)."""
    out = {}

    def add(name, header, row, *, registered=_day, shown=None, above=(TITLE, ""), below=(), blocks=None):
        rows = [[t] for t in above] + [header]
        current = None
        for i, unit in enumerate(UNITS):
            if blocks and blocks[i] != current:
                current = blocks[i]
                rows.append([current])
            rows.append(row(i, unit))
        rows += [[t] for t in below]
        days = {u: registered(i) for i, u in enumerate(UNITS)}
        docs = {u: (shown or (lambda i: f"{20 + i}/ĐK-TĐ ngày {_day(i):%d/%m/%Y}"))(i) for i, u in enumerate(UNITS)}
        out[name] = (xlsx(rows, sheet="DK"), days, docs)

    add(  # the blind round's heading
        "so-ngay-van-ban",
        ["STT", "Tên cơ quan, đơn vị", "Số, ngày văn bản đăng ký", "Hình thức", "Ghi chú"],
        lambda i, u: [i + 1, u, f"{20 + i}/ĐK-TĐ ngày {_day(i):%d/%m/%Y}", "Văn bản", ""],
    )
    add(  # the date named first, the document first of the columns, the row number last
        "ngay-so-van-ban-truoc",
        ["Ngày, số văn bản", "Đơn vị", "TT"],
        lambda i, u: [f"{_day(i):%d/%m/%Y} - Số {20 + i}/ĐK-TĐ", u, i + 1],
    )
    add(  # a slash, an abbreviation, a date written with dots
        "so-ngay-vb",
        ["STT", "Cơ quan, đơn vị", "Số/ngày VB đăng ký"],
        lambda i, u: [i + 1, u, f"{20 + i}/ĐK-TĐ, {_day(i):%d.%m.%Y}"],
    )
    add(  # the document named first, its number and date in brackets, the date in words
        "van-ban-so-ngay",
        ["Khối thi đua", "Tên đơn vị", "Văn bản đăng ký (số, ngày)", "STT"],
        lambda i, u: [
            "",
            u,
            f"Số {20 + i}/ĐK-TĐ ngày {_day(i).day:02d} tháng {_day(i).month:02d} năm {_day(i).year}",
            i + 1,
        ],
    )
    add(  # «và», a dispatch, a day without its leading zero
        "so-va-ngay-cong-van",
        ["TT", "Đơn vị", "Số và ngày công văn", "Ghi chú"],
        lambda i, u: [i + 1, u, f"Công văn số {20 + i}/ĐK-TĐ ngày {_day(i).day}/{_day(i).month}/2024", ""],
    )
    add(  # number, sign and date; a semicolon between them
        "so-ky-hieu-ngay",
        ["STT", "Tên cơ quan", "Số, ký hiệu, ngày văn bản"],
        lambda i, u: [i + 1, u, f"{20 + i}/ĐK-TĐ; {_day(i):%d/%m/%Y}"],
    )
    add(  # «Ngày tháng, số …», the date before the number in the cell too, the unit last
        "ngay-thang-so",
        ["Ngày tháng, số văn bản đăng ký", "STT", "Cơ quan, đơn vị"],
        lambda i, u: [f"{_day(i):%d/%m/%Y}, {20 + i}/ĐK-TĐ", i + 1, u],
    )
    add(  # a registration date column beside a document of another day: each date its own
        "ngay-dang-ky-va-van-ban-khac-ngay",
        ["STT", "Đơn vị", "Số hiệu, ngày ban hành văn bản", "Ngày đăng ký"],
        lambda i, u: [i + 1, u, f"{20 + i}/ĐK-TĐ ngày {_day(i):%d/%m/%Y}", _day(i) + dt.timedelta(days=3)],
        registered=lambda i: _day(i) + dt.timedelta(days=3),
        shown=lambda i: f"{20 + i}/ĐK-TĐ ngày {_day(i):%d/%m/%Y}",
    )
    add(  # date cells under «Số, ngày đăng ký»
        "o-ngay-trong-cot-van-ban",
        ["Số TT", "Đơn vị đăng ký", "Số, ngày đăng ký"],
        lambda i, u: [i + 1, u, dt.datetime.combine(_day(i), dt.time())],
        shown=lambda i: f"{_day(i):%d/%m/%Y}",
    )
    add(  # «Tờ trình / Công văn», the document's sign without «ĐK»
        "to-trinh-cong-van",
        ["STT", "Cơ quan, đơn vị", "Tờ trình / Công văn"],
        lambda i, u: [i + 1, u, f"CV {20 + i}/UBND-VP ngày {_day(i):%d/%m/%Y}"],
        shown=lambda i: f"{20 + i}/UBND-VP ngày {_day(i):%d/%m/%Y}",
    )
    add(  # block heading rows, numbers without a date: registered on the list's own date
        "khoi-so-khong-ngay",
        ["STT", "Cơ quan, đơn vị", "Số, ngày VB"],
        lambda i, u: [i + 1, u, f"{20 + i}/ĐK-TĐ"],
        registered=lambda i: LIST_DATE,
        shown=lambda i: f"{20 + i}/ĐK-TĐ ngày {LIST_DATE:%d/%m/%Y}",
        above=(TITLE, PLACE, ""),
        blocks=["Khối các xã, thị trấn số 1", "Khối nội chính", "Khối nội chính", "Khối các xã, thị trấn số 2"]
        + ["Khối nội chính"],
    )
    add(  # «& », a unit that has not sent its document: not registered
        "so-va-ngay-chua-gui",
        ["TT", "Cơ quan, đơn vị", "Số & ngày văn bản", "Ghi chú"],
        lambda i, u: [i + 1, u, "Chưa gửi" if i == 2 else f"{20 + i}/ĐK-TĐ ngày {_day(i):%d/%m/%Y}", ""],
        registered=lambda i: None if i == 2 else _day(i),
        shown=lambda i: "Chưa gửi" if i == 2 else f"{20 + i}/ĐK-TĐ ngày {_day(i):%d/%m/%Y}",
    )
    add(  # marks under the document's heading (round 8 blind: «x ngày 25/04/2024»): a mark is no document
        "dau-x-duoi-so-ngay",
        ["TT", "Tên cơ quan, đơn vị", "Số, ngày văn bản đăng ký", "Ghi chú"],
        lambda i, u: [i + 1, u, ["x", "X", "✓", "Đã đăng ký", f"{20 + i}/ĐK-TĐ"][i], ""],
        registered=lambda i: LIST_DATE,
        shown=lambda i: f"24/ĐK-TĐ ngày {LIST_DATE:%d/%m/%Y}" if i == 4 else f"{LIST_DATE:%d/%m/%Y}",
        above=(TITLE, PLACE, ""),
    )
    return out


LISTS = _lists()


@pytest.mark.parametrize("name", list(LISTS))
def test_a_document_heading_naming_number_and_date_is_read(con, cfg, name):
    data, days, docs = LISTS[name]
    prep = prepare(con, data, f"{name}.xlsx", ImportOptions(), cfg)
    assert prep.file_kind == "registrations", [i.text() for i in prep.issues]
    assert not prep.refused, [i.text() for i in prep.errors]
    table = prep.registrations
    shown = register_preview(table, "registrations")
    by_unit = dict(zip(table["unit_written"], shown["Văn bản đăng ký"], strict=True))
    assert by_unit == docs
    for unit, text in by_unit.items():  # the date once
        assert text.count("ngày") <= 1, (unit, text)
    commit(con, prep, data, ACTOR, cfg)
    status = registration_status(con, load_catalogue(con, 2024), 2024, dt.date(2024, 12, 31))
    got = {
        u: (d.date() if hasattr(d, "date") else d) if r else None
        for u, r, d in zip(status["unit"], status["registered"], status["registered_on"], strict=True)
        if u in UNITS
    }
    assert got == days


def test_a_date_heading_is_still_a_date_and_a_row_number_still_a_row_number():
    from kpi.reading.layout import vocabulary
    from kpi.reading.register_open import REGISTRATION_ROLES, column_role

    vocab = vocabulary()
    roles = {t: column_role(t, vocab, REGISTRATION_ROLES) for t in ("Ngày đăng ký", "Ngày", "Số TT", "STT")}
    assert roles == {"Ngày đăng ký": "registered_on", "Ngày": "registered_on", "Số TT": "stt", "STT": "stt"}
