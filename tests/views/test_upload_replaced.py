"""The upload preview and the Dữ liệu page on what a correction says it replaces (AppTest, the real
pages on the test's own DuckDB file, reports written with openpyxl: ``tests/support/corrections.py``):

* found — «Thay thế báo cáo số 45/BC-TCKH ngày 08/04/2024 (tệp «goc.xlsx», lưu ngày …)» before
  saving, beside the figures that will change; after saving, the history's «Thay thế» and «Được
  thay bởi»;
* another unit's — held, «Vẫn lưu, không thay báo cáo đó» lifts it;
* the original sent again — said to be replaced by the correction, kept in history unless «Dùng
  lại tệp này thay cho bản sửa» is chosen; no command line on the page.
"""

from __future__ import annotations

import datetime as dt

import pytest

import kpi.preview
from kpi.ingest import commit, prepare
from kpi.preview import history_only, planned_changes, preview_effect
from kpi.reading.report_sheets import ImportOptions
from tests.support.apptest import XLSX, run, texts
from tests.support.corrections import report
from tests.support.samples import ACTOR

pytestmark = pytest.mark.usefixtures("app_env", "server_machine")
SAVED = dt.datetime(2026, 12, 7, 9, 30)
REPLACES = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024 của Phòng Tài chính - Kế hoạch)"


def save(con, cfg, name: str, data: bytes) -> None:
    prep = prepare(con, data, name, ImportOptions(), cfg)
    assert not prep.refused, [e.message for e in prep.errors]
    commit(con, prep, data, ACTOR, cfg, at=SAVED)


def plain(markdown: str) -> str:
    """A message as the clerk reads it (the page escapes Markdown in the data it quotes)."""
    return markdown.replace("\\", "")


