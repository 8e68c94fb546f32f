"""Messages that say what they mean (issue 16, finding 12): one byte over the limit reads as over,
a huge figure is never written out in full, a file name cannot be spoofed or crash a page."""

from __future__ import annotations

import pytest

from kpi.config import settings
from kpi.errors import UnreadableFile
from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.reading.workbook import check_size
from tests.support.ledger import CT01, report_file


def test_one_byte_over_the_limit_reads_as_over():
    cfg = settings()
    with pytest.raises(UnreadableFile) as refused:
        check_size(cfg.max_upload_bytes + 1, cfg)
    message = refused.value.message_vi
    assert "20,0 MB (20.971.521 byte)" in message and "giới hạn là 20,0 MB (20.971.520 byte)" in message
    check_size(cfg.max_upload_bytes, cfg)  # exactly the limit is accepted


@pytest.mark.parametrize(
    ("cell_value", "shown"),
    [
        (1e308, "(1 × 10^308 tỷ đồng)"),
        ("1" + "0" * 400, "(100000000000000… (401 ký tự) tỷ đồng)"),
        (1.5e300, "(1,5 × 10^300 tỷ đồng)"),
    ],
    ids=["1e308", "401-digit-text", "1.5e300"],
)
def test_a_huge_figure_is_shortened_in_every_message(con, cfg, cell_value, shown):
    data = report_file(
        "BÁO CÁO QUÝ I NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
        [[1, CT01, "Tỷ đồng", cell_value]],
        "05/4/2024",
    )
    prep = prepare(con, data, "x.xlsx", ImportOptions(), cfg)
    assert [i.code for i in prep.errors] == ["too_large"]
    assert shown in prep.errors[0].message
    for issue in prep.issues:
        assert len(issue.text()) < 400, issue.text()
        assert "0" * 30 not in issue.text().replace(".", "")


def test_short_number_keeps_ordinary_figures_and_shortens_huge_ones():
    from decimal import Decimal

    from kpi.vn import short_number

    assert short_number(3300.9) == "3.300,9"
    assert short_number(999_999_999_999_999_999) == "999.999.999.999.999.999"
    assert short_number(Decimal(10) ** 18) == "1 × 10^18"
    assert short_number(-1.5e40) == "-1,5 × 10^40"
    assert short_number(float("inf")) == "vô cùng lớn"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("hoadon\u202egsm.xlsx", "hoadongsm.xlsx"),  # RIGHT-TO-LEFT OVERRIDE: shown as "hoadonxslx.msg"
        ("a\u2066b\u2069c\u200f.xlsx", "abc.xlsx"),  # isolates and marks
        ("bao\x00cao.xlsx", "bao\ufffdcao.xlsx"),  # NUL: seen, never passed on
        ("bao\tcao\n  quy 1.xlsx", "baocao quy 1.xlsx"),
        ("Ba\u0301o ca\u0301o.xlsx", "Báo cáo.xlsx"),  # NFC
        ("\u202e\u200b", "tệp không tên"),
    ],
)
def test_file_names_are_cleaned_at_the_boundary(con, cfg, raw, clean):
    from kpi.file_names import clean_file_name

    assert clean_file_name(raw) == clean
    prep = prepare(con, b"not a workbook", raw, ImportOptions(), cfg)
    assert prep.file_name == clean


def test_a_long_file_name_is_cut_keeping_its_extension():
    from kpi.file_names import MAX_FILE_NAME, clean_file_name

    name = clean_file_name("báo cáo " * 100 + ".xlsx")
    assert len(name) == MAX_FILE_NAME and name.endswith("….xlsx")


def test_a_spoofed_name_is_stored_and_logged_clean(con, cfg):
    from kpi.ingest import ingest
    from tests.support.samples import sample_bytes

    _prep, committed = ingest(con, sample_bytes("q1"), "bao-cao\u202exslx.exe", "cli:test", cfg=cfg)
    assert committed.status != "duplicate"
    stored = con.execute("SELECT file_name FROM submissions").fetchall()
    logged = con.execute("SELECT DISTINCT file_name FROM audit_log WHERE file_name IS NOT NULL").fetchall()
    assert stored == [("bao-caoxslx.exe",)] and logged == [("bao-caoxslx.exe",)]
