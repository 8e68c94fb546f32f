"""The upload page over a long session (issue 16, finding 11): a saved file is never read again,
the chooser empties once nothing is left to save, the session's previews are bounded, an unchanged
copy is not announced as saved, and a crafted file name neither crashes nor spoofs the page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import kpi.ingest
from tests.support.apptest import XLSX, texts
from tests.support.paths import PROJECT
from tests.support.samples import SAMPLE_FILES, sample_bytes
from tests.support.sheets import report_rows, xlsx

#: The pages are opened on the server machine itself (set-up mode lets only it write; conftest).
pytestmark = pytest.mark.usefixtures("app_env", "server_machine")


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names of the files the upload page reads (kpi.ingest.prepare, the real one, counted)."""
    real = kpi.ingest.prepare
    names: list[str] = []

    def counted(con, data, file_name, *args, **kwargs):
        names.append(file_name)
        return real(con, data, file_name, *args, **kwargs)

    monkeypatch.setattr(kpi.ingest, "prepare", counted)
    return names


def upload_page() -> AppTest:
    return AppTest.from_file(str(PROJECT / "views/upload.py"), default_timeout=120).run()


def save_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.key and b.key.startswith("up_save_")]


def test_a_saved_file_is_not_read_again_and_the_chooser_empties_when_all_are_saved(con, reads):
    at = upload_page()
    q1, h1 = SAMPLE_FILES["q1"], SAMPLE_FILES["h1"]
    at.file_uploader(key="up_files").set_value([(q1, sample_bytes("q1"), XLSX), (h1, sample_bytes("h1"), XLSX)]).run()
    assert sorted(reads) == sorted([q1, h1])
    save_buttons(at)[0].click().run()  # saves the Q1 report; the 6-month one is left to save
    assert not at.exception, [e.value for e in at.exception]
    assert reads.count(q1) == 1, "a saved file left in the chooser was read again"
    assert reads.count(h1) == 2  # read again: the stored data changed, so may its warnings
    assert any(f"Đã lưu «{q1}»" in s.value.replace("\\", "") for s in at.success)
    assert len(save_buttons(at)) == 1 and at.file_uploader(key="up_files").value  # still chosen
    for _ in range(3):  # more reruns (a widget moved, the page revisited): nothing is read again
        at.run()
    assert reads.count(q1) == 1 and reads.count(h1) == 2
    save_buttons(at)[0].click().run()
    assert not at.exception
    # Nothing left to save: the chooser is a new, empty one; what was saved stays listed.
    uploaders = at.get("file_uploader")
    assert len(uploaders) == 1 and uploaders[0].proto.id != "" and not at.file_uploader(key="up_files_1").value
    shown = texts(at).replace("\\", "")
    assert f"Đã lưu «{q1}»" in shown and f"Đã lưu «{h1}»" in shown
    assert con.execute("SELECT count(*) FROM submissions").fetchall() == [(2,)]
    assert reads.count(q1) == 1 and reads.count(h1) == 2


def test_a_file_waiting_for_a_choice_keeps_the_chooser(con):
    at = upload_page()
    no_period = xlsx([["Chỉ tiêu", "ĐVT", "Thực hiện"], ["Tổng thu ngân sách nhà nước", "Tỷ đồng", 160.2]])
    q1 = SAMPLE_FILES["q1"]
    at.file_uploader(key="up_files").set_value([(q1, sample_bytes("q1"), XLSX), ("khong-ky.xlsx", no_period, XLSX)])
    at.run()
    save_buttons(at)[0].click().run()
    assert not at.exception
    # the file without a period is refused until its period is chosen here: it stays chosen
    assert [f.name for f in at.file_uploader(key="up_files").value] == [q1, "khong-ky.xlsx"]
    assert "hãy chọn kỳ báo cáo" in texts(at).lower()


def _report(n: int) -> bytes:
    return xlsx(
        report_rows(
            "BÁO CÁO QUÝ I NĂM 2024",
            ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
            [[1, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 100 + n]],
        )
    )


def test_the_sessions_previews_are_bounded(con):
    import appkit

    at = upload_page()
    count = appkit.UploadState.MAX_PREPARED + 4
    at.file_uploader(key="up_files").set_value([(f"bao-cao-{n}.xlsx", _report(n), XLSX) for n in range(count)]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(save_buttons(at)) == count  # every file is still previewed and can be saved
    state = at.session_state["up_state"]
    assert len(state.prepared) <= appkit.UploadState.MAX_PREPARED
    assert state.prepared.nbytes <= appkit.UploadState.MAX_PREPARED_BYTES
    assert "up_prepared" not in at.session_state  # the former unbounded cache


def test_an_unchanged_copy_is_said_in_blue_not_announced_as_saved():
    def page():
        import appkit

        appkit.saved_entry(("a.xlsx", "Tệp «a.xlsx» đã có (lần tải #1); không thay đổi gì.", False))
        appkit.saved_entry(("b.xlsx", "Đã lưu «b.xlsx» (lần tải #2).", True))

    at = AppTest.from_function(page).run()
    assert [m.value.replace("\\", "") for m in at.success] == ["Đã lưu «b.xlsx» (lần tải #2)."]
    assert ["không thay đổi gì" in m.value for m in at.info] == [True]
    badges = [m.value for m in at.markdown]
    assert ":green-badge[Đã lưu]" not in badges[0] and ":green-badge[Đã lưu]" in badges[1]


def test_a_crafted_file_name_neither_crashes_nor_spoofs_the_page(con):
    at = upload_page()
    crafted = "bao-cao\x00quy\u202exslx.exe"
    at.file_uploader(key="up_files").set_value([(crafted, sample_bytes("q1"), XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]  # was Streamlit's English error box
    shown = texts(at)
    assert "bao-cao\ufffdquyxslx.exe" in shown and "\u202e" not in shown and "\x00" not in shown
    save_buttons(at)[0].click().run()
    assert not at.exception
    assert con.execute("SELECT file_name FROM submissions").fetchall() == [("bao-cao\ufffdquyxslx.exe",)]


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_vietnamese(con):
    at = upload_page()
    at.file_uploader(key="up_files").set_value([("anh.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Tệp bị từ chối, không lưu gì" in texts(at)
    assert not save_buttons(at)