def upload(name: str, data: bytes):
    at = run("views/upload.py")
    at.file_uploader(key="up_files").set_value([(name, data, XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_preview_says_which_stored_report_a_correction_replaces_and_the_history_keeps_it(con, cfg):
    save(con, cfg, "goc.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4))
    at = upload("sua.xlsx", report("52/BC-TCKH", "22 tháng 4 năm 2024", 530.1, REPLACES))
    found = [plain(i.value) for i in at.info if "Thay thế" in i.value]
    assert found == ["Thay thế báo cáo số 45/BC-TCKH ngày 08/04/2024 (tệp «goc.xlsx», lưu ngày 07/12/2026, lần tải #1)"]
    shown = texts(at)
    assert "Sẽ thay bản đang dùng «goc.xlsx»" in shown and "Sẵn sàng lưu" in shown
    [changes] = [t.value for t in at.table if "Số đang dùng → số mới" in t.value.columns]
    assert changes["Số đang dùng → số mới"].tolist() == ["520,4 → 530,1"]
    [save_button] = [b for b in at.button if b.key and b.key.startswith("up_save_")]
    save_button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert con.execute("SELECT submission_id, doc_number FROM replaced_documents").fetchall() == [(2, "45/BC-TCKH")]
    data = run("views/data.py")
    data.selectbox(key="data_sub").set_value(2).run()
    assert not data.exception, [e.value for e in data.exception]
    page = texts(data)
    assert (
        "- **Thay thế** báo cáo số 45/BC-TCKH ngày 08/04/2024 — tệp «goc.xlsx», lưu ngày 07/12/2026, lần tải #1 (đã được thay)"
        in page
    )
    data.selectbox(key="data_sub").set_value(1).run()
    assert "- **Được thay bởi** báo cáo số 52/BC-TCKH ngày 22/04/2024 — tệp «sua.xlsx»" in texts(data)


def test_a_correction_naming_another_communes_report_is_held_until_the_clerk_chooses(con, cfg):
    save(con, cfg, "dq.xlsx", report("45/BC-UBND", "08 tháng 4 năm 2024", 12.5, block=("UBND XÃ DÂN QUYỀN", "")))
    te_le = report(
        "52/BC-UBND",
        "22 tháng 4 năm 2024",
        9.5,
        "(Thay thế Báo cáo số 45/BC-UBND ngày 08/4/2024)",
        ("UBND XÃ TỀ LỄ", ""),
    )
    at = upload("tl.xlsx", te_le)
    shown = texts(at)
    assert "Chờ bạn quyết định" in shown
    assert "là của đơn vị khác: tệp «dq.xlsx»" in shown and "dòng lệnh" not in shown
    assert not [b for b in at.button if b.key and b.key.startswith("up_save_")]
    [unlinked] = [c for c in at.checkbox if c.label == "Vẫn lưu, không thay báo cáo đó"]
    unlinked.check().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "Sẵn sàng lưu · 1 cảnh báo" in shown
    assert "bạn đã chọn vẫn lưu, không coi tệp này là bản thay thế báo cáo đó" in shown
    assert [b for b in at.button if b.key and b.key.startswith("up_save_")]


def test_the_original_sent_again_is_said_to_be_replaced_and_is_used_again_only_when_chosen(con, cfg):
    save(con, cfg, "goc.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4))
    save(con, cfg, "sua.xlsx", report("52/BC-TCKH", "08 tháng 4 năm 2024", 530.1, REPLACES))
    at = upload("goc-gui-lai.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4, note="gửi lại"))
    [said] = [plain(w.value) for w in at.warning if "đã được thay bởi" in w.value]
    assert said.startswith(
        "Tệp này là báo cáo số 45/BC-TCKH ngày 08/04/2024, đã được thay bởi báo cáo số 52/BC-TCKH ngày 08/04/2024 "
        "(tệp «sua.xlsx», lưu ngày 07/12/2026, lần tải #2): chỉ lưu vào lịch sử, không thay lại bản sửa"
    )
    assert "dòng lệnh" not in said and "--reinstate" not in said  # the same words kept as the file's note
    assert not [t for t in at.table if "Số đang dùng → số mới" in t.value.columns]  # nothing will change
    [again] = [c for c in at.checkbox if c.label == "Dùng lại tệp này thay cho bản sửa"]
    assert again.value is False
    again.check().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("bạn đã chọn dùng lại tệp này" in i.value for i in at.info)
    [changes] = [t.value for t in at.table if "Số đang dùng → số mới" in t.value.columns]
    assert changes["Số đang dùng → số mới"].tolist() == ["530,1 → 520,4"]


HISTORY_ONLY = "Chỉ thêm vào lịch sử · không thay đổi số liệu"
OTHER_OFFICE = ("UBND HUYỆN TAM NÔNG", "PHÒNG KINH TẾ VÀ HẠ TẦNG")


def test_a_file_older_than_every_figure_in_use_is_said_to_go_to_history_only(con, cfg):
    """A version older than the one in use of its series, and another office's report dated
    before the report whose figures are in use: saving changes no figure shown, and the status
    says so — not «Sẵn sàng lưu» like the correction that changes 520,4 (black-box finding)."""
    save(con, cfg, "moi.xlsx", report("60/BC-TCKH", "15 tháng 4 năm 2024", 520.4))
    older = upload("cu.xlsx", report("40/BC-TCKH", "01 tháng 4 năm 2024", 510))
    shown = plain(texts(older))
    assert HISTORY_ONLY in shown and "Sẵn sàng lưu" not in shown, shown
    assert "Bản cũ hơn bản đang dùng «moi.xlsx»" in shown  # the why, said once, as before
    other = upload("khac.xlsx", report("12/BC-KTHT", "05 tháng 4 năm 2024", 500, block=OTHER_OFFICE))
    shown = plain(texts(other))
    assert HISTORY_ONLY in shown and "Sẵn sàng lưu" not in shown, shown
    assert "Mọi số của tệp này đều đã có số đang dùng từ «moi.xlsx» (tải lên " in shown
    assert "khi lưu, tệp chỉ được thêm vào lịch sử, không số nào đang hiển thị thay đổi" in shown
    # round 11: the figure it disagrees on, said before saving (the one in use stays)
    assert "1 số của tệp khác số đang dùng" in shown, shown
    [differ] = [t.value for t in other.table if "Số đang dùng → số của tệp" in t.value.columns]
    assert differ["Số đang dùng → số của tệp"].tolist() == ["520,4 → 500,0"]
    assert "Thay đổi" not in differ.columns
    newer = upload("sau.xlsx", report("70/BC-TCKH", "25 tháng 4 năm 2024", 530.1))
    shown = plain(texts(newer))
    assert "Sẵn sàng lưu" in shown and HISTORY_ONLY not in shown


def test_the_preview_works_out_what_saving_does_once_per_file_and_data_version(con, cfg, monkeypatch):
    """The badge, the message and the list of changes each need what saving the file does
    (:func:`kpi.ingest.planned_effect`): worked out once, not three times a rerun, and not again on
    a rerun that changes nothing (the counter wraps the real function; the page runs for real)."""
    save(con, cfg, "goc.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4))
    calls = []
    real = kpi.preview.planned_effect

    def counted(*args, **kwargs):
        calls.append(args[1].file_name)
        return real(*args, **kwargs)

    monkeypatch.setattr(kpi.preview, "planned_effect", counted)
    at = upload("sua.xlsx", report("52/BC-TCKH", "22 tháng 4 năm 2024", 530.1, REPLACES))
    shown = texts(at)
    assert "Sẽ thay bản đang dùng «goc.xlsx»" in shown and "Sẵn sàng lưu" in shown
    assert [t for t in at.table if "Số đang dùng → số mới" in t.value.columns]
    assert calls == ["sua.xlsx"]
    at.run()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert calls == ["sua.xlsx"]


def test_what_saving_does_is_worked_out_again_after_the_data_changes(con, cfg):
    """The kept effect is of one data version: once a later version of the series is saved, the
    same prepared file is told it only goes to history (it was told it replaces «goc.xlsx»)."""
    save(con, cfg, "goc.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4))
    prep = prepare(con, report("52/BC-TCKH", "22 tháng 4 năm 2024", 530.1), "sua.xlsx", ImportOptions(), cfg)
    assert preview_effect(con, prep).status == "active" and preview_effect(con, prep).replaces == (1,)
    save(con, cfg, "moi.xlsx", report("60/BC-TCKH", "30 tháng 4 năm 2024", 540))
    assert preview_effect(con, prep).status == "superseded"
    assert history_only(con, prep) == "" and planned_changes(con, prep).empty


def test_the_exact_file_sent_again_after_its_correction_says_it_is_no_longer_in_use(con, cfg):
    """Round 11: the original's very bytes chosen again after its correction read «Đã có (lần tải
    #1)» and nothing more; a clerk believed its 520,4 was shown, when the correction's 530,1 was."""
    original = report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4)
    save(con, cfg, "goc.xlsx", original)
    correction = report("52/BC-TCKH", "08 tháng 4 năm 2024", 530.1, REPLACES)
    save(con, cfg, "sua.xlsx", correction)
    at = upload("goc.xlsx", original)
    shown = plain(texts(at))
    assert "Đã có (lần tải #1)" in shown and "không còn được dùng" in shown, shown
    [said] = [plain(w.value) for w in at.warning if "Lần tải #1 của tệp này" in plain(w.value)]
    assert "«sua.xlsx»" in said and "lần tải #2" in said and "số đang hiển thị không lấy từ tệp này" in said
    in_use = plain(texts(upload("sua.xlsx", correction)))
    assert "Đã có (lần tải #2)" in in_use and "không còn được dùng" not in in_use  # in use: nothing to add
